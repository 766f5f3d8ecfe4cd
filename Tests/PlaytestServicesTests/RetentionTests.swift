import Foundation
import NIOCore
import PlaytestCore
@testable import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import SQLKit
import Testing

@Suite("Retention", .serialized)
struct RetentionTests {
    /// An old finished run with steps and a screenshot, an old one with a finding's sighting, a recent one, and a blob
    /// no row names; then retention runs twice (the orphan goes only on the second sweep, past its grace).
    @Test("retention deletes old steps and screenshots (not a finding's evidence), orphans after their grace, expired sessions", arguments: TestDatabase.available)
    func retention(_ database: TestDatabase.Kind) async throws {
        try await ServicesHarness.with(database) { harness in
            let map = try await harness.addMap()
            let store = RunStore(sql: harness.engines.sql)
            let telemetry = TestTelemetryStore(sql: harness.engines.sql)
            let now = Date()
            let day: TimeInterval = 86_400
            var runs: [String] = []
            for age in [100.0, 100.0, 2.0] {
                let id = try await harness.addRun(.testing, on: map)
                runs.append(id)
                try await telemetry.insertSteps(runID: id, (1...100).map {
                    StepRow(episode: 1, step: $0, tic: $0, x: 0, y: 0, angle: 0, health: 100, armor: 0, ammo: 1, weapon: 2, killcount: 0, action: 0, reward: nil)
                })
                let key = "runs/\(id)/shot.png"
                _ = try await harness.engines.blobs.put(key, bytes: ByteBuffer(bytes: [UInt8](repeating: 1, count: 1000)), contentType: "image/png")
                try await telemetry.addArtifact(ArtifactInfo(id: "art_\(id)", runID: id, kind: "screenshot", episode: 1, tic: 10, reason: "tic",
                                                             blobKey: key, bytes: 1000, contentType: "image/png", createdAt: now))
                #expect(try await store.finish(id: id, status: .completed, from: [.pending], error: nil, stderrTail: nil,
                                               at: now.addingTimeInterval(-age * day)))
            }
            // The second old run is a finding's evidence.
            try await harness.engines.sql.sql.raw("""
                INSERT INTO findings (id, map_name, level, kind, severity, source, message, x, y, status, first_seen, last_seen, occurrences, last_map_id)
                VALUES ('bug_1', 'Test map', 'MAP01', 'stuck', 'warning', 'play', 'stuck here', 0, 0, 'open', \(bind: now), \(bind: now), 1, \(bind: map.id?.uuidString ?? ""))
                """).run()
            try await harness.engines.sql.sql.raw("""
                INSERT INTO finding_sightings (finding_id, sighting, map_id, run_id, episode, tic, x, y, seen_at)
                VALUES ('bug_1', 's1', \(bind: map.id?.uuidString ?? ""), \(bind: runs[1]), 1, 10, 0, 0, \(bind: now))
                """).run()
            let sql = harness.engines.sql.sql
            try await sql.raw("INSERT INTO users (id, email, password_hash) VALUES ('u1', 'u1@example.com', 'x')").run()
            for (id, expires) in [("s_old", now.addingTimeInterval(-60)), ("s_live", now.addingTimeInterval(3600))] {
                try await sql.raw("""
                    INSERT INTO browser_sessions (id, user_id, token_hash, csrf_token, expires_at, created_at)
                    VALUES (\(bind: id), 'u1', \(bind: id + "-hash"), 'c', \(bind: expires), \(bind: now))
                    """).run()
                try await sql.raw("""
                    INSERT INTO refresh_tokens (id, user_id, token_hash, family, expires_at, created_at)
                    VALUES (\(bind: id), 'u1', \(bind: id + "-hash"), 'f', \(bind: expires), \(bind: now))
                    """).run()
            }
            _ = try await harness.engines.blobs.put("runs/gone/orphan.png", bytes: ByteBuffer(bytes: [UInt8](repeating: 2, count: 500)), contentType: "image/png")

            let first = try await harness.services.retention.run(now: now, logger: TestDatabase.quietLogger())
            #expect(first.stepRuns == 2 && first.stepRows == 200, "both old runs lose their steps")
            #expect(first.artifacts == 1 && first.artifactBytes == 1000, "only the old run without a finding loses its screenshot")
            #expect(first.orphansSeen == 1 && first.orphansDeleted == 0, "an orphan waits for its grace period")
            #expect(first.sessions == 1 && first.refreshTokens == 1, "the expired sign-ins go, the live ones stay")
            #expect(try await sql.raw("SELECT id FROM browser_sessions").all().map { try $0.decode(column: "id", as: String.self) } == ["s_live"])
            #expect(try await harness.engines.blobs.exists("runs/gone/orphan.png"))
            #expect(!(try await harness.engines.blobs.exists("runs/\(runs[0])/shot.png")))
            #expect(try await harness.engines.blobs.exists("runs/\(runs[1])/shot.png"))
            #expect(try await telemetry.artifacts(runID: runs[0]).isEmpty)
            #expect(try await telemetry.steps(runID: runs[2], episode: 1).count == 100, "a recent run keeps everything")

            let later = now.addingTimeInterval(7 * 3600)
            let second = try await harness.services.retention.run(now: later, logger: TestDatabase.quietLogger())
            #expect(second.stepRows == 0 && second.artifacts == 0, "nothing is deleted twice")
            #expect(second.orphansDeleted == 1 && second.orphanBytes == 500)
            #expect(!(try await harness.engines.blobs.exists("runs/gone/orphan.png")))
            let reports = try await harness.services.retention.reports()
            #expect(reports.count == 2 && reports.first?.orphansDeleted == 1, "newest first")
        }
    }

    @Test("the periodic job is queued once per period however many workers offer it")
    func periodicOnce() async throws {
        try await ServicesHarness.with { harness in
            let queue = harness.engines.queue
            var added = 0
            for _ in 0..<5 where try await queue.enqueuePeriodic(kind: Retention.jobKind, period: .seconds(86_400)) { added += 1 }
            #expect(added == 1)
            let jobs = try await queue.list(states: [], limit: 10).filter { $0.kind == Retention.jobKind }
            #expect(jobs.count == 1)
            let job = try #require(jobs.first)
            #expect(job.scheduledAt % 86_400_000 == 0 && Double(job.scheduledAt) <= Date().timeIntervalSince1970 * 1000, "due at the period's start")
        }
    }
}
