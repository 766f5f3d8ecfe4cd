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

    /// The tightest of the request buckets that apply (one live-store call for all of them); nil when none is
    /// configured. A live store that cannot be reached admits the request (and logs): rate limits protect the service,
    /// they must not take it down.
    public func admitRequest(principal: String?, ip: String?) async -> RateLimitDecision? {
        var buckets: [TokenBucket] = []
        if let principal, settings.requestsPerMinute > 0 {
            buckets.append(TokenBucket(key: "ratelimit:principal:\(principal)", capacity: settings.requestsPerMinute,
                                       perSecond: Double(settings.requestsPerMinute) / 60))
        }
        if let ip, settings.requestsPerMinutePerIP > 0 {
            buckets.append(TokenBucket(key: "ratelimit:ip:\(ip)", capacity: settings.requestsPerMinutePerIP,
                                       perSecond: Double(settings.requestsPerMinutePerIP) / 60))
        }
        guard !buckets.isEmpty else { return nil }
        do {
            return Self.tightest(try await live.takeTokens(buckets))
        } catch {
            logger.warning("rate limit not checked: \(error)")
            return nil
        }
    }

    /// Throws `throttled` once an account or an address has used its sign-in attempts.
    func admitSignIn(account: String, ip: String?) async throws {
        let capacity = settings.signInAttempts
        var buckets = [TokenBucket(key: "signin:account:\(account)", capacity: capacity, perSecond: Double(capacity) / Self.signInWindow)]
        if let ip {
            buckets.append(TokenBucket(key: "signin:ip:\(ip)", capacity: capacity * 5, perSecond: Double(capacity * 5) / Self.signInWindow))
        }
        let results: [TokenBucketResult]
        do {
            results = try await live.takeTokens(buckets)
        } catch {
            logger.warning("sign-in throttle not checked: \(error)")
            return
        }
        if let decision = Self.tightest(results), !decision.allowed {
            throw AccountError.throttled(retryAfter: Int(decision.retryAfter.rounded(.up)))
        }
    }

    /// What the headers report: when refused, the bucket that is empty longest; else the one with the fewest left.
    static func tightest(_ results: [TokenBucketResult]) -> TokenBucketResult? {
        results.max { a, b in
            a.allowed ? a.remaining > b.remaining : a.retryAfter < b.retryAfter
        }
    }
}

/// Whether a request may go ahead, and what the `RateLimit-*` headers say: the live store's bucket answer, under the
/// name the server knows it by.
public typealias RateLimitDecision = TokenBucketResult
