import Foundation
import NIOCore
import PlaytestCore
@testable import PlaytestServer
@testable import PlaytestServices
@testable import PlaytestStorage
import Testing
import VaporTesting

/// A test run's evidence over HTTP: `GET /runs/{id}/evidence` per episode with its markers, and the video served whole,
/// as one byte range (206) for a seeking browser, or 416 past its end. The run and its files are written directly;
/// EvidenceJobTests make them with the real replay.
@Suite("Evidence API", .serialized, .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
struct EvidenceAPITests {
    @Test("byte ranges: one range served, several or malformed ones answered whole, none past the end")
    func ranges() {
        #expect(ByteRange(header: nil, size: 100) == .whole)
        #expect(ByteRange(header: "bytes=0-9", size: 100) == .part(0, 9))
        #expect(ByteRange(header: "bytes=90-", size: 100) == .part(90, 99))
        #expect(ByteRange(header: "bytes=90-500", size: 100) == .part(90, 99))
        #expect(ByteRange(header: "bytes=-10", size: 100) == .part(90, 99))
        #expect(ByteRange(header: "bytes=-500", size: 100) == .part(0, 99))
        #expect(ByteRange(header: "bytes=100-", size: 100) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-0", size: 100) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=0-1,5-6", size: 100) == .whole)
        #expect(ByteRange(header: "bytes=9-2", size: 100) == .whole)
        #expect(ByteRange(header: "items=0-1", size: 100) == .whole)
        #expect(ByteRange(header: "bytes=x-1", size: 100) == .whole)
    }

    @Test("the evidence of a run's episodes, and its video by range")
    func evidenceAndVideo() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await importScenario(engines)
            let services = testServices(engines)
            let runID = try await services.launcher.startTest(TestRunRequest(mapID: mapID, agent: "random", episodes: 2, params: [:])).id
            let tests = TestTelemetryStore(sql: engines.sql)
            let events = [TelemetryEvent(frame: 70, x: 10, y: 20, detail: .kill(killcount: 1, health: 100, ammo: 20)),
                          TelemetryEvent(frame: 140, x: 30, y: 40, detail: .healthLost(before: 100, after: 90, damage: 10))]
            // Both episodes die at nearly the same place: one spot, 2×.
            for episode in [1, 2] {
                let death = TelemetryEvent(frame: 300, x: 500 + Double(episode) * 10, y: 600, detail: .death(health: 0, ammo: 10))
                let ofEpisode = (episode == 1 ? events : []) + [death]
                try await tests.saveEpisode(
                    runID: runID,
                    metrics: EpisodeMetrics(episodeNum: episode, kills: 1, deaths: 1, durationSeconds: 10, healthLost: 10, ammoUsed: 0,
                                            finalHealth: 90, exitReached: false, events: ofEpisode),
                    log: EpisodeLog(episodeNum: episode, durationSeconds: 10, frames: 350, events: ofEpisode, healthTimeline: []))
            }
            let video = (0..<5000).map { UInt8($0 % 251) }
            let key = "videos/\(runID)/episode_0001.webm"
            _ = try await engines.blobs.put(key, bytes: ByteBuffer(bytes: video), contentType: "video/webm")
            let videoID = "art_video1"
            try await tests.addArtifacts([
                ArtifactInfo(id: videoID, runID: runID, kind: "video", episode: 1, tic: 350, reason: "episode", blobKey: key,
                             bytes: Int64(video.count), contentType: "video/webm", createdAt: Date()),
            ])
            try await tests.recordEvidence(EpisodeEvidence(runID: runID, episode: 1, missing: nil,
                                                           summary: #"{"missing":false,"checked_tics":80,"verified_to_tic":350}"#, createdAt: Date()))
            try await tests.recordEvidence(EpisodeEvidence(runID: runID, episode: 2, missing: "the episode has no demo",
                                                           summary: #"{"missing":true,"reason":"the episode has no demo"}"#, createdAt: Date()))

            try await app.testing().test(.GET, "api/v1/runs/\(runID)/evidence") { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let episodes = try #require(body?["episodes"] as? [[String: Any]])
                #expect(episodes.map { $0["state"] as? String } == ["made", "missing"])
                #expect((episodes[0]["video"] as? [String: Any])?["url"] as? String == "/api/v1/artifacts/\(videoID)/file")
                #expect(episodes[0]["verified_to_tic"] as? Int == 350)
                let markers = try #require(episodes[0]["markers"] as? [[String: Any]])
                #expect(markers.map { $0["kind"] as? String } == ["kill", "death"], "kills and deaths are marked; a hit is not")
                #expect(markers.first?["seconds"] as? Double == 2)
                #expect(episodes[1]["reason"] as? String == "the episode has no demo")
            }
            try await app.testing().test(.GET, "api/v1/artifacts/\(videoID)/file") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == HTTPMediaType(type: "video", subType: "webm"))
                #expect(response.headers.first(name: .acceptRanges) == "bytes")
                #expect(Array(buffer: response.body) == video)
            }
            try await app.testing().test(.GET, "api/v1/artifacts/\(videoID)/file", headers: ["Range": "bytes=4000-4099"]) { response in
                #expect(response.status == .partialContent)
                #expect(response.headers.first(name: .contentRange) == "bytes 4000-4099/5000")
                #expect(Array(buffer: response.body) == Array(video[4000...4099]))
            }
            try await app.testing().test(.GET, "api/v1/artifacts/\(videoID)/file", headers: ["Range": "bytes=-10"]) { response in
                #expect(response.status == .partialContent)
                #expect(Array(buffer: response.body) == Array(video.suffix(10)))
            }
            try await app.testing().test(.GET, "api/v1/artifacts/\(videoID)/file", headers: ["Range": "bytes=5000-"]) { response in
                #expect(response.status == .rangeNotSatisfiable)
                #expect(response.headers.first(name: .contentRange) == "bytes */5000")
            }
            _ = try await FindingStore(sql: engines.sql).record(
                [FindingObservation(kind: "death_hotspot", severity: .warning, source: .play, message: "2 deaths here", x: 505, y: 600,
                                    episode: 1, tic: 300)],
                mapName: "defend_the_center", level: "MAP01", mapID: mapID, runID: runID)
            try await app.testing().test(.GET, "api/v1/testing/\(runID)/summary") { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((body?["headline"] as? String)?.contains("played 2 episodes of MAP01") == true, "\(body ?? [:])")
                let deaths = try #require(body?["deaths"] as? [[String: Any]])
                #expect(deaths.count == 1 && deaths.first?["count"] as? Int == 2 && deaths.first?["episodes"] as? [Int] == [1, 2])
                let lines = try #require(body?["lines"] as? [String])
                #expect(lines.contains { $0.hasPrefix("Where agents die: (510, 600) 2× in episodes 1, 2") }, "\(lines)")
                #expect(lines.contains { $0.contains("Died in 2 of 2 episodes") }, "\(lines)")
                #expect(lines.contains("Colour videos: 1 of 2 episodes, 1 missing (episode 2: the episode has no demo)."), "\(lines)")
                let top = try #require(body?["top_findings"] as? [[String: Any]])
                #expect(top.map { $0["kind"] as? String } == ["death_hotspot"] && top.first?["sightings"] as? Int == 1)
            }
            try await app.testing().test(.GET, "api/v1/runs/test_nope/evidence") { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
