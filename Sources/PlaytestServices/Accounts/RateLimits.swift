import Foundation
import Logging
import PlaytestStorage

/// Token buckets in the live store (Redis in scale-out, so they hold across every `serve`): requests per user or key
/// and per client address, and sign-in attempts per account and per address.
public struct RateLimits: Sendable {
    let live: any LiveStore
    let settings: AccessSettings
    let logger: Logger

    /// Sign-in attempts refill over this window.
    static let signInWindow: Double = 15 * 60

    /// The tightest of the request buckets that apply; nil when none is configured. A live store that cannot be
    /// reached admits the request (and logs): rate limits protect the service, they must not take it down.
    public func admitRequest(principal: String?, ip: String?) async -> RateLimitDecision? {
        var buckets: [(key: String, perMinute: Int)] = []
        if let principal, settings.requestsPerMinute > 0 { buckets.append(("ratelimit:principal:\(principal)", settings.requestsPerMinute)) }
        if let ip, settings.requestsPerMinutePerIP > 0 { buckets.append(("ratelimit:ip:\(ip)", settings.requestsPerMinutePerIP)) }
        var tightest: TokenBucketResult?
        for bucket in buckets {
            do {
                let result = try await live.takeToken(bucket.key, capacity: bucket.perMinute, perSecond: Double(bucket.perMinute) / 60)
                if tightest == nil || !result.allowed || (tightest?.allowed == true && result.remaining < tightest?.remaining ?? .max) {
                    tightest = result
                }
                if !result.allowed { break }
            } catch {
                logger.warning("rate limit not checked: \(error)")
            }
        }
        return tightest
    }

    /// Throws `throttled` once an account or an address has used its sign-in attempts.
    func admitSignIn(account: String, ip: String?) async throws {
        let capacity = settings.signInAttempts
        for key in ["signin:account:\(account)"] + (ip.map { ["signin:ip:\($0)"] } ?? []) {
            let perSecond = Double(key.hasPrefix("signin:ip:") ? capacity * 5 : capacity) / Self.signInWindow
            let result: TokenBucketResult
            do {
                result = try await live.takeToken(key, capacity: key.hasPrefix("signin:ip:") ? capacity * 5 : capacity, perSecond: perSecond)
            } catch {
                logger.warning("sign-in throttle not checked: \(error)")
                continue
            }
            guard result.allowed else { throw AccountError.throttled(retryAfter: Int(result.retryAfter.rounded(.up))) }
        }
    }
}

/// Whether a request may go ahead, and what the `RateLimit-*` headers say: the live store's bucket answer, under the
/// name the server knows it by.
public typealias RateLimitDecision = TokenBucketResult
