import Foundation
import PlaytestCore

/// A signing instant in the two UTC forms SigV4 uses: `20150830T123600Z` and `20150830`.
/// Computed arithmetically, so no locale or calendar setting can change it.
struct SigV4Date: Sendable, Hashable {
    let timestamp: String
    let day: String

    init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let civil = CivilDate(daysSince1970: Int(days))
        let day = Self.pad(Int64(civil.year), 4) + Self.pad(Int64(civil.month), 2) + Self.pad(Int64(civil.day), 2)
        self.day = day
        self.timestamp = day + "T" + Self.pad(secondOfDay / 3600, 2) + Self.pad(secondOfDay % 3600 / 60, 2)
            + Self.pad(secondOfDay % 60, 2) + "Z"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
