import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@testable import PlaytestStorage

/// Behaviour every `BlobStore` must have. Each check runs on a fresh, empty store; the folder
/// and S3 suites below run all of them.
enum BlobStoreConformance {
    enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case bytesRoundTrip
        case fileRoundTripIsByteIdentical
        case streamDeliversEveryByteInChunks
        case headAndExists
        case overwriteReplacesTheBlob
        case deleteRemovesAndIsIdempotent
        case listByPrefixIsSorted
        case missingKeyIsNotFound
        case invalidKeysAreRefusedAndWriteNothing
        case presignedURLServesTheBytesWhenOffered

        var testDescription: String { rawValue }
    }

    static func run(_ check: Check, on store: any BlobStore, scratch: String) async throws {
        switch check {
        case .bytesRoundTrip: try await bytesRoundTrip(store)
        case .fileRoundTripIsByteIdentical: try await fileRoundTrip(store, scratch: scratch)
        case .streamDeliversEveryByteInChunks: try await streamDeliversEveryByte(store, scratch: scratch)
        case .headAndExists: try await headAndExists(store)
        case .overwriteReplacesTheBlob: try await overwriteReplaces(store)
        case .deleteRemovesAndIsIdempotent: try await deleteRemoves(store)
        case .listByPrefixIsSorted: try await listByPrefix(store)
        case .missingKeyIsNotFound: try await missingKeyIsNotFound(store, scratch: scratch)
        case .invalidKeysAreRefusedAndWriteNothing: try await invalidKeysAreRefused(store, scratch: scratch)
        case .presignedURLServesTheBytesWhenOffered: try await presignedURLServesTheBytes(store)
        }
    }

    static func bytesRoundTrip(_ store: any BlobStore) async throws {
        let info = try await store.put("notes/hello.txt", bytes: ByteBuffer(string: "hello, doom"), contentType: "text/plain")
        #expect(info == BlobInfo(key: "notes/hello.txt", size: 11, contentType: "text/plain"))
        #expect(try await store.get("notes/hello.txt") == ByteBuffer(string: "hello, doom"))
        let empty = try await store.put("notes/empty", bytes: ByteBuffer(), contentType: nil)
        #expect(empty.size == 0)
        #expect(try await store.get("notes/empty").readableBytes == 0)
    }

    static func fileRoundTrip(_ store: any BlobStore, scratch: String) async throws {
        let source = try BlobTestSupport.makeRandomFile(in: scratch, size: 5 * 1024 * 1024 + 123)
        let stored = try await store.put("maps/ab/big.wad", fileAt: source.path, contentType: "application/x-doom-wad")
        #expect(stored.size == 5 * 1024 * 1024 + 123)
        let target = "\(scratch)/out/copy.wad"
        let downloaded = try await store.download("maps/ab/big.wad", toFile: target)
        #expect(downloaded.size == stored.size)
        #expect(try BlobTestSupport.sha256(fileAt: target) == source.sha256)
        // Downloading again replaces the file whole.
        _ = try await store.put("maps/ab/small.wad", bytes: ByteBuffer(string: "PWAD"), contentType: nil)
        _ = try await store.download("maps/ab/small.wad", toFile: target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "PWAD")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(scratch)/out")
        #expect(leftovers == ["copy.wad"], "no temporary files are left beside the download")
    }

    static func streamDeliversEveryByte(_ store: any BlobStore, scratch: String) async throws {
        let source = try BlobTestSupport.makeRandomFile(in: scratch, size: 1_000_003)
        _ = try await store.put("demos/run.lmp", fileAt: source.path, contentType: nil)
        let stream = try await store.stream("demos/run.lmp")
        #expect(stream.info.size == 1_000_003)
        let (bytes, chunks) = try await BlobTestSupport.collect(stream)
        #expect(bytes.count == 1_000_003)
        #expect(BlobTestSupport.sha256(bytes) == source.sha256)
        #expect(chunks > 1, "a megabyte arrives in several chunks, not one buffer")
    }

    static func headAndExists(_ store: any BlobStore) async throws {
        #expect(try await store.head("shots/1.png") == nil)
        #expect(try await store.exists("shots/1.png") == false)
        _ = try await store.put("shots/1.png", bytes: ByteBuffer(bytes: [1, 2, 3, 4]), contentType: "image/png")
        let info = try #require(try await store.head("shots/1.png"))
        #expect(info.key == "shots/1.png")
        #expect(info.size == 4)
        #expect(info.contentType == "image/png")
        #expect(try await store.exists("shots/1.png"))
        // A prefix of a key is not a blob.
        #expect(try await store.exists("shots") == false)
    }

    static func overwriteReplaces(_ store: any BlobStore) async throws {
        _ = try await store.put("ckpt/latest.pt", bytes: ByteBuffer(string: "first version"), contentType: nil)
        _ = try await store.put("ckpt/latest.pt", bytes: ByteBuffer(string: "second"), contentType: nil)
        #expect(try await store.get("ckpt/latest.pt") == ByteBuffer(string: "second"))
        #expect(try await store.head("ckpt/latest.pt")?.size == 6)
        #expect(try await store.list(prefix: "ckpt/").map(\.key) == ["ckpt/latest.pt"])
    }

    static func deleteRemoves(_ store: any BlobStore) async throws {
        _ = try await store.put("tmp/a", bytes: ByteBuffer(string: "a"), contentType: "text/plain")
        try await store.delete("tmp/a")
        #expect(try await store.exists("tmp/a") == false)
        try await store.delete("tmp/a")
        try await store.delete("never/was")
        // A new blob at a deleted key does not inherit its old content type.
        _ = try await store.put("tmp/a", bytes: ByteBuffer(string: "b"), contentType: nil)
        #expect(try await store.head("tmp/a")?.contentType != "text/plain")
    }

    static func listByPrefix(_ store: any BlobStore) async throws {
        let keys = ["maps/b.wad", "maps/a.wad", "maps/sub/c.wad", "mapsx/d.wad", "other/e.wad", "maps/a b+c.wad"]
        for (index, key) in keys.enumerated() {
            _ = try await store.put(key, bytes: ByteBuffer(repeating: 7, count: index + 1), contentType: nil)
        }
        let under = try await store.list(prefix: "maps/")
        #expect(under.map(\.key) == ["maps/a b+c.wad", "maps/a.wad", "maps/b.wad", "maps/sub/c.wad"])
        #expect(under.map(\.size) == [6, 2, 1, 3])
        #expect(try await store.list(prefix: "maps").map(\.key).contains("mapsx/d.wad"))
        #expect(try await store.list(prefix: "maps/a").map(\.key) == ["maps/a b+c.wad", "maps/a.wad"])
        #expect(try await store.list(prefix: "").map(\.key) == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(try await store.list(prefix: "nothing/").isEmpty)
    }

    static func missingKeyIsNotFound(_ store: any BlobStore, scratch: String) async throws {
        await #expect(throws: BlobError.notFound("no/such.wad")) { try await store.get("no/such.wad") }
        await #expect(throws: BlobError.notFound("no/such.wad")) { try await store.stream("no/such.wad") }
        await #expect(throws: BlobError.notFound("no/such.wad")) {
            try await store.download("no/such.wad", toFile: "\(scratch)/missing.wad")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(scratch)/missing.wad"))
    }

    static let invalidKeys = ["../escape", "maps/../../etc/passwd", "/etc/passwd", "a\0b", "a//b", "a\\b", "", "./a", "a/", "maps/.hidden"]

    static func invalidKeysAreRefused(_ store: any BlobStore, scratch: String) async throws {
        let source = try BlobTestSupport.makeRandomFile(in: scratch, size: 10)
        for key in invalidKeys {
            await #expect(throws: BlobError.self, "put \(key.debugDescription)") {
                _ = try await store.put(key, bytes: ByteBuffer(string: "x"), contentType: nil)
            }
            do {
                _ = try await store.put(key, fileAt: source.path, contentType: nil)
                Issue.record("put(fileAt:) accepted \(key.debugDescription)")
            } catch let error as BlobError {
                guard case .invalidKey(let refused, let reason) = error else {
                    Issue.record("expected invalidKey for \(key.debugDescription), got \(error)")
                    continue
                }
                #expect(refused == key)
                #expect(!reason.isEmpty)
            }
            await #expect(throws: BlobError.self) { try await store.get(key) }
            await #expect(throws: BlobError.self) { try await store.delete(key) }
        }
        await #expect(throws: BlobError.self) { try await store.list(prefix: "../") }
        #expect(try await store.list(prefix: "").isEmpty, "a refused key writes nothing")
    }

    static func presignedURLServesTheBytes(_ store: any BlobStore) async throws {
        _ = try await store.put("maps/share.wad", bytes: ByteBuffer(string: "IWAD share"), contentType: nil)
        guard let url = try await store.presignedURL("maps/share.wad", expiresIn: .seconds(300)) else {
            #expect(store.engineName == "folder", "only the folder store proxies downloads")
            return
        }
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
        #expect(response.status == .ok)
        #expect(try await response.body.collect(upTo: 1024) == ByteBuffer(string: "IWAD share"))
    }
}

@Suite("BlobStore conformance: folder")
struct FolderBlobStoreConformanceTests {
    @Test(arguments: BlobStoreConformance.Check.allCases)
    func conforms(_ check: BlobStoreConformance.Check) async throws {
        let folder = try BlobTestSupport.makeFolder()
        defer { BlobTestSupport.removeFolder(folder) }
        let scratch = folder + "/scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try await BlobStoreConformance.run(check, on: FolderBlobStore(root: folder + "/blobs"), scratch: scratch)
    }
}

@Suite("BlobStore conformance: S3", .enabled(if: BlobTestSupport.s3Configured, BlobTestSupport.s3SkipReason))
struct S3BlobStoreConformanceTests {
    @Test(arguments: BlobStoreConformance.Check.allCases)
    func conforms(_ check: BlobStoreConformance.Check) async throws {
        let scratch = try BlobTestSupport.makeFolder()
        defer { BlobTestSupport.removeFolder(scratch) }
        try await BlobStoreConformance.run(check, on: try await BlobTestSupport.makeS3Store(), scratch: scratch)
    }
}
