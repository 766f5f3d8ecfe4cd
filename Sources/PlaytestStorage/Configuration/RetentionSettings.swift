import Foundation

/// How long what the platform stores is kept (docs/operations.md#retention).
public struct RetentionSettings: Sendable, Equatable {
    /// Step telemetry of runs that ended longer ago goes (`PLAYTEST_RETENTION_STEPS_DAYS`, default 30).
    public var stepsDays = 30
    /// Screenshots of runs that ended longer ago go, unless a finding was seen in the run (`PLAYTEST_RETENTION_SCREENSHOTS_DAYS`, default 90).
    public var screenshotsDays = 90
    /// How often retention runs, once across all workers (`PLAYTEST_RETENTION_PERIOD_HOURS`, default 24; 0 turns it off).
    public var periodHours = 24
    /// A blob no row names goes once a sweep this long after the first still finds it so (`PLAYTEST_RETENTION_ORPHAN_GRACE_HOURS`, default 6).
    public var orphanGraceHours = 6

    public init() {}

    static func load(from env: [String: String]) throws(ConfigurationError) -> RetentionSettings {
        var settings = RetentionSettings()
        settings.stepsDays = try number(env, "PLAYTEST_RETENTION_STEPS_DAYS", 1...36_500) ?? settings.stepsDays
        settings.screenshotsDays = try number(env, "PLAYTEST_RETENTION_SCREENSHOTS_DAYS", 1...36_500) ?? settings.screenshotsDays
        settings.periodHours = try number(env, "PLAYTEST_RETENTION_PERIOD_HOURS", 0...8_760) ?? settings.periodHours
        settings.orphanGraceHours = try number(env, "PLAYTEST_RETENTION_ORPHAN_GRACE_HOURS", 1...8_760) ?? settings.orphanGraceHours
        return settings
    }

    private static func number(_ env: [String: String], _ name: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = env[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, problem: "\(text.debugDescription) is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}
