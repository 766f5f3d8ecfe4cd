/// The tables whose rows name blobs in a `blob_key` column: what a backup copies and checks, and what retention keeps
/// when it collects orphaned files. A table that starts naming blobs belongs here, or retention would delete its files.
enum BlobReferences {
    /// Maps name their WAD with its sha256.
    static let maps = "maps"
    /// Run files name theirs with their size in `bytes`.
    static let sized = ["artifacts", "checkpoints"]
    static var tables: [String] { [maps] + sized }
}
