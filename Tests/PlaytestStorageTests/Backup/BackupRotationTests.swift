import Foundation
@testable import PlaytestStorage
import Testing

@Suite("Dated backups and their rotation")
struct BackupRotationTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func makeRoot() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("backups-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    func backup(_ root: String, _ name: String, manifest: Bool = true) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
        if manifest { try Data("{}".utf8).write(to: URL(fileURLWithPath: root + "/" + name + "/" + BackupManifest.fileName)) }
    }

    @Test("a day's first backup is named by its UTC date, a second one that day by its minute")
    func names() throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let now = Self.date("2026-12-04T23:30:00Z")
        #expect(BackupRotation.folder(in: root, at: now) == root + "/2026-12-04")
        try backup(root, "2026-12-04")
        #expect(BackupRotation.folder(in: root, at: now) == root + "/2026-12-04T2330Z")
    }

    @Test("--keep-days 30 removes the dated backups older than 30 days and nothing else")
    func prune() throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["2026-10-01", "2026-11-03", "2026-11-03T1200Z", "2026-11-05", "2026-12-04"] { try backup(root, name) }
        try backup(root, "2026-09-01", manifest: false)  // not a backup: no manifest (one cut short, or something else)
        try backup(root, "notes")
        try backup(root, "2026-13-45")                   // not a date
        let removed = try BackupRotation.prune(root, keepDays: 30, now: Self.date("2026-12-04T03:00:00Z"))
        #expect(removed == ["2026-10-01", "2026-11-03", "2026-11-03T1200Z"].map { root + "/" + $0 })
        let left = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(left == ["2026-09-01", "2026-11-05", "2026-12-04", "2026-13-45", "notes"])
    }

    @Test("the newest backup is kept however old it is (a clock gone back, or backups that stopped)")
    func keepsTheNewest() throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["2026-01-01", "2026-02-01"] { try backup(root, name) }
        let removed = try BackupRotation.prune(root, keepDays: 30, now: Self.date("2026-12-04T03:00:00Z"))
        #expect(removed == [root + "/2026-01-01"])
        #expect(FileManager.default.fileExists(atPath: root + "/2026-02-01"))
    }
}
