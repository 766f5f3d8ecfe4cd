import Foundation
import PlaytestTestSupport
import Testing
@testable import PlaytestCore

/// docs/telemetry.md defines every event type and every aggregate key; this keeps it from falling behind the code.
@Suite("docs/telemetry.md")
struct TelemetryDocsTests {
    static let text: String? = try? String(contentsOfFile: Repository.path("docs/telemetry.md"), encoding: .utf8)

    @Test(.enabled(if: TelemetryDocsTests.text != nil, "docs/telemetry.md is not next to the tests"))
    func everyEventTypeAndMetricKeyIsDefined() throws {
        let text = try #require(Self.text)
        for type in TelemetryEventType.allCases {
            #expect(text.contains("| `\(type.rawValue)` |"), "event type \(type.rawValue) has no row")
        }
        let aggregate = try JSONRoundTrip.object(AggregateMetrics(episodes: []))
        for key in aggregate.keys {
            #expect(text.contains("`\(key)`"), "aggregate key \(key) is not defined")
        }
        let episode = try JSONRoundTrip.object(EpisodeMetrics(episodeNum: 0, kills: 0, deaths: 0, durationSeconds: 0, healthLost: 0,
                                                              ammoUsed: 0, finalHealth: 0, exitReached: false))
        for key in episode.keys {
            #expect(text.contains("`\(key)`"), "episode key \(key) is not defined")
        }
        for code in ["empty_line", "line_too_long", "truncated_json", "invalid_json", "not_an_object", "missing_version",
                     "unsupported_version", "missing_type", "unknown_type", "missing_field", "unknown_field",
                     "wrong_field_type", "out_of_range"] {
            #expect(text.contains("`\(code)`"), "decoder error \(code) is not listed")
        }
    }
}
