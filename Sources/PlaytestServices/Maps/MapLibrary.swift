import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// The map library: WAD files stored once per sha256 in the blob store, with their maps' summaries in SQL. Imports
/// check a WAD before anything is stored; the analysis of one map (summary, findings, geometry) is cached.
public struct MapLibrary: Sendable {
    let store: MapStore
    let users: UserStore
    let blobs: any BlobStore
    let live: any LiveStore
    /// Analyses by "sha256/MAP".
    let reports: RecentCache<MapAnalysisResult>
    /// Textures and flats of the IWAD user maps run on, so that a PWAD using them is not flagged.
    let baseResources: MapResources?

    public init(engines: PlaytestEngines, baseResources: MapResources? = nil, cacheSize: Int = 32) {
        self.store = MapStore(sql: engines.sql)
        self.users = UserStore(sql: engines.sql)
        self.blobs = engines.blobs
        self.live = engines.live
        self.baseResources = baseResources
        self.reports = RecentCache(capacity: cacheSize)
    }

    public struct Imported: Sendable {
        public let map: MapView
        /// False when an identical file was already in the library.
        public let created: Bool
    }

    /// Checks and stores the WAD at `path` (already on disk). Nothing is stored when the file is not a readable WAD
    /// with at least one map, nor when it lacks `level` (the map the caller will play: `mapNotFound`).
    public func importWAD(
        fileAt path: String, sha256: String, sizeBytes: Int64, filename: String, name: String?,
        builtin: Bool = false, scenario: String? = nil, createdBy: String? = nil, level: String? = nil
    ) async throws -> Imported {
        let (record, created) = try await importRecord(
            fileAt: path, sha256: sha256, sizeBytes: sizeBytes, filename: filename, name: name, builtin: builtin, scenario: scenario,
            createdBy: createdBy, level: level)
        return Imported(map: try await view(record, duplicate: !created), created: created)
    }

    /// A file on this machine (the CLI's argument), hashed here.
    public func importWAD(
        fileAt path: String, name: String? = nil, builtin: Bool = false, scenario: String? = nil, createdBy: String? = nil,
        level: String? = nil
    ) async throws -> Imported {
        let (sha, size) = try BuiltinMaps.fileDigest(path)
        return try await importWAD(
            fileAt: path, sha256: sha, sizeBytes: size, filename: (path as NSString).lastPathComponent, name: name,
            builtin: builtin, scenario: scenario, createdBy: createdBy, level: level)
    }

    func importRecord(
        fileAt path: String, sha256: String, sizeBytes: Int64, filename: String, name: String?, builtin: Bool, scenario: String?,
        createdBy: String? = nil, level: String? = nil
    ) async throws -> (MapRecord, Bool) {
        func require(_ maps: [String]) throws {
            guard let level, !maps.contains(where: { $0.caseInsensitiveCompare(level) == .orderedSame }) else { return }
            throw MapLibraryError.mapNotFound(level, available: maps)
        }
        if let existing = try await store.record(sha256: sha256) {
            try require(existing.mapSummaries.map(\.name))
            return (existing, false)
        }
        let summary: WADSummary
        do {
            let baseResources = baseResources
            summary = try await CPUWork.run {
                try WADSummary(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)), baseResources: baseResources)
            }
        } catch let error as WADError {
            throw MapLibraryError.invalidWAD(error.description)
        }
        try require(summary.maps.map(\.name))
        let key = Self.blobKey(sha256: sha256)
        _ = try await blobs.put(key, fileAt: path, contentType: "application/x-doom-wad")
        let displayName = Self.cleanName(name) ?? Self.cleanName((filename as NSString).deletingPathExtension) ?? "Untitled"
        let record = try MapRecord(
            name: displayName, filename: filename, blobKey: key, sizeBytes: sizeBytes, sha256: sha256,
            wadKind: summary.kind.rawValue, formats: summary.formats.map(\.rawValue), summaries: summary.maps,
            builtin: builtin, scenario: scenario, createdBy: createdBy)
        // Two identical uploads may race: the one stored first holds the file (the blob is the same bytes).
        let stored = try await store.insert(record)
        // The platform's statistics count the maps.
        if stored.created, let id = stored.record.id { await AnalysisGeneration(live: live).advance(map: id.uuidString) }
        return (stored.record, stored.created)
    }

    /// A page of the library: uploads newest first, then the built-in maps; `name` filters by a case-insensitive
    /// substring.
    public func list(nameContains: String?, offset: Int, limit: Int) async throws -> MapList {
        let page = try await store.list(nameContains: nameContains, offset: offset, limit: limit)
        let counts = try await store.runCounts(mapIDs: page.records.compactMap(\.id))
        var maps = try page.records.map { try MapView($0, counts: $0.id.flatMap { counts[$0] }) }
        let owners = try await users.emails(ids: maps.compactMap(\.createdBy))
        for index in maps.indices { maps[index].owner = maps[index].createdBy.flatMap { owners[$0] } }
        return MapList(maps: maps, total: page.total, offset: offset, limit: limit)
    }

    /// Every map's id (lower case) and name, by name.
    public func names(limit: Int = 1000) async throws -> [(id: String, name: String)] {
        try await store.names(limit: limit).map { ($0.id.uuidString.lowercased(), $0.name) }
    }

    /// The map with this id; ``MapLibraryError/notFound(_:)`` for an unknown or malformed id.
    public func map(id: String) async throws -> MapView {
        try await view(try await record(id: id))
    }

    /// The uploads with this WAD's name, newest first (this one among them): its versions, for "compare versions".
    public func versions(of id: String) async throws -> [MapView] {
        let record = try await record(id: id)
        guard !record.builtin else { return [] }
        return try await store.versions(named: record.name).map { try MapView($0, counts: nil) }
    }

    /// Removes the map, its finished runs and its file. Refused while runs on it are active.
    public func delete(id: String, by actor: Principal = .local) async throws {
        let record = try await record(id: id)
        try actor.requireChange(ownedBy: record.createdBy, "map \(record.name)")
        let mapID = try record.requireID()
        let active = try await store.activeRunCount(mapID: mapID)
        guard active == 0 else { throw MapLibraryError.activeRuns(active) }
        try await store.delete(id: mapID)
        try await blobs.delete(record.blobKey)
        // Its leaderboards went with it in SQL; their sorted sets go too (they never reset, so period 0).
        let boards = PlatformBoards.map(mapID.uuidString.lowercased(), name: record.name).map { Leaderboards.key(boardID: $0.id, period: 0) }
        _ = try? await live.delete(boards)
        await reports.forget(prefix: record.sha256 + "/")
        await AnalysisGeneration(live: live).advance(map: mapID.uuidString)
    }

    /// The WAD file itself.
    public func file(id: String) async throws -> (file: StoredFile, filename: String) {
        let record = try await record(id: id)
        return (try await StoredFile.open(record.blobKey, named: record.filename, in: blobs), record.filename)
    }

    /// One map inside a WAD: its summary, findings and where its picture is.
    public func detail(id: String, mapName: String) async throws -> MapDetail {
        let record = try await record(id: id)
        let result = try await report(for: record, mapName: mapName)
        let wadID = try record.requireID().uuidString.lowercased()
        return MapDetail(
            wadID: wadID, summary: result.report.summary, findings: result.report.findings,
            renderURL: "/api/v1/maps/\(wadID)/maps/\(result.report.summary.name)/render.svg",
            progressionURL: "/api/v1/maps/\(wadID)/maps/\(result.report.summary.name)/progression")
    }

    /// The full report (summary, findings) and geometry of one map inside a stored WAD.
    public func analysis(id: String, mapName: String) async throws -> MapAnalysisResult {
        try await report(for: try await record(id: id), mapName: mapName)
    }

    /// The same for a map a run plays, when its WAD is still in the library; nil otherwise.
    func analysis(mapID: UUID, mapName: String) async throws -> MapAnalysisResult? {
        guard let record = try await store.record(id: mapID) else { return nil }
        return try await report(for: record, mapName: mapName)
    }

    func record(id: String) async throws -> MapRecord {
        guard let uuid = UUID(uuidString: id), let record = try await store.record(id: uuid) else {
            throw MapLibraryError.notFound(id)
        }
        return record
    }

    func view(_ record: MapRecord, duplicate: Bool? = nil) async throws -> MapView {
        let counts = try await store.runCounts(mapIDs: [try record.requireID()])
        var view = try MapView(record, counts: counts.values.first, duplicate: duplicate)
        if let owner = view.createdBy { view.owner = try await users.emails(ids: [owner])[owner] }
        return view
    }

    func report(for record: MapRecord, mapName: String) async throws -> MapAnalysisResult {
        guard let name = record.mapSummaries.first(where: { $0.name.caseInsensitiveCompare(mapName) == .orderedSame })?.name else {
            throw MapLibraryError.mapNotFound(mapName, available: record.mapSummaries.map(\.name))
        }
        if let cached = await reports.get(record.sha256 + "/" + name) { return cached }
        let buffer = try await blobs.get(record.blobKey)
        let bytes = Array(buffer.readableBytesView)
        do {
            let baseResources = baseResources
            let result = try await CPUWork.run {
                let wad = try WAD(bytes: bytes)
                guard let entry = wad.map(named: name) else { throw MapLibraryError.mapNotFound(name, available: wad.maps.map(\.name)) }
                var resources = MapResources(wads: [wad])
                if let baseResources {
                    resources.textures.formUnion(baseResources.textures)
                    resources.flats.formUnion(baseResources.flats)
                }
                let geometry = MapGeometry(try MapParser.parse(wad: wad, map: entry))
                return MapAnalysisResult(geometry: geometry, report: MapReport(geometry: geometry, resources: resources))
            }
            await reports.put(result, for: record.sha256 + "/" + name)
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
}

/// A parsed map with its findings, ready to serve or render.
public struct MapAnalysisResult: Sendable {
    public let geometry: MapGeometry
    public let report: MapReport
}

/// Why the library refused a request.
public enum MapLibraryError: Error, Equatable, CustomStringConvertible {
    case invalidWAD(String)
    case notFound(String)
    case mapNotFound(String, available: [String])
    case activeRuns(Int)

    public var description: String {
        switch self {
        case .invalidWAD(let message): "not a usable WAD: \(message)"
        case .notFound(let id): "no map with id \(id.debugDescription)"
        case .mapNotFound(let name, let available):
            "the WAD has no map named \(name.debugDescription); it has \(available.joined(separator: ", "))"
        case .activeRuns(let count): "the map has \(count) active run(s); stop them before deleting it"
        }
    }
}
