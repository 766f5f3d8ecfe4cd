import FluentKit
import Foundation
import Logging
import NIOCore
import PlaytestCore

/// The map library: WAD files stored once per sha256 in the blob store, with their maps'
/// summaries in SQL. HTTP-free, so the server, the CLI and the seeder share it.
public struct MapLibrary: Sendable {
    let sql: SQLEngine
    let blobs: any BlobStore
    let reports: MapReportCache
    /// Textures and flats of the IWAD user maps run on, so that a PWAD using them is not flagged.
    let baseResources: MapResources?

    public init(sql: SQLEngine, blobs: any BlobStore, baseResources: MapResources? = nil, cacheSize: Int = 32) {
        self.sql = sql
        self.blobs = blobs
        self.baseResources = baseResources
        self.reports = MapReportCache(capacity: cacheSize)
    }

    public struct Imported: Sendable {
        public let record: MapRecord
        /// False when an identical file was already in the library.
        public let created: Bool
    }

    /// Checks and stores the WAD at `path` (already streamed to disk by the caller). Nothing is
    /// stored when the file is not a readable WAD with at least one map.
    public func importWAD(
        fileAt path: String, sha256: String, sizeBytes: Int64, filename: String, name: String?,
        builtin: Bool = false, scenario: String? = nil
    ) async throws -> Imported {
        if let existing = try await record(sha256: sha256) { return Imported(record: existing, created: false) }
        let summary: WADSummary
        do {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
            summary = try WADSummary(bytes: bytes, baseResources: baseResources)
        } catch let error as WADError {
            throw MapLibraryError.invalidWAD(error.description)
        }
        let key = Self.blobKey(sha256: sha256)
        _ = try await blobs.put(key, fileAt: path, contentType: "application/x-doom-wad")
        let displayName = Self.cleanName(name) ?? Self.cleanName((filename as NSString).deletingPathExtension) ?? "Untitled"
        let record = try MapRecord(
            name: displayName, filename: filename, blobKey: key, sizeBytes: sizeBytes, sha256: sha256,
            wadKind: summary.kind.rawValue, formats: summary.formats.map(\.rawValue), summaries: summary.maps,
            builtin: builtin, scenario: scenario)
        do {
            try await record.create(on: sql.database)
        } catch {
            // Two identical uploads raced: the other one won, and the blob is the same bytes.
            if let existing = try await self.record(sha256: sha256) { return Imported(record: existing, created: false) }
            throw error
        }
        return Imported(record: record, created: true)
    }

    public func record(id: UUID) async throws -> MapRecord? {
        try await MapRecord.find(id, on: sql.database)
    }

    public func record(sha256: String) async throws -> MapRecord? {
        try await MapRecord.query(on: sql.database).filter(\.$sha256 == sha256).first()
    }

    /// A page of the library, newest first, optionally filtered by a case-insensitive name substring.
    public func list(nameContains: String?, offset: Int, limit: Int) async throws -> (records: [MapRecord], total: Int) {
        let query = MapRecord.query(on: sql.database)
        if let filter = nameContains?.trimmingCharacters(in: .whitespaces), !filter.isEmpty {
            query.filter(\.$name, .custom(sql.dialect == .postgres ? "ILIKE" : "LIKE"), "%\(Self.escapeLike(filter))%")
        }
        let total = try await query.copy().count()
        let records = try await query.sort(\.$builtin).sort(\.$uploadedAt, .descending).sort(\.$name).range(offset..<(offset + limit)).all()
        return (records, total)
    }

    /// Training and testing runs per map.
    public func runCounts(mapIDs: [UUID]) async throws -> [UUID: (training: Int, testing: Int)] {
        guard !mapIDs.isEmpty else { return [:] }
        let runs = try await RunRecord.query(on: sql.database).filter(\.$map.$id ~~ mapIDs).field(\.$map.$id).field(\.$kind).all()
        var counts: [UUID: (training: Int, testing: Int)] = [:]
        for run in runs {
            let id = run.$map.id
            var count = counts[id] ?? (0, 0)
            if run.kind == .training { count.training += 1 } else { count.testing += 1 }
            counts[id] = count
        }
        return counts
    }

    /// Removes the map's row and its file. Refused while runs on it are active.
    public func delete(id: UUID) async throws {
        guard let record = try await record(id: id) else { throw MapLibraryError.notFound(id.uuidString) }
        let active = try await RunRecord.query(on: sql.database).filter(\.$map.$id == id).filter(\.$status ~~ RunRecord.Status.active).count()
        guard active == 0 else { throw MapLibraryError.activeRuns(active) }
        // Finished runs keep their own results; they go with the map.
        try await sql.database.transaction { database in
            try await RunRecord.query(on: database).filter(\.$map.$id == id).delete()
            try await record.delete(on: database)
        }
        try await blobs.delete(record.blobKey)
        await reports.forget(sha256: record.sha256)
    }

    /// The full report (summary, findings) and geometry of one map inside a stored WAD.
    public func report(for record: MapRecord, mapName: String) async throws -> MapAnalysisResult {
        guard let name = record.mapSummaries.first(where: { $0.name.caseInsensitiveCompare(mapName) == .orderedSame })?.name else {
            throw MapLibraryError.mapNotFound(mapName, available: record.mapSummaries.map(\.name))
        }
        if let cached = await reports.get(sha256: record.sha256, map: name) { return cached }
        let buffer = try await blobs.get(record.blobKey)
        let bytes = Array(buffer.readableBytesView)
        do {
            let wad = try WAD(bytes: bytes)
            guard let entry = wad.map(named: name) else { throw MapLibraryError.mapNotFound(name, available: wad.maps.map(\.name)) }
            var resources = MapResources(wads: [wad])
            if let baseResources {
                resources.textures.formUnion(baseResources.textures)
                resources.flats.formUnion(baseResources.flats)
            }
            let geometry = MapGeometry(try MapParser.parse(wad: wad, map: entry))
            let result = MapAnalysisResult(geometry: geometry, report: MapReport(geometry: geometry, resources: resources))
            await reports.put(result, sha256: record.sha256, map: name)
            return result
        } catch let error as WADError {
            throw MapLibraryError.invalidWAD(error.description)
        }
    }

    public static func blobKey(sha256: String) -> String {
        "maps/\(sha256.prefix(2))/\(sha256).wad"
    }

    static func cleanName(_ name: String?) -> String? {
        guard let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        let printable = String(trimmed.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })
        return printable.isEmpty ? nil : String(printable.prefix(120))
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }
}

/// A parsed map with its findings, ready to serve or render.
public struct MapAnalysisResult: Sendable {
    public let geometry: MapGeometry
    public let report: MapReport
}

public enum MapLibraryError: Error, Equatable, CustomStringConvertible {
    case invalidWAD(String)
    case notFound(String)
    case mapNotFound(String, available: [String])
    case activeRuns(Int)

    public var description: String {
        switch self {
        case .invalidWAD(let message): "not a usable WAD: \(message)"
        case .notFound(let id): "no map with id \(id)"
        case .mapNotFound(let name, let available):
            "the WAD has no map named \(name.debugDescription); it has \(available.joined(separator: ", "))"
        case .activeRuns(let count): "the map has \(count) active run(s); stop them before deleting it"
        }
    }
}

/// The last few parsed maps, since parsing and checking a big map takes tens of milliseconds.
actor MapReportCache {
    let capacity: Int
    private var entries: [String: MapAnalysisResult] = [:]
    private var order: [String] = []

    init(capacity: Int) { self.capacity = capacity }

    func get(sha256: String, map: String) -> MapAnalysisResult? {
        let key = sha256 + "/" + map
        guard let result = entries[key] else { return nil }
        order.removeAll { $0 == key }
        order.append(key)
        return result
    }

    func put(_ result: MapAnalysisResult, sha256: String, map: String) {
        let key = sha256 + "/" + map
        if entries[key] == nil { order.append(key) }
        entries[key] = result
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }

    func forget(sha256: String) {
        for key in order where key.hasPrefix(sha256 + "/") { entries[key] = nil }
        order.removeAll { $0.hasPrefix(sha256 + "/") }
    }
}
