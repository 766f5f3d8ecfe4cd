import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week, UTC), as leaderboard reset schedules use:
/// numbers, `*`, lists `a,b`, ranges `a-b` and steps `*/n` or `a-b/n`; day-of-week 0–7 with 0 and 7 both Sunday.
/// As in cron, when both day fields are restricted a day matching either one fires.
public struct CronSchedule: Sendable, Hashable, Codable, CustomStringConvertible {
    public let expression: String
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let days: Set<Int>
    private let months: Set<Int>
    private let weekdays: Set<Int>
    private let daysRestricted: Bool
    private let weekdaysRestricted: Bool

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    public init(_ expression: String) throws(ParseError) {
        let fields = expression.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(description: "a reset schedule has five fields (minute hour day month weekday), got \(fields.count) in \"\(expression)\"")
        }
        self.expression = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], "minute", 0...59)
        hours = try Self.field(fields[1], "hour", 0...23)
        days = try Self.field(fields[2], "day of month", 1...31)
        months = try Self.field(fields[3], "month", 1...12)
        weekdays = Set(try Self.field(fields[4], "day of week", 0...7).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    public var description: String { expression }

    /// The latest time at or before `date` when the schedule fired: the start of the period `date` is in. nil when
    /// it never fired in the five years before (an impossible date such as 31 February).
    public func periodStart(containing date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard var day = calendar.date(from: DateComponents(year: now.year, month: now.month, day: now.day)) else { return nil }
        let latestMinute = (now.hour ?? 0) * 60 + (now.minute ?? 0)
        for offset in 0..<(366 * 5) {
            if offset > 0 { day = calendar.date(byAdding: .day, value: -1, to: day)! }
            let parts = calendar.dateComponents([.month, .day, .weekday], from: day)
            guard matchesDay(month: parts.month!, day: parts.day!, weekday: parts.weekday! - 1) else { continue }
            let limit = offset == 0 ? latestMinute : 24 * 60 - 1
            for hour in hours.sorted(by: >) where hour * 60 <= limit {
                if let minute = minutes.sorted(by: >).first(where: { hour * 60 + $0 <= limit }) {
                    return day.addingTimeInterval(Double(hour * 3600 + minute * 60))
                }
            }
        }
        return nil
    }

    private func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): return days.contains(day) || weekdays.contains(weekday)
        case (true, false): return days.contains(day)
        case (false, true): return weekdays.contains(weekday)
        case (false, false): return true
        }
    }

    private static func field(_ text: String, _ name: String, _ bounds: ClosedRange<Int>) throws(ParseError) -> Set<Int> {
        var values: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let rangeText = pieces.first else { throw bad(name, text, bounds) }
            var step = 1
            if pieces.count == 2 {
                guard let given = Int(pieces[1]), given > 0 else { throw bad(name, text, bounds) }
                step = given
            }
            let range: ClosedRange<Int>
            if rangeText == "*" {
                range = bounds
            } else if let dash = rangeText.firstIndex(of: "-") {
                guard let low = Int(rangeText[..<dash]), let high = Int(rangeText[rangeText.index(after: dash)...]), low <= high,
                      bounds.contains(low), bounds.contains(high) else { throw bad(name, text, bounds) }
                range = low...high
            } else {
                guard let value = Int(rangeText), bounds.contains(value) else { throw bad(name, text, bounds) }
                range = value...(pieces.count == 2 ? bounds.upperBound : value)
            }
            values.formUnion(stride(from: range.lowerBound, through: range.upperBound, by: step))
        }
        return values
    }

    private static func bad(_ name: String, _ text: String, _ bounds: ClosedRange<Int>) -> ParseError {
        ParseError(description: "the \(name) field \"\(text)\" is not a cron field of numbers \(bounds.lowerBound)–\(bounds.upperBound), *, lists, ranges and /steps")
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(expression)
    }

    public static func == (lhs: CronSchedule, rhs: CronSchedule) -> Bool { lhs.expression == rhs.expression }
    public func hash(into hasher: inout Hasher) { hasher.combine(expression) }
}
