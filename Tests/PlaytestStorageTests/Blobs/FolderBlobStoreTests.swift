import Foundation
import NIOCore
import Testing

@testable import PlaytestStorage

/// What is particular to the folder store: its layout on disk, atomic writes, and keys that
/// never reach outside its root.
struct FolderBlobStoreTests {
    let folder: String
    let store: FolderBlobStore

    init() throws {
        folder = try BlobTestSupport.makeFolder()
        store = try FolderBlobStore(root: folder + "/blobs")
    }

    func cleanUp() {
        BlobTestSupport.removeFolder(folder)
    }

    /// Every name under the store's root, relative to it (hidden temporary files included).
    func filesOnDisk() -> [String] {
        let root = folder + "/blobs"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }.filter { !BlobFile.isDirectory(root + "/" + $0) }.sorted()
    }

    @Test func blobsLiveAtThePathTheirKeyNames() async throws {
        defer { cleanUp() }
        _ = try await store.put("maps/ab/abc.wad", bytes: ByteBuffer(string: "PWAD"), contentType: nil)
        #expect(try String(contentsOfFile: folder + "/blobs/maps/ab/abc.wad", encoding: .utf8) == "PWAD")
        #expect(filesOnDisk() == ["maps/ab/abc.wad"])
        #expect(try await store.presignedURL("maps/ab/abc.wad", expiresIn: .seconds(60)) == nil)
        #expect(store.engineName == "folder")
    }

    @Test func aKeyWithDotDotNeverTouchesTheDisk() async throws {
        defer { cleanUp() }
        do {
            _ = try await store.put("../outside.wad", bytes: ByteBuffer(string: "x"), contentType: nil)
            Issue.record("the key was accepted")
        } catch let error as BlobError {
            #expect(error == .invalidKey("../outside.wad", reason: "'..' segments would escape the blob store"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/outside.wad"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/blobs"), "not even the root was created")
    }

    /// /proc files claim size 0 but have content, so the copy ends with more bytes than the source
    /// said it had: the put fails after writing, which is the moment a partial file could be left.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "needs Linux /proc"))
    func aFailedPutLeavesTheOldBlobAndNoPartialFile() async throws {
        defer { cleanUp() }
        _ = try await store.put("maps/keep.wad", bytes: ByteBuffer(string: "old version"), contentType: "text/plain")
        await #expect(throws: BlobError.self) {
            _ = try await store.put("maps/keep.wad", fileAt: "/proc/self/status", contentType: "text/x-new")
        }
        await #expect(throws: BlobError.self) {
            _ = try await store.put("maps/new.wad", fileAt: "/proc/self/status", contentType: nil)
        }
        #expect(try await store.get("maps/keep.wad") == ByteBuffer(string: "old version"))
        #expect(try await store.head("maps/keep.wad")?.contentType == "text/plain")
        #expect(try await store.exists("maps/new.wad") == false)
        #expect(filesOnDisk() == ["maps/.keep.wad.content-type", "maps/keep.wad"], "no temporary file is left behind")
    }

    @Test func aMissingSourceFileIsAClearErrorAndWritesNothing() async throws {
        defer { cleanUp() }
        do {
            _ = try await store.put("maps/x.wad", fileAt: folder + "/does-not-exist.wad", contentType: nil)
            Issue.record("the put succeeded")
        } catch let error as BlobError {
            #expect(error.description.contains("does not exist"))
        }
        #expect(filesOnDisk().isEmpty)
    }

    /// Concurrent writers to one key: whatever wins, readers see one whole version.
    @Test func concurrentPutsToOneKeyLeaveOneWholeVersion() async throws {
        defer { cleanUp() }
        let versions = (0..<8).map { ByteBuffer(repeating: UInt8($0), count: 256 * 1024) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for version in versions {
                group.addTask { _ = try await store.put("ckpt/latest.pt", bytes: version, contentType: nil) }
            }
            try await group.waitForAll()
        }
        let stored = try await store.get("ckpt/latest.pt")
        #expect(versions.contains(stored))
        #expect(filesOnDisk() == ["ckpt/latest.pt"])
    }

    @Test func aBatchStoresEveryFileAndWritesASidecarOnlyForAnUnusualContentType() async throws {
        defer { cleanUp() }
        let shot = try BlobTestSupport.makeRandomFile(in: folder, size: 7000, name: "shot.bin")
        let demo = try BlobTestSupport.makeRandomFile(in: folder, size: 300, name: "demo.bin")
        let stored = try await store.put(files: [
            BlobUpload(key: "runs/r/screenshots/a.png", path: shot.path, contentType: "image/png"),
            BlobUpload(key: "runs/r/demos/a.lmp", path: demo.path, contentType: "application/x-doom-demo"),
            BlobUpload(key: "runs/r/notes/a.png", path: demo.path, contentType: "text/plain"),
        ])
        #expect(stored.map(\.size) == [7000, 300, 300])
        #expect(filesOnDisk() == ["runs/r/demos/a.lmp", "runs/r/notes/.a.png.content-type", "runs/r/notes/a.png", "runs/r/screenshots/a.png"])
        #expect(try BlobTestSupport.sha256(fileAt: folder + "/blobs/runs/r/screenshots/a.png") == shot.sha256)
        #expect(try await store.head("runs/r/screenshots/a.png")?.contentType == "image/png")
        #expect(try await store.head("runs/r/demos/a.lmp")?.contentType == "application/x-doom-demo")
        #expect(try await store.head("runs/r/notes/a.png")?.contentType == "text/plain")
        // Back to the usual type: the sidecar goes.
        _ = try await store.put(files: [BlobUpload(key: "runs/r/notes/a.png", path: shot.path, contentType: "image/png")])
        #expect(!filesOnDisk().contains("runs/r/notes/.a.png.content-type"))
        #expect(try await store.head("runs/r/notes/a.png")?.contentType == "image/png")
    }

    @Test func aFinishedFileIsKeptItselfAndAnyOtherCopied() async throws {
        defer { cleanUp() }
        func inode(_ path: String) throws -> UInt64 { try #require(FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64) }
        let shot = try BlobTestSupport.makeRandomFile(in: folder, size: 7000, name: "shot.bin")
        let wad = try BlobTestSupport.makeRandomFile(in: folder, size: 900, name: "map.wad")
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.bin", withDestinationPath: shot.path)
        let stored = try await store.put(files: [
            BlobUpload(key: "runs/r/screenshots/a.png", path: shot.path, contentType: "image/png", finished: true),
            BlobUpload(key: "runs/r/screenshots/b.png", path: folder + "/link.bin", contentType: "image/png", finished: true),
            BlobUpload(key: "maps/m.wad", path: wad.path, contentType: "application/x-doom-wad"),
        ])
        #expect(stored.map(\.size) == [7000, 7000, 900])
        let blobs = folder + "/blobs/"
        #expect(try inode(blobs + "runs/r/screenshots/a.png") == inode(shot.path), "the finished file itself, no copy")
        #expect(try inode(blobs + "runs/r/screenshots/b.png") == inode(shot.path), "through a symbolic link: the file it names")
        #expect(try inode(blobs + "maps/m.wad") != inode(wad.path), "a file not marked finished is copied")
        #expect(try BlobTestSupport.sha256(fileAt: blobs + "maps/m.wad") == wad.sha256)
        #expect(FileManager.default.fileExists(atPath: shot.path), "the source stays where it was")
        // Stored again (a retried batch): the same file, and no temporary file left behind.
        _ = try await store.put(files: [BlobUpload(key: "runs/r/screenshots/a.png", path: shot.path, contentType: "image/png", finished: true)])
        #expect(filesOnDisk() == ["maps/m.wad", "runs/r/screenshots/a.png", "runs/r/screenshots/b.png"])
        try FileManager.default.removeItem(atPath: shot.path)
        #expect(try BlobTestSupport.sha256(fileAt: blobs + "runs/r/screenshots/a.png") == shot.sha256, "the blob outlives the run's folder")
    }

    @Test func aBatchWithABadKeyOrAMissingFileWritesNothing() async throws {
        defer { cleanUp() }
        let shot = try BlobTestSupport.makeRandomFile(in: folder, size: 100)
        await #expect(throws: BlobError.self) {
            _ = try await store.put(files: [
                BlobUpload(key: "runs/r/ok.png", path: shot.path, contentType: "image/png"),
                BlobUpload(key: "runs/../../escape.png", path: shot.path, contentType: "image/png"),
            ])
        }
        await #expect(throws: BlobError.self) {
            _ = try await store.put(files: [
                BlobUpload(key: "runs/r/ok.png", path: shot.path, contentType: "image/png"),
                BlobUpload(key: "runs/r/gone.png", path: folder + "/missing.png", contentType: "image/png"),
            ])
        }
        #expect(filesOnDisk() == [], "no blob and no temporary file")
    }

    @Test func listingSkipsSymbolicLinksAndHiddenFiles() async throws {
        defer { cleanUp() }
        _ = try await store.put("maps/real.wad", bytes: ByteBuffer(string: "x"), contentType: "application/x-doom-wad")
        try FileManager.default.createSymbolicLink(atPath: folder + "/blobs/maps/link.wad", withDestinationPath: "/etc/hostname")
        #expect(try await store.list(prefix: "").map(\.key) == ["maps/real.wad"])
        #expect(try await store.head("maps/link.wad") == nil)
    }

    @Test func pingCreatesTheRootAndReportsAnUnusableOne() async throws {
        defer { cleanUp() }
        try await store.ping()
        #expect(BlobFile.isDirectory(folder + "/blobs"))
        #expect(FileManager.default.createFile(atPath: folder + "/a-file", contents: Data("x".utf8)))
        let blocked = try FolderBlobStore(root: folder + "/a-file/blobs")
        await #expect(throws: BlobError.self) { try await blocked.ping() }
        #expect(throws: BlobError.engine("the blob folder \(folder)/a-file exists but is not a folder")) {
            _ = try FolderBlobStore(root: folder + "/a-file")
        }
        #expect(throws: BlobError.self) { _ = try FolderBlobStore(root: "") }
    }

    @Test func streamingReadsInBoundedChunks() async throws {
        defer { cleanUp() }
        _ = try await store.put("big.bin", bytes: ByteBuffer(repeating: 9, count: 300 * 1024), contentType: nil)
        let stream = try await store.stream("big.bin")
        var sizes: [Int] = []
        for try await chunk in stream.chunks { sizes.append(chunk.readableBytes) }
        #expect(sizes.reduce(0, +) == 300 * 1024)
        #expect(sizes.allSatisfy { $0 <= BlobFile.chunkSize })
    }
}
