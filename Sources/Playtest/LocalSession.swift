import ArgumentParser
import Dispatch
import Foundation
import Logging
import PlaytestStorage
import PlaytestWorker

/// What `playtest test` and `playtest train` share: the configured engines (embedded by default), the map
/// library, a launcher, and an in-process worker that plays the one run while its progress is shown.
struct LocalSession {
    let engines: PlaytestEngines
    let library: MapLibrary
    let launcher: RunLauncher
    let logger: Logger

    static func open() async throws -> LocalSession {
        var env = Bootstrap.environment()
        // A one-off command shows its own progress; the worker's info logs would only clutter it.
        if env["PLAYTEST_LOG_LEVEL"] == nil { env["PLAYTEST_LOG_LEVEL"] = "warning" }
        if env["PLAYTEST_LOG_FORMAT"] == nil { env["PLAYTEST_LOG_FORMAT"] = "text" }
        let logger = Bootstrap.logging(env)
        let configuration = try Bootstrap.configuration(env)
        let engines = try await Bootstrap.engines(configuration, migrate: configuration.isEmbedded, logger: logger)
        let library = Bootstrap.mapLibrary(engines)
        return LocalSession(engines: engines, library: library, launcher: RunLauncher(engines: engines, library: library), logger: logger)
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
        await engines.shutdown()
    }

    /// A WAD file (imported into the library; an identical one already there is reused), or the name of
    /// a bundled VizDoom scenario (`defend_the_center`), which plays with its scenario settings.
    func importMap(_ argument: String) async throws -> MapRecord {
        if FileManager.default.fileExists(atPath: argument) {
            let (sha, size) = try BuiltinMaps.fileDigest(argument)
            do {
                return try await library.importWAD(
                    fileAt: argument, sha256: sha, sizeBytes: size, filename: (argument as NSString).lastPathComponent, name: nil).record
            } catch let error as MapLibraryError {
                throw StartupError(message: "\(argument): \(error)")
            }
        }
        let stem = argument.hasSuffix(".cfg") ? String(argument.dropLast(4)) : argument
        if let vizdoom = BuiltinMaps.vizdoomDirectory(pythonPath: engines.configuration.pythonPath),
           stem.range(of: #"^[A-Za-z0-9_]+$"#, options: .regularExpression) != nil,
           FileManager.default.fileExists(atPath: "\(vizdoom)/scenarios/\(stem).wad"),
           FileManager.default.fileExists(atPath: "\(vizdoom)/scenarios/\(stem).cfg") {
            let path = "\(vizdoom)/scenarios/\(stem).wad"
            let (sha, size) = try BuiltinMaps.fileDigest(path)
            return try await library.importWAD(
                fileAt: path, sha256: sha, sizeBytes: size, filename: "\(stem).wad", name: "VizDoom: \(stem.replacingOccurrences(of: "_", with: " "))",
                builtin: true, scenario: "\(stem).cfg").record
        }
        throw StartupError(message: "\(argument) is neither a WAD file nor a bundled VizDoom scenario (e.g. defend_the_center, health_gathering)")
    }

    /// Plays the run with an in-process worker until it ends; `show` gets every live message of the run.
    /// The first Ctrl-C (or SIGTERM) stops the run cleanly; the command then reports what it has.
    func play(runID: String, kind: RunRecord.Kind, show: @escaping @Sendable (RunLiveMessage) -> Void) async throws -> RunRecord {
        let handlers = try JobHandlers.all(engines: engines, library: library)
        let pool = WorkerPool(
            queue: engines.queue, registry: engines.workers, handlers: handlers,
            options: .init(concurrency: 1, pollInterval: .milliseconds(200)), logger: logger)
        let subscription = try await RunLiveState(live: engines.live).subscribe(runIDs: [runID])
        // The run's status changes wake the wait below at once (the signal only says "look again").
        let statusChanged = JobWakeups()
        let watcher = Task {
            for await message in subscription.messages {
                guard let live = try? RunLiveMessage(json: message.payload) else { continue }
                show(live)
                if case .runStatus = live { statusChanged.signal() }
            }
        }
        let interrupts = LocalInterrupts()
        let launcher = self.launcher
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
        let runs = RunStore(sql: engines.sql)
        var finished: RunRecord?
        while finished == nil {
            let seen = statusChanged.generation
            if let run = try await runs.run(id: runID), run.status.isFinal {
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
