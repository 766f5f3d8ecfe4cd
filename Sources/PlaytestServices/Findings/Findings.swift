import Foundation
import PlaytestCore
import PlaytestStorage

/// One bug tracker for a map's static and play findings (docs/findings.md): what the map's checks and the planner
/// say, and what test runs showed, clustered per map across versions and runs, with triage and comments.
public struct Findings: Sendable {
    let store: FindingStore
    let maps: MapStore
    let users: UserStore
    let tests: TestTelemetryStore
    let library: MapLibrary
    let progressions: MapProgressions

    /// The longest comment kept.
    public static let maxComment = 4000

    public init(engines: PlaytestEngines, library: MapLibrary, progressions: MapProgressions) {
        store = FindingStore(sql: engines.sql)
        maps = MapStore(sql: engines.sql)
        users = UserStore(sql: engines.sql)
        tests = TestTelemetryStore(sql: engines.sql)
        self.library = library
        self.progressions = progressions
    }

    // MARK: recording

    /// The static checks of one map of an upload, recorded once per upload. Returns the level's own spelling.
    @discardableResult
    public func recordMap(id: String, level: String) async throws -> String {
        try await recordMap(try await library.record(id: id), id: id, level: level)
    }

    @discardableResult
    func recordMap(_ record: MapRecord, id: String, level: String) async throws -> String {
        let result = try await library.report(for: record, mapName: level)
        let name = result.report.summary.name
        guard try await !store.hasMapSightings(mapID: id, level: name) else { return name }
        try await store.record(result.report.findings.map(FindingObservation.init), mapName: record.name, level: name, mapID: id, runID: nil)
        return name
    }

    /// What a run's evidence replay saw in one episode (visual defects), recorded with its other play findings; a
    /// retried job records each sighting once.
    public func recordSeen(_ observations: [FindingObservation], runID: String, mapID: String, mapName: String, level: String) async throws {
        guard !observations.isEmpty else { return }
        let level = try await recordMap(id: mapID, level: level)
        try await store.record(observations, mapName: mapName, level: level, mapID: mapID, runID: runID)
    }

    /// A finished test run: its map's static checks (once per upload), where the planner says progression breaks,
    /// every stuck spot, death and out-of-bounds of its episodes, the secrets, areas and items no episode reached, the
    /// doors and switches its presses did not open (`presses`), and, against the planner's graph (`regions`), its
    /// softlocks and sequence breaks. Recording a run twice counts it once.
    public func recordRun(id runID: String, mapID: String, mapName: String, sha256: String, level: String, skill: Int,
                          geometry: MapGeometry, visited: Set<Int>, traces: [EpisodeTrace], regions: ProgressionRegions?,
                          presses: [Int: [UnansweredPress]]) async throws {
        let level = try await recordMap(id: mapID, level: level)
        let events = try await tests.events(runID: runID, episode: nil, types: PlayFindings.eventTypes)
        var observations = PlayFindings.observations(events: events)
        observations += PlayFindings.secretsMissed(geometry: geometry, visited: visited)
        observations += PlayFindings.unopenedLines(presses: presses, geometry: geometry)
        observations += try await CPUWork.run {
            Self.judgePlaces(traces: traces, visited: visited, regions: regions, geometry: geometry, skill: skill)
        }
        if let plan = try await progressions.stored(sha256: sha256, mapName: level, skill: skill), let blocked = PlayFindings.observation(plan: plan) {
            observations.append(blocked)
        }
        try await store.record(observations, mapName: mapName, level: level, mapID: mapID, runID: runID)
    }

    /// Softlocks and sequence breaks against the planner's graph (when the run has it), and the areas no episode
    /// entered and the items no episode reached among those a player can get to (by the planner's graph, else by the
    /// map's layout).
    static func judgePlaces(traces: [EpisodeTrace], visited: Set<Int>, regions: ProgressionRegions?, geometry: MapGeometry,
                            skill: Int) -> [FindingObservation] {
        guard let regions, regions.exitReachableFromStart else {
            let layout = Set(geometry.reachableSectors())
            return PlayFindings.unvisitedAreas(geometry: geometry, visited: visited)
                + PlayFindings.itemsMissed(traces: traces, geometry: geometry, skill: skill) { layout.contains($1) }
        }
        let sectors = regions.reachableSectors
        return PlayFindings.softlocks(traces: traces, regions: regions, geometry: geometry)
            + PlayFindings.sequenceBreaks(traces: traces, regions: regions, geometry: geometry)
            + PlayFindings.unvisitedAreas(geometry: geometry, visited: visited, reachable: sectors)
            + PlayFindings.itemsMissed(traces: traces, geometry: geometry, skill: skill) { point, sector in
                regions.node(at: point, sector: sector).map(regions.isReachable) ?? sectors.contains(sector)
            }
    }

    // MARK: reading

    /// A page of findings. `mapID` narrows to that map's name (every version), recording its static checks first.
    public func list(mapID: String?, level: String?, runID: String?, kind: String?, severity: String?, status: String?, text: String?,
                     offset: Int, limit: Int) async throws -> FindingList {
        var filter = FindingFilter(runID: runID, kind: kind?.lowercased(), text: text)
        if let severity {
            guard let value = FindingSeverity(rawValue: severity) else {
                throw FindingError.invalid("severity must be one of \(FindingSeverity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.severity = value
        }
        if let status {
            guard let value = FindingStatus(rawValue: status) else { throw Self.unknownStatus(status) }
            filter.status = value
        }
        if let mapID {
            let record = try await library.record(id: mapID)
            filter.mapName = record.name
            let levels = record.mapSummaries.map(\.name)
            if let level {
                guard let match = levels.first(where: { $0.caseInsensitiveCompare(level) == .orderedSame }) else {
                    throw MapLibraryError.mapNotFound(level, available: levels)
                }
                filter.level = match
            }
            for name in levels where filter.level == nil || filter.level == name {
                try await recordMap(record, id: mapID, level: name)
            }
        } else if let level {
            filter.level = level.uppercased()
        }
        let page = try await store.list(filter, offset: offset, limit: limit)
        return FindingList(findings: try await views(page.records), total: page.total, countsExact: page.exact, offset: offset, limit: limit,
                           byKind: page.kinds, bySeverity: page.severities)
    }

    public func detail(id: String) async throws -> FindingDetail {
        let record = try await finding(id: id)
        let sightings = try await store.sightings(findingID: id, limit: 50)
        var artifacts: [String: [ArtifactInfo]] = [:]
        for run in Set(sightings.compactMap(\.runID)) { artifacts[run] = try await tests.artifacts(runID: run) }
        let evidence = sightings.map { sighting -> FindingDetail.Sighting in
            let ofEpisode = (sighting.runID.flatMap { artifacts[$0] } ?? []).filter { $0.episode == sighting.episode }
            let tic = sighting.tic ?? 0
            func nearest(_ kind: String, within: Int) -> ArtifactInfo? {
                ofEpisode.filter { $0.kind == kind && abs($0.tic - tic) <= within }.min { abs($0.tic - tic) < abs($1.tic - tic) }
            }
            let shot = nearest("frame", within: 8) ?? nearest("screenshot", within: 70)
            let demo = ofEpisode.first { $0.kind == "demo" }
            let video = ofEpisode.contains { $0.kind == "video" } ? sighting.runID.map { run in
                "/runs/\(run)?episode=\(sighting.episode ?? 0)&t=\(String(format: "%.1f", Double(tic) / AgentProtocol.ticsPerSecond))#episode-video-panel"
            } : nil
            return FindingDetail.Sighting(sighting: sighting, screenshotURL: shot.map { "/api/v1/artifacts/\($0.id)/file" },
                                          demoURL: demo.map { "/api/v1/artifacts/\($0.id)/file" }, videoURL: video)
        }
        let comments = try await store.comments(findingID: id).map(FindingDetail.Comment.init(comment:))
        return FindingDetail(finding: try await views([record])[0], sightings: evidence, comments: comments)
    }

    // MARK: triage

    /// Sets the status and/or adds a comment: the map's owner or an administrator. Nothing changes when any part is
    /// refused.
    public func triage(id: String, status: String?, comment: String?, by actor: Principal) async throws -> FindingDetail {
        guard status != nil || comment != nil else { throw FindingError.invalid("give a status, a comment or both") }
        let newStatus = try status.map { value -> FindingStatus in
            guard let parsed = FindingStatus(rawValue: value) else { throw Self.unknownStatus(value) }
            return parsed
        }
        let body = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let body, body.isEmpty || body.count > Self.maxComment {
            throw FindingError.invalid("a comment is 1 to \(Self.maxComment) characters")
        }
        let record = try await finding(id: id)
        let owner = try await maps.latest(named: record.mapName)?.createdBy
        try actor.requireChange(ownedBy: owner, "the findings of map \(record.mapName)")
        try await store.triage(findingID: id, status: newStatus, comment: body, userID: actor.userID, author: actor.email)
        return try await detail(id: id)
    }

    // MARK: helpers

    func finding(id: String) async throws -> FindingRecord {
        guard let record = try await store.finding(id: id) else { throw FindingError.notFound("no finding \(id)") }
        return record
    }

    static func unknownStatus(_ value: String) -> FindingError {
        .invalid("unknown status \"\(value)\"; one of \(FindingStatus.allCases.map(\.rawValue).joined(separator: ", "))")
    }

    /// The views of `records`: whether the newest upload of each one's map still shows it, and who triaged it. A few
    /// queries for the whole page, whatever it holds.
    func views(_ records: [FindingRecord]) async throws -> [FindingView] {
        let newest = try await maps.latestIDs(named: Array(Set(records.map(\.mapName))))
        let newestIDs = Array(Set(newest.values))
        let seen = try await store.seen(records.map(\.id), inMaps: newestIDs)
        let checked = try await store.checkedMaps(newestIDs)
        let tested = try await maps.runCounts(mapIDs: newestIDs.compactMap { UUID(uuidString: $0) })
            .filter { $0.value.testing > 0 }.keys.map { $0.uuidString.lowercased() }
        let emails = try await users.emails(ids: records.compactMap(\.statusBy))
        return records.map { record in
            var latest = FindingView.Latest.notSeen
            if let id = newest[record.mapName] {
                if seen.contains(FindingStore.Seen(finding: record.id, map: id)) {
                    latest = .seen
                } else if record.source == .play ? !tested.contains(id) : !checked.contains(id) {
                    latest = .untested
                }
            }
            return FindingView(record: record, latest: latest, statusByEmail: record.statusBy.flatMap { emails[$0] })
        }
    }
}
