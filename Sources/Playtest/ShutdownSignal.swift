import Dispatch
import Foundation

/// Waits for SIGINT or SIGTERM, so that `serve` and `worker` shut down gracefully.
enum ShutdownSignal {
    static func wait() async -> Int32 {
        let stream = AsyncStream<Int32> { continuation in
            let sources = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { continuation.yield(signalNumber) }
                source.resume()
                return source
            }
            continuation.onTermination = { _ in sources.forEach { $0.cancel() } }
        }
        for await signalNumber in stream { return signalNumber }
        return SIGTERM
    }
}
