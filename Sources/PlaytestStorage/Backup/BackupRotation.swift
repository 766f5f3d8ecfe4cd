import Foundation

/// Dated backups under one root, the seed's "daily pg_dump with 30-day retention": each `playtest backup --dated ROOT`
/// writes `ROOT/2026-12-04` (UTC; a second one that day `2026-12-04T1530Z`), and `--keep-days N` then removes the dated
/// folders older than N days. Only folders named so and holding a `manifest.json` are ever removed, and never the
/// newest one, so a wrong ROOT or a clock gone back loses nothing that is not a backup and always leaves one.
public enum BackupRotation {
    /// A new folder name under `root` for a backup made at `now`.
    public static func folder(in root: String, at now: Date) -> String {
        let day = root + "/" + stamp(now, format: "yyyy-MM-dd")
        return FileManager.default.fileExists(atPath: day) ? root + "/" + stamp(now, format: "yyyy-MM-dd'T'HHmm'Z'") : day
    }

    /// Removes the backups under `root` made more than `keepDays` days before `now`; returns their folders.
    @discardableResult
    public static func prune(_ root: String, keepDays: Int, now: Date) throws -> [String] {
        let backups = try dated(in: root)
        guard let newest = backups.map(\.made).max() else { return [] }
        let cutoff = now.addingTimeInterval(-Double(keepDays) * 86_400)
        var removed: [String] = []
        for backup in backups where backup.made < cutoff && backup.made != newest {
            try FileManager.default.removeItem(atPath: backup.path)
            removed.append(backup.path)
        }
        return removed.sorted()
    }

    /// The backups under `root`: folders with a dated name and a manifest.
    static func dated(in root: String) throws -> [(path: String, made: Date)] {
        try FileManager.default.contentsOfDirectory(atPath: root).compactMap { name in
            let path = root + "/" + name
            guard let made = date(of: name), FileManager.default.fileExists(atPath: path + "/" + BackupManifest.fileName) else { return nil }
            return (path, made)
        }
    }

    static func date(of name: String) -> Date? {
        for format in ["yyyy-MM-dd", "yyyy-MM-dd'T'HHmm'Z'"] {
            let formatter = formatter(format)
            if let date = formatter.date(from: name), formatter.string(from: date) == name { return date }
        }
        return nil
    }

    private static func stamp(_ date: Date, format: String) -> String { formatter(format).string(from: date) }

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
