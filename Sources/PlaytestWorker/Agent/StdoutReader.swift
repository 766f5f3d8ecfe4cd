import Foundation
import PlaytestCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an agent's stdout on its own thread: splits it into lines, decodes each with
/// ``AgentLineDecoder`` and yields the messages of each pipe read as one batch. After a bad line, or
/// once nobody listens, it keeps reading to the end of the pipe and drops the rest, so the agent can
/// never block on a full pipe.
struct StdoutReader {
    let handle: FileHandle
    let continuation: AsyncThrowingStream<[AgentMessage], any Error>.Continuation
    let decoder = AgentLineDecoder()

    func run() {
        let fd = handle.fileDescriptor
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var batch: [AgentMessage] = []
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
                let error: (any Error)?
                if pending.isEmpty {
                    error = decode(chunk[start..<index], lineNumber: lineNumber, into: &batch)
                } else {
                    pending.append(contentsOf: chunk[start..<index])
                    error = decode(pending[...], lineNumber: lineNumber, into: &batch)
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
                if let error {
                    // The lines before the bad one are delivered, then the error.
                    deliver(&batch)
                    continuation.finish(throwing: error)
                    listening = false
                    break
                }
            }
            if listening, start < count {
                pending.append(contentsOf: chunk[start..<count])
                if pending.count > decoder.maxLineLength {
                    deliver(&batch)
                    continuation.finish(throwing: AgentProcessError.protocolViolation(
                        line: lineNumber + 1, error: .lineTooLong(length: pending.count, limit: decoder.maxLineLength)))
                    listening = false
                    pending = []
                }
            }
            if listening { listening = deliver(&batch) }
        }
        if listening {
            if !pending.isEmpty {
                // The last line has no newline: the agent died while writing it.
                let error = decode(pending[...], lineNumber: lineNumber + 1, into: &batch)
                deliver(&batch)
                if let error { continuation.finish(throwing: error) } else { continuation.finish() }
            } else {
                continuation.finish()
            }
        }
        try? handle.close()
    }

    /// Decodes one line into `batch`; the protocol violation when it is not a valid message.
    private func decode(_ line: ArraySlice<UInt8>, lineNumber: Int, into batch: inout [AgentMessage]) -> (any Error)? {
        do {
            batch.append(try decoder.decode(line))
            return nil
        } catch {
            return AgentProcessError.protocolViolation(line: lineNumber, error: error)
        }
    }

    /// Yields the batch (if any) and empties it; false once nobody listens.
    @discardableResult
    private func deliver(_ batch: inout [AgentMessage]) -> Bool {
        guard !batch.isEmpty else { return true }
        defer { batch = [] }
        if case .terminated = continuation.yield(batch) { return false }
        return true
    }
}
