import Dispatch
import Foundation

/// Waits for SIGINT or SIGTERM, so that `serve` and `worker` shut down gracefully.
enum ShutdownSignal {
    static func wait() async -> Int32 {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        for await signalNumber in stream { return signalNumber }
        return SIGTERM
    }
}
