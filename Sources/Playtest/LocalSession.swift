import ArgumentParser
import Dispatch
import Foundation
import Logging
import PlaytestCore
import PlaytestServices
import PlaytestStorage
import PlaytestWorker

/// What `playtest test` and `playtest train` share: the configured engines (embedded by default), the services on
/// them, and an in-process worker that plays the one run while its progress is shown.
struct LocalSession {
    let services: Services
    let logger: Logger

    static func open() async throws -> LocalSession {
        var env = Bootstrap.environment()
        // A one-off command shows its own progress; the worker's info logs would only clutter it.
        if env["PLAYTEST_LOG_LEVEL"] == nil { env["PLAYTEST_LOG_LEVEL"] = "warning" }
        if env["PLAYTEST_LOG_FORMAT"] == nil { env["PLAYTEST_LOG_FORMAT"] = "text" }
        let logger = Bootstrap.logging(env)
        let configuration = try Bootstrap.configuration(env)
        let engines = try await Bootstrap.engines(configuration, logger: logger)
        return LocalSession(services: .standard(engines: engines, logger: logger), logger: logger)
    }

    /// Opens a session, runs `body` with it, and closes it whatever `body` does.
    static func run(_ body: (LocalSession) async throws -> Void) async throws {
        let session = try await open()
        do {
            try await body(session)
            await session.close()
        } catch {
            await session.close()
            throw error
        }
    }

    func close() async {
        await services.engines.shutdown()
    }

    /// A WAD file (imported into the library; an identical one already there is reused), or the name of
    /// a bundled VizDoom scenario (`defend_the_center`), which plays with its scenario settings. A WAD without the
    /// `level` asked for is refused before it is stored.
    func importMap(_ argument: String, level: String?) async throws -> MapView {
        if FileManager.default.fileExists(atPath: argument) {
            do {
                return try await services.maps.importWAD(fileAt: argument, level: level).map
            } catch let error as MapLibraryError {
                throw StartupError(message: "\(argument): \(error)")
            }
        }
        if let vizdoom = BuiltinMaps.vizdoomDirectory(pythonPath: services.configuration.pythonPath),
           let map = try await BuiltinMaps.scenario(named: argument, vizdoomDirectory: vizdoom, into: services.maps) {
            return map
        }
        throw StartupError(message: "\(argument) is neither a WAD file nor a bundled VizDoom scenario (e.g. defend_the_center, health_gathering)")
    }

    /// Starts a run; a refused request ends the command with its reason.
    func start(_ launch: (RunLauncher) async throws -> RunStarted) async throws -> RunStarted {
        do {
            return try await launch(services.launcher)
        } catch let error as RunRequestError {
            throw StartupError(message: error.message)
        }
    }

    /// Plays the run with an in-process worker until it ends; `show` gets every live message of the run.
    /// The first Ctrl-C (or SIGTERM) stops the run cleanly; the command then reports what it has.
    func play(_ started: RunStarted, show: @escaping @Sendable (RunLiveMessage) -> Void) async throws -> RunView {
        let runID = started.id
        let kind = started.kind
        let engines = services.engines
        let pool = WorkerPool(
            queue: engines.queue, registry: engines.workers, handlers: try JobHandlers.runs(services: services, timeLimits: JobHandlers.timeLimits(env: Bootstrap.environment(), options: [])),
            options: .init(concurrency: 1, pollInterval: .milliseconds(200)), logger: logger)
        let subscription = try await services.live.subscribe(runIDs: [runID])
        // The run's status changes wake the wait below at once (the signal only says "look again").
        let statusChanged = JobWakeups()
        let watcher = Task {
            for await text in subscription.messages {
                guard let live = try? RunLiveMessage(json: text) else { continue }
                show(live)
                if case .runStatus = live { statusChanged.signal() }
            }
        }
        let interrupts = LocalInterrupts()
        let launcher = services.launcher
        let stopper = Task {
            var count = 0
            for await _ in interrupts.signals {
                count += 1
                if count > 1 { Foundation.exit(130) }
                FileHandle.standardError.write(Data("\nstopping the run (Ctrl-C again to quit at once)…\n".utf8))
                _ = try? await launcher.stop(kind: kind, ids: [runID])
            }
        }
        let running = Task { await pool.run() }
        var finished: RunView?
        while finished == nil {
            let seen = statusChanged.generation
            let run = try await services.reports.run(id: runID)
            if run.status.isFinal {
                finished = run
            } else {
                await statusChanged.wait(timeout: .seconds(1), after: seen)
                try Task.checkCancellation()
            }
        }
        pool.shutdown()
        await running.value
        stopper.cancel()
        interrupts.cancel()
        await subscription.cancel()
        watcher.cancel()
        guard let finished else { throw StartupError(message: "run \(runID) vanished") }
        return finished
    }
}

/// SIGINT and SIGTERM as an async sequence while a local run plays.
final class LocalInterrupts: Sendable {
    let signals: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation
    private let sources: [UncheckedSource]

    private struct UncheckedSource: @unchecked Sendable {
        let source: any DispatchSourceSignal
    }

    init() {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.signals = stream
        self.continuation = continuation
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return UncheckedSource(source: source)
        }
    }

    func cancel() {
        sources.forEach { $0.source.cancel() }
        continuation.finish()
    }
}
