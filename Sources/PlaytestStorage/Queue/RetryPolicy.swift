/// Exponential backoff with jitter between attempts: `base · 2^(attempt-1)`, capped at `maximum`,
/// then spread by ±`jitter` so that jobs failing together do not retry together.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var maximum: Duration
    /// Fraction in 0...1.
    public var jitter: Double

    public init(base: Duration = .seconds(5), maximum: Duration = .seconds(600), jitter: Double = 0.2) {
        self.base = base
        self.maximum = maximum
        self.jitter = min(max(jitter, 0), 1)
    }

    /// Delay in milliseconds before attempt `attempt + 1`, given a uniform random number in 0..<1.
    public func delayMilliseconds(afterAttempt attempt: Int, random: Double) -> Int64 {
        let baseMs = Double(base.components.seconds) * 1000 + Double(base.components.attoseconds) / 1e15
        let maxMs = Double(maximum.components.seconds) * 1000 + Double(maximum.components.attoseconds) / 1e15
        let exponent = Double(min(max(attempt - 1, 0), 40))
        let raw = min(baseMs * pow2(exponent), maxMs)
        let spread = raw * jitter * (random * 2 - 1)
        return Int64(max(0, (raw + spread).rounded()))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
