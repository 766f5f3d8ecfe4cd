import FluentKit
import Foundation
import SQLKit

extension MapRecord {
    /// The `maps` columns for a plain SQL select, each named `prefix` + column (`library_name`), so that they can sit
    /// beside another table's columns in one row (`RunStore` joins a run's map this way).
    static func selectList(prefix: String) -> String {
        rowColumns.map { "maps.\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
    }

    /// Every column `init(row:prefix:)` reads (a test checks it against the model's fields).
    static let rowColumns = [
        "id", "name", "filename", "blob_key", "size_bytes", "sha256", "wad_kind", "formats", "summaries", "builtin", "scenario", "uploaded_at", "created_by",
    ]

    /// A `maps` row selected with `selectList(prefix:)`. Fluent decodes a model by reflecting over its properties on
    /// every row; reading each column by name costs a fraction of that (bench/results/web.md).
    convenience init(row: any SQLRow, prefix: String) throws {
        self.init()
        id = try row.decode(column: prefix + "id", as: UUID.self)
        name = try row.decode(column: prefix + "name", as: String.self)
        filename = try row.decode(column: prefix + "filename", as: String.self)
        blobKey = try row.decode(column: prefix + "blob_key", as: String.self)
        sizeBytes = try row.decode(column: prefix + "size_bytes", as: Int64.self)
        sha256 = try row.decode(column: prefix + "sha256", as: String.self)
        wadKind = try row.decode(column: prefix + "wad_kind", as: String.self)
        formats = try row.decode(column: prefix + "formats", as: String.self)
        summaries = try row.decode(column: prefix + "summaries", as: String.self)
        builtin = try row.decode(column: prefix + "builtin", as: Bool.self)
        scenario = try row.decode(column: prefix + "scenario", as: String?.self)
        uploadedAt = try row.decode(column: prefix + "uploaded_at", as: Date?.self)
        createdBy = try row.decode(column: prefix + "created_by", as: String?.self)
        // Fluent treats a model it did not read as new; this one is a stored row.
        $id.exists = true
    }
}
