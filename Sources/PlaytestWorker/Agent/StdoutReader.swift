import Foundation
import PlaytestCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an agent's stdout on its own thread: splits it into lines, decodes each with
/// ``AgentLineDecoder`` and yields the messages. After a bad line, or once nobody listens, it keeps
/// reading to the end of the pipe and drops the rest, so the agent can never block on a full pipe.
struct StdoutReader {
    let handle: FileHandle
    let continuation: AsyncThrowingStream<AgentMessage, any Error>.Continuation
    let decoder = AgentLineDecoder()

    func run() {
        let fd = handle.fileDescriptor
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var lineNumber = 0
        var listening = true
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            guard listening else { continue }
            var start = 0
            for index in 0..<count where chunk[index] == 0x0A {
                lineNumber += 1
                let ok: Bool
                if pending.isEmpty {
                    ok = deliver(chunk[start..<index], lineNumber: lineNumber)
                } else {
                    pending.append(contentsOf: chunk[start..<index])
                    ok = deliver(pending[...], lineNumber: lineNumber)
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
                if !ok {
                    listening = false
                    break
                }
            }
            if listening, start < count {
                pending.append(contentsOf: chunk[start..<count])
                if pending.count > decoder.maxLineLength {
                    continuation.finish(throwing: AgentProcessError.protocolViolation(
                        line: lineNumber + 1, error: .lineTooLong(length: pending.count, limit: decoder.maxLineLength)))
                    listening = false
                    pending = []
                }
            }
        }
        if listening {
            if !pending.isEmpty {
                // The last line has no newline: the agent died while writing it.
                if deliver(pending[...], lineNumber: lineNumber + 1) { continuation.finish() }
            } else {
                continuation.finish()
            }
        }
        try? handle.close()
    }

    /// Decodes and yields one line; false when the stream ended (bad line, or nobody listens).
    private func deliver(_ line: ArraySlice<UInt8>, lineNumber: Int) -> Bool {
        do {
            let message = try decoder.decode(line)
            if case .terminated = continuation.yield(message) { return false }
            return true
        } catch {
            continuation.finish(throwing: AgentProcessError.protocolViolation(line: lineNumber, error: error))
            return false
        }
    }
}
