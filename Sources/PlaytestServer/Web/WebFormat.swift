import Foundation

/// How numbers, sizes, durations and dates read on the pages.
enum WebFormat {
    static func bytes(_ count: Int64) -> String {
        let value = Double(count)
        if value >= 1_048_576 { return String(format: "%.1f MB", value / 1_048_576) }
        if value >= 1024 { return String(format: "%.0f KB", value / 1024) }
        return "\(count) B"
    }

    static func seconds(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let total = Int(seconds.rounded())
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \((total % 3600) / 60) min"
    }

    static func number(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "–" }
        return String(format: "%.0f%%", fraction * 100)
    }

    /// An ISO 8601 timestamp (UTC), for `<time datetime>`.
    static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// A short readable UTC date and time.
    static func date(_ date: Date?) -> String {
        guard let date else { return "–" }
        let iso = date.formatted(.iso8601)
        // 2026-11-21T21:39:35Z → 2026-11-21 21:39
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// "3 s ago", "5 min ago" from milliseconds.
    /// How long ago `date` was, at `now`.
    static func age(_ date: Date?, now: Date) -> String {
        guard let date else { return "–" }
        let seconds = max(Int(now.timeIntervalSince(date)), 0)
        if seconds < 60 { return "\(seconds) s ago" }
        if seconds < 3600 { return "\(seconds / 60) min ago" }
        return "\(seconds / 3600) h ago"
    }
}
