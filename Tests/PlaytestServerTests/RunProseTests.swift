import Foundation
import Logging
import NIOConcurrencyHelpers
import PlaytestCore
@testable import PlaytestServer
@testable import PlaytestServices
@testable import PlaytestStorage
import PlaytestTestSupport
import Testing
import Vapor

/// The optional LLM summary against a server on loopback that speaks the chat-completions protocol: what it is sent
/// (the run's facts and its pictures), what is stored (the prompt without the pictures' bytes, the answer), and that a
/// refusal, a hang past the time-out or no server at all is stored as the summary's error and never thrown.
@Suite("LLM summary", .serialized, .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
struct RunProseTests {
    /// How the fake server answers.
    enum Mode: Sendable { case answer, refuse, hang }

    /// `POST /v1/chat/completions` on 127.0.0.1: records each request body, then answers as `mode` says.
    final class ChatServer: Sendable {
        let app: Application
        let bodies = NIOLockedValueBox<[Data]>([])
        let headers = NIOLockedValueBox<[HTTPHeaders]>([])

        init(mode: Mode) async throws {
            app = try await Application.make(.testing)
            app.logger.logLevel = .critical
            app.routes.defaultMaxBodySize = "10mb"
            app.post("v1", "chat", "completions") { [bodies, headers] request async throws -> Response in
                let data = Data(buffer: request.body.data ?? ByteBuffer())
                bodies.withLockedValue { $0.append(data) }
                headers.withLockedValue { $0.append(request.headers) }
                switch mode {
                case .answer:
                    let answer = #"{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"The map plays well; fix the lift."},"finish_reason":"stop"}]}"#
                    return Response(status: .ok, headers: ["content-type": "application/json"], body: .init(string: answer))
                case .refuse:
                    return Response(status: .internalServerError, body: .init(string: #"{"error":{"message":"model overloaded"}}"#))
                case .hang:
                    try await Task.sleep(for: .seconds(10))
                    return Response(status: .ok)
                }
            }
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        }

        var baseURL: String { "http://127.0.0.1:\(app.http.server.shared.localAddress?.port ?? 0)/v1" }

        func stop() async throws {
            await app.server.shutdown()
            try await app.asyncShutdown()
        }
    }

    /// Private engines with the LLM at `baseURL`, a completed run of two episodes with one colour frame, and `test`.
    func withRun(llm baseURL: String, timeout: Duration = .seconds(5), _ test: (Services, String, TestTelemetryStore) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-prose-\(UUID().uuidString)").path
        let configuration = PlaytestConfiguration(
            dataDirectory: folder, pythonPath: Repository.python, agentDirectory: Repository.agentDirectory,
            llm: LLMSettings(baseURL: baseURL, apiKey: "sk-test", model: "test-model", timeout: timeout))
        let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: TestDatabase.quietLogger())
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let services = Services(engines: engines, logger: TestDatabase.quietLogger())
            let mapID = try await importScenario(engines)
            let runID = try await services.launcher.startTest(TestRunRequest(mapID: mapID, agent: "random", episodes: 2, params: [:])).id
            let tests = TestTelemetryStore(sql: engines.sql)
            for episode in [1, 2] {
                let death = TelemetryEvent(frame: 300, x: 500, y: 600, detail: .death(health: 0, ammo: 10))
                try await tests.saveEpisode(
                    runID: runID,
                    metrics: EpisodeMetrics(episodeNum: episode, kills: 2, deaths: 1, durationSeconds: 8.6, healthLost: 100, ammoUsed: 5,
                                            finalHealth: 0, exitReached: false, endReason: .death, events: [death]),
                    log: EpisodeLog(episodeNum: episode, durationSeconds: 8.6, frames: 300, events: [death], healthTimeline: []))
            }
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
            let key = "runs/\(runID)/frames/episode_0001_tic_000302.png"
            _ = try await engines.blobs.put(key, bytes: ByteBuffer(bytes: png), contentType: "image/png")
            try await tests.addArtifacts([ArtifactInfo(id: "art_frame1", runID: runID, kind: "frame", episode: 1, tic: 302, reason: "evidence",
                                                       blobKey: key, bytes: Int64(png.count), contentType: "image/png", createdAt: Date())])
            try await test(services, runID, tests)
        } catch {
            await engines.shutdown()
            throw error
        }
        await engines.shutdown()
    }

    @Test("the run's facts and its colour frame go to the model; the prompt (without the picture's bytes) and the answer are stored")
    func answered() async throws {
        let server = try await ChatServer(mode: .answer)
        do {
            try await withRun(llm: server.baseURL) { services, runID, tests in
                try await services.playback.evidence.prose.write(runID: runID, logger: TestDatabase.quietLogger())
                let prose = try #require(try await tests.prose(runID: runID))
                #expect(prose.answer == "The map plays well; fix the lift." && prose.error == nil && prose.model == "test-model")
                #expect(prose.prompt.contains("[picture: artifact art_frame1, frame at tic 302]"))
                #expect(!prose.prompt.contains("base64"), "the stored prompt names the picture, it does not hold it")
                #expect(prose.prompt.contains("Died in 2 of 2 episodes"), "the rule-based narrative is part of the facts")

                let sent = try #require(server.bodies.withLockedValue { $0.first })
                let body = try #require(try JSONSerialization.jsonObject(with: sent) as? [String: Any])
                #expect(body["model"] as? String == "test-model")
                let messages = try #require(body["messages"] as? [[String: Any]])
                #expect(messages.map { $0["role"] as? String } == ["system", "user"])
                let parts = try #require(messages[1]["content"] as? [[String: Any]])
                let image = try #require(parts.first { $0["type"] as? String == "image_url" }?["image_url"] as? [String: Any])
                #expect((image["url"] as? String)?.hasPrefix("data:image/png;base64,iVBORw0KGgo") == true)
                #expect(server.headers.withLockedValue { $0.first?.bearerAuthorization?.token } == "sk-test")

                let narrative = try await services.reports.narrative(id: runID)
                #expect(narrative.prose?.answer == "The map plays well; fix the lift.")
            }
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test("a refusal, a hang past the time-out and no server at all are stored as the summary's error, never thrown",
          arguments: [Mode.refuse, Mode.hang])
    func failures(_ mode: Mode) async throws {
        let server = try await ChatServer(mode: mode)
        do {
            // A short time-out for the hang; the refusal is answered at once, but a loaded CI box may take over a
            // second to deliver it (a fresh-clone CI run saw "did not answer" for it at 1 s).
            try await withRun(llm: server.baseURL, timeout: mode == .hang ? .seconds(1) : .seconds(5)) { services, runID, tests in
                let started = ContinuousClock.now
                try await services.playback.evidence.prose.write(runID: runID, logger: TestDatabase.quietLogger())
                #expect(ContinuousClock.now - started < .seconds(8), "the time-out bounds the wait")
                let prose = try #require(try await tests.prose(runID: runID))
                #expect(prose.answer == nil)
                #expect(prose.error?.contains(mode == .refuse ? "answered 500" : "did not answer") == true, "\(prose.error ?? "")")
            }
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test("no server listening: the error is stored")
    func unreachable() async throws {
        try await withRun(llm: "http://127.0.0.1:9/v1", timeout: .seconds(2)) { services, runID, tests in
            try await services.playback.evidence.prose.write(runID: runID, logger: TestDatabase.quietLogger())
            #expect(try await tests.prose(runID: runID)?.error?.contains("did not answer") == true)
        }
    }
}
