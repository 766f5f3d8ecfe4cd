import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Testing

@testable import PlaytestStorage

/// Shared helpers for the blob store tests: scratch folders, random files, S3 test stores.
enum BlobTestSupport {
    static let s3SkipReason: Comment =
        "PLAYTEST_TEST_S3_ENDPOINT is not set; start `moto_server -p 5055` and export PLAYTEST_TEST_S3_ENDPOINT=http://127.0.0.1:5055 to run the S3 tests"

    /// The S3-compatible server the integration tests use, when configured.
    static var s3Endpoint: String? {
        guard let value = ProcessInfo.processInfo.environment["PLAYTEST_TEST_S3_ENDPOINT"], !value.isEmpty else {
            return nil
        }
        return value
    }

    static var s3Configured: Bool { s3Endpoint != nil }

    /// A new S3 store on a bucket of its own, created for this test.
    static func makeS3Store(
        listPageSize: Int = 1000,
        payloadSigning: S3BlobStore.PayloadSigning = .unsigned
    ) async throws -> S3BlobStore {
        let endpoint = try #require(s3Endpoint, "PLAYTEST_TEST_S3_ENDPOINT is not set")
        let bucket = "playtest-test-" + UUID().uuidString.lowercased().prefix(18)
        let store = try S3BlobStore(
            endpoint: endpoint, bucket: String(bucket), region: "us-east-1",
            accessKey: "playtest-test", secretKey: "playtest-test-secret",
            listPageSize: listPageSize, payloadSigning: payloadSigning
        )
        try await store.createBucketIfMissing()
        return store
    }

    /// A fresh, empty folder under the system's temporary folder.
    static func makeFolder() throws -> String {
        let path = NSTemporaryDirectory() + "playtest-blobs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func removeFolder(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `size` pseudo-random bytes to a new file in `folder`; returns its path and SHA-256.
    static func makeRandomFile(in folder: String, size: Int, name: String = "source.bin") throws -> (path: String, sha256: String) {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: size)
        for index in stride(from: 0, to: size, by: 8) {
            let word = generator.next() as UInt64
            for offset in 0..<min(8, size - index) {
                bytes[index + offset] = UInt8(truncatingIfNeeded: word >> (offset * 8))
            }
        }
        let path = "\(folder)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, sha256(Data(bytes)))
    }

    static func sha256(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(fileAt path: String) throws -> String {
        sha256(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func collect(_ stream: BlobStream) async throws -> (bytes: [UInt8], chunks: Int) {
        var bytes: [UInt8] = []
        var chunks = 0
        for try await chunk in stream.chunks {
            bytes += chunk.readableBytesView
            chunks += 1
        }
        return (bytes, chunks)
    }
}
