/// Where a tracked finding stands in triage (the bugs API's `status`).
public enum FindingStatus: String, Sendable, Codable, CaseIterable {
    case open
    case confirmed
    case fixed
    case wontFix = "wont_fix"
    case falsePositive = "false_positive"
}
