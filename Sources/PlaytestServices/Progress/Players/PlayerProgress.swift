import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Players' progress per experience (seed 002, docs/player-progress.md): SQL holds the truth and is written first —
/// only a durable write is acknowledged — then the seed's Redis keys are updated; reads of the hot sets go to Redis
/// first and warm it from SQL on a miss. Redis down: writes still succeed and reads fall back to SQL.
///
/// A player reads and writes only their own progress; an admin may read anyone's.
public struct PlayerProgress: Sendable {
    /// The largest state accepted, as JSON text.
    public static let maxStateBytes = 64 * 1024
    public static let maxEventsPerAppend = 500

    let store: PlayerProgressStore
    let maps: MapStore
    let live: any LiveStore
    let audit: AuditLog
    let logger: Logger
    public let cache: CacheCounter

    public init(engines: PlaytestEngines, logger: Logger) {
        self.store = PlayerProgressStore(sql: engines.sql)
        self.maps = MapStore(sql: engines.sql)
        self.live = engines.live
        self.audit = AuditLog(sql: engines.sql)
        self.logger = logger
        self.cache = CacheCounter()
    }

    // MARK: who

    /// The user whose progress is meant: the principal's own, or for an admin anyone's (reads only).
    func player(_ principal: Principal, _ userID: String?, reading: Bool) throws -> String {
        if let userID, userID != principal.userID {
            guard reading, principal.role == .admin else {
                throw AccountError.forbidden("a player reads and writes only their own progress; an admin may read anyone's")
            }
            return userID
        }
        guard let own = principal.userID else { throw PlayerProgressError.invalid("name the player with user_id (the local CLI has no progress)") }
        return own
    }

    static func checkExperience(_ id: String) throws -> String {
        guard (1...100).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._:/-".contains($0)) }) else {
            throw PlayerProgressError.invalid("an experience id is 1 to 100 letters, digits and ._:/- (a Doom map is \"{map_id}/MAP01\"), got \"\(id.prefix(120))\"")
        }
        return id
    }

    /// A write's experience: a Doom map's (`{map_id}/{MAP01}`) must name a map in the library and one of its levels;
    /// any other id is the client's own (seed 002: a free string).
    func knownExperience(_ id: String) async throws -> String {
        let experience = try Self.checkExperience(id)
        let parts = experience.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let mapID = UUID(uuidString: parts[0]) else { return experience }
        guard let record = try await maps.record(id: mapID) else {
            throw PlayerProgressError.notFound("experience \(experience) names map \(parts[0]), which the library does not have")
        }
        guard record.mapSummaries.contains(where: { $0.name.caseInsensitiveCompare(parts[1]) == .orderedSame }) else {
            throw PlayerProgressError.notFound("experience \(experience): \(record.name) has no map \(parts[1])")
        }
        return experience
    }

    // MARK: profile

    public func profile(_ principal: Principal, userID: String? = nil) async throws -> PlayerProfileView {
        let user = try player(principal, userID, reading: true)
        if user != principal.userID, try await store.profile(userID: user) == nil { throw PlayerProgressError.notFound("\(user) has no player profile") }
        return PlayerProfileView(try await store.ensureProfile(userID: user))
    }

    public func updateProfile(_ principal: Principal, accountLevel: Int, stats: JSONValue) async throws -> PlayerProfileView {
        guard (1...10_000).contains(accountLevel) else { throw PlayerProgressError.invalid("account_level must be in 1...10000") }
        guard case .object = stats else { throw PlayerProgressError.invalid("stats must be a JSON object") }
        try Self.checkSize(stats)
        let user = try player(principal, nil, reading: false)
        _ = try await store.ensureProfile(userID: user)
        try await store.updateProfile(userID: user, accountLevel: accountLevel, stats: stats)
        return PlayerProfileView(try await store.ensureProfile(userID: user))
    }

    // MARK: state

    public func experience(_ principal: Principal, userID: String? = nil, experienceID: String) async throws -> ExperienceView {
        let user = try player(principal, userID, reading: true)
        let experience = try Self.checkExperience(experienceID)
        guard let profile = try await store.profile(userID: user), let record = try await store.progress(playerID: profile.id, experienceID: experience) else {
            throw PlayerProgressError.notFound("no progress in \(experience) yet")
        }
        return ExperienceView(record)
    }

    /// Replaces the state (a JSON object), optionally with the completion and location. `ifMatch`: the version read.
    public func replace(_ principal: Principal, experienceID: String, state: JSONValue, completion: Double? = nil, location: String? = nil,
                        ifMatch: Int?) async throws -> ExperienceView {
        guard case .object = state else { throw PlayerProgressError.invalid("the state must be a JSON object") }
        return try await write(principal, experienceID: experienceID, ifMatch: ifMatch) { record in
            record.state = state
            if let completion { record.completionPercentage = completion }
            if let location { record.currentLocation = location }
        }
    }

    /// Applies a JSON Merge Patch (RFC 7396) to the state.
    public func patch(_ principal: Principal, experienceID: String, patch: JSONValue, ifMatch: Int?) async throws -> ExperienceView {
        guard case .object = patch else { throw PlayerProgressError.invalid("a merge patch of the state must be a JSON object") }
        return try await write(principal, experienceID: experienceID, ifMatch: ifMatch) { record in
            record.state = record.state.mergePatched(with: patch)
        }
    }

    /// Adds or removes an inventory item (`state.inventory`); the server retries its own write on a conflict.
    public func inventory(_ principal: Principal, experienceID: String, item: String, add: Bool) async throws -> ExperienceView {
        guard (1...255).contains(item.count) else { throw PlayerProgressError.invalid("an item id is 1 to 255 characters") }
        return try await write(principal, experienceID: experienceID, ifMatch: nil, serverSide: true) { record in
            record.state = Self.editing(record.state, list: "inventory", item: item, add: add)
        }
    }

    /// Loads, changes and saves the experience's progress under optimistic concurrency. A client write names the
    /// version it read (required once the progress exists); a server-side edit re-reads and retries on a conflict.
    private func write(_ principal: Principal, experienceID: String, ifMatch: Int?, serverSide: Bool = false,
                       _ change: (inout ExperienceProgressRecord) throws -> Void) async throws -> ExperienceView {
        let user = try player(principal, nil, reading: false)
        let experience = try await knownExperience(experienceID)
        let profile = try await store.ensureProfile(userID: user)
        for _ in 0..<(serverSide ? 5 : 1) {
            let now = Date()
            var record = try await store.progress(playerID: profile.id, experienceID: experience)
                ?? Self.newProgress(playerID: profile.id, experienceID: experience, at: now)
            if !serverSide {
                if let ifMatch, ifMatch != record.version { throw PlayerProgressError.versionMismatch(current: record.version) }
                if ifMatch == nil, record.version > 0 { throw PlayerProgressError.versionRequired(current: record.version) }
            }
            try change(&record)
            guard (0...100).contains(record.completionPercentage) else { throw PlayerProgressError.invalid("completion_percentage must be in 0...100") }
            try Self.checkSize(record.state)
            record.version += 1
            record.lastPlayedAt = now
            record.updatedAt = now
            if record.completionPercentage >= 100, record.completedAt == nil { record.completedAt = now }
            if try await store.save(record) {
                if record.version == 1 { try await store.refreshTotals(playerID: profile.id) }
                await afterWrite(user: user, record, distanceChanged: false)
                return ExperienceView(record)
            }
            if !serverSide {
                let current = try await store.progress(playerID: profile.id, experienceID: experience)?.version ?? 0
                throw PlayerProgressError.versionMismatch(current: current)
            }
        }
        throw PlayerProgressError.versionMismatch(current: -1)
    }

    static func checkSize(_ value: JSONValue) throws {
        let bytes = (try? PlaytestJSON.data(value).count) ?? Int.max
        if bytes > maxStateBytes { throw PlayerProgressError.tooLarge(bytes: bytes, limit: maxStateBytes) }
    }

    /// The state with `item` added to or removed from its string list `list`.
    static func editing(_ state: JSONValue, list: String, item: String, add: Bool) -> JSONValue {
        guard case .object(var members) = state else { return state }
        var items: [JSONValue] = []
        if case .array(let existing)? = members[list] { items = existing }
        items.removeAll { $0 == .string(item) }
        if add { items.append(.string(item)) }
        members[list] = .array(items)
        return .object(members)
    }

    static func strings(_ state: JSONValue, _ list: String) -> [String] {
        guard case .object(let members) = state, case .array(let items)? = members[list] else { return [] }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    // MARK: events

    /// Appends events (idempotent by `client_event_id`); `waypoint_visited` and `item_collected` also update the
    /// state's `visited_waypoints` and `inventory`. An event dated before the player's profile is refused.
    public func append(_ principal: Principal, experienceID: String, events: [ProgressEventInput]) async throws -> AppendedEvents {
        guard (1...Self.maxEventsPerAppend).contains(events.count) else {
            throw PlayerProgressError.invalid("send 1 to \(Self.maxEventsPerAppend) events at a time, got \(events.count)")
        }
        let user = try player(principal, nil, reading: false)
        let experience = try await knownExperience(experienceID)
        let profile = try await store.ensureProfile(userID: user)
        let now = Date()
        let records = try events.map { event -> ProgressEventRecord in
            guard (1...50).contains(event.eventType.count) else { throw PlayerProgressError.invalid("event_type is 1 to 50 characters") }
            if let content = event.contentID, !(1...255).contains(content.count) { throw PlayerProgressError.invalid("content_id is 1 to 255 characters") }
            if let id = event.clientEventID, !(1...100).contains(id.count) { throw PlayerProgressError.invalid("client_event_id is 1 to 100 characters") }
            if let lat = event.locationLat, !(-90...90).contains(lat) { throw PlayerProgressError.invalid("location_lat must be in -90...90") }
            if let lng = event.locationLng, !(-180...180).contains(lng) { throw PlayerProgressError.invalid("location_lng must be in -180...180") }
            let timestamp = event.timestamp ?? now
            guard timestamp >= profile.createdAt.addingTimeInterval(-1) else {
                throw PlayerProgressError.invalid("an event dated \(JSONTimestamp.format(timestamp)) is older than the player's profile")
            }
            guard timestamp <= now.addingTimeInterval(300) else { throw PlayerProgressError.invalid("an event may not be dated in the future") }
            let data = event.data ?? [:]
            guard case .object = data else { throw PlayerProgressError.invalid("an event's data must be a JSON object") }
            try Self.checkSize(data)
            return ProgressEventRecord(id: UUID().uuidString.lowercased(), eventType: event.eventType, contentID: event.contentID, data: data,
                                       locationLat: event.locationLat, locationLng: event.locationLng, timestamp: timestamp,
                                       clientEventID: event.clientEventID)
        }
        for _ in 0..<5 {
            let now = Date()
            let current = try await store.progress(playerID: profile.id, experienceID: experience)
                ?? Self.newProgress(playerID: profile.id, experienceID: experience, at: now)
            let committed = try await store.commit(records, to: current) { stored, record in
                Self.apply(stored, to: &record)
                record.lastPlayedAt = now
                record.updatedAt = now
                try Self.checkSize(record.state)
            }
            guard let committed else { continue }
            await afterWrite(user: user, committed.record, distanceChanged: committed.record.distanceMeters != current.distanceMeters)
            return AppendedEvents(stored: committed.stored.map(ProgressEventView.init), duplicates: records.count - committed.stored.count,
                                  experience: ExperienceView(committed.record))
        }
        throw PlayerProgressError.versionMismatch(current: -1)
    }

    /// What stored events change in the state: `waypoint_visited` adds to `visited_waypoints` (and moves
    /// `current_location`), `item_collected` to `inventory`.
    static func apply(_ stored: [ProgressEventRecord], to record: inout ExperienceProgressRecord) {
        for event in stored {
            guard let content = event.contentID else { continue }
            switch event.eventType {
            case "waypoint_visited":
                record.state = editing(record.state, list: "visited_waypoints", item: content, add: true)
                record.currentLocation = content
            case "item_collected":
                record.state = editing(record.state, list: "inventory", item: content, add: true)
            default:
                break
            }
        }
    }

    static func newProgress(playerID: String, experienceID: String, at now: Date) -> ExperienceProgressRecord {
        ExperienceProgressRecord(
            id: UUID().uuidString.lowercased(), playerID: playerID, experienceID: experienceID, startedAt: now, completedAt: nil,
            lastPlayedAt: now, playtimeSeconds: 0, completionPercentage: 0, currentLocation: nil, state: [:], version: 0,
            createdAt: now, updatedAt: now)
    }

    /// The history, oldest first, `limit` (1–500) at a time after the cursor `after`.
    public func history(_ principal: Principal, userID: String? = nil, experienceID: String, after: String?, limit: Int) async throws -> ProgressHistory {
        guard (1...500).contains(limit) else { throw PlayerProgressError.invalid("limit must be in 1...500") }
        let user = try player(principal, userID, reading: true)
        let experience = try Self.checkExperience(experienceID)
        guard let profile = try await store.profile(userID: user), let record = try await store.progress(playerID: profile.id, experienceID: experience) else {
            throw PlayerProgressError.notFound("no progress in \(experience) yet")
        }
        let events = try await store.events(progressID: record.id, after: after, limit: limit)
        return ProgressHistory(experienceID: experience, events: events.map(ProgressEventView.init), next: events.count == limit ? events.last?.id : nil)
    }

    // MARK: hot reads (Redis first)

    /// The inventory: Redis first, SQL on a miss (which warms Redis).
    public func inventory(_ principal: Principal, userID: String? = nil, experienceID: String) async throws -> [String] {
        try await hotSet(principal, userID, experienceID, list: "inventory", key: PlayerKeys.inventory)
    }

    /// Whether the player has visited the waypoint: Redis first, SQL on a miss.
    public func hasVisited(_ principal: Principal, userID: String? = nil, experienceID: String, waypoint: String) async throws -> Bool {
        try await hotSet(principal, userID, experienceID, list: "visited_waypoints", key: PlayerKeys.visited).contains(waypoint)
    }

    /// A Redis set warmed from SQL holds this member besides the real ones, so an empty list is a hit too (Redis keeps
    /// no empty sets); item and waypoint ids are never empty.
    static let warmMarker = ""

    private func hotSet(_ principal: Principal, _ userID: String?, _ experienceID: String, list: String,
                        key: (String, String) -> String) async throws -> [String] {
        let user = try player(principal, userID, reading: true)
        let experience = try Self.checkExperience(experienceID)
        if let cached = try? await live.setMembers(key(user, experience)), cached.contains(Self.warmMarker) {
            await cache.hit()
            return cached.subtracting([Self.warmMarker]).sorted()
        }
        await cache.miss()
        guard let profile = try await store.profile(userID: user), let record = try await store.progress(playerID: profile.id, experienceID: experience) else {
            return []
        }
        await apply(Self.warming(key(user, experience), record.state, list: list), "warming a player's cache")
        return Self.strings(record.state, list).sorted()
    }

    /// Replaces a Redis set with a state list (and the marker), with the seed's TTL.
    static func warming(_ key: String, _ state: JSONValue, list: String) -> [LiveWrite] {
        [.delete(key), .setAdd(key, [warmMarker] + strings(state, list)), .expire(key, ttl: PlayerKeys.setTTL)]
    }

    /// After a durable write, in one pipeline: the session (1 h), the experience's active players (30 min), the hot
    /// inventory and visited sets (1 h), and the player's distance on the experience's board when it changed and the
    /// board is held (a board Redis does not hold is rebuilt whole from SQL on its next read).
    private func afterWrite(user: String, _ record: ExperienceProgressRecord, distanceChanged: Bool) async {
        let session = PlayerKeys.session(user)
        let now = JSONTimestamp.format(Date())
        var fields = ["current_experience": record.experienceID, "last_activity": now]
        if let location = record.currentLocation { fields["current_location"] = location }
        let active = PlayerKeys.activePlayers(record.experienceID)
        var writes: [LiveWrite] = [
            .hashSet(session, fields), .hashSetIfAbsent(session, field: "session_start", value: now), .expire(session, ttl: PlayerKeys.sessionTTL),
            .setAdd(active, [user]), .expire(active, ttl: PlayerKeys.activeTTL),
        ]
        writes += Self.warming(PlayerKeys.visited(user, record.experienceID), record.state, list: "visited_waypoints")
        writes += Self.warming(PlayerKeys.inventory(user, record.experienceID), record.state, list: "inventory")
        let board = PlayerKeys.distanceBoard(record.experienceID)
        if distanceChanged, (try? await live.sortedSetCount(board)) ?? 0 > 0 {
            writes.append(.sortedSetAdd(board, [ScoredMember(member: user, score: record.distanceMeters)], when: .always))
        }
        await apply(writes, "updating a player's live keys")
    }

    private func apply(_ writes: [LiveWrite], _ what: String) async {
        do {
            try await live.write(writes)
        } catch {
            logger.warning("\(what) failed; SQL has the truth and answers reads", metadata: ["error": "\(error)"])
        }
    }

    // MARK: session and leaderboard

    /// Where the player is (to resume): Redis's session first; on a miss the newest experience in SQL, which warms it.
    public func session(_ principal: Principal, userID: String? = nil) async throws -> PlayerSessionView {
        let user = try player(principal, userID, reading: true)
        let key = PlayerKeys.session(user)
        if let hash = try? await live.hashGetAll(key), let experience = hash["current_experience"] {
            await cache.hit()
            return PlayerSessionView(experienceID: experience, location: hash["current_location"], sessionStart: hash["session_start"],
                                     lastActivity: hash["last_activity"], source: "live")
        }
        await cache.miss()
        guard let profile = try await store.profile(userID: user), let latest = try await store.latestProgress(playerID: profile.id) else {
            throw PlayerProgressError.notFound("no session: the player has no progress yet")
        }
        let last = JSONTimestamp.format(latest.lastPlayedAt ?? latest.updatedAt)
        var fields = ["current_experience": latest.experienceID, "session_start": last, "last_activity": last]
        if let location = latest.currentLocation { fields["current_location"] = location }
        await apply([.hashSet(key, fields), .expire(key, ttl: PlayerKeys.sessionTTL)], "warming a player's session")
        return PlayerSessionView(experienceID: latest.experienceID, location: latest.currentLocation, sessionStart: last, lastActivity: last,
                                 source: "sql")
    }

    /// The experience's distance board (seed 002's sorted set, 5 min): the top `limit` and the caller's own standing.
    /// Redis first; a board it does not hold is rebuilt from SQL (the best 1,000).
    public func distanceBoard(_ principal: Principal, experienceID: String, limit: Int) async throws -> DistanceBoardView {
        guard (1...100).contains(limit) else { throw PlayerProgressError.invalid("limit must be in 1...100") }
        let experience = try Self.checkExperience(experienceID)
        let key = PlayerKeys.distanceBoard(experience)
        var top: [ScoredMember]
        if let held = try? await live.sortedSetRange(key, start: 0, stop: limit - 1, descending: true), !held.isEmpty {
            await cache.hit()
            top = held
        } else {
            await cache.miss()
            let leaders = try await store.distanceLeaders(experienceID: experience, limit: DistanceBoardView.held)
            if !leaders.isEmpty {
                await apply([.delete(key), .sortedSetAdd(key, leaders.map { ScoredMember(member: $0.userID, score: $0.distance) }, when: .always),
                             .expire(key, ttl: PlayerKeys.distanceTTL)], "rebuilding a distance board")
            }
            top = leaders.prefix(limit).map { ScoredMember(member: $0.userID, score: $0.distance) }
        }
        var you: DistanceStanding?
        if let own = principal.userID, let profile = try await store.profile(userID: own),
           let progress = try await store.progress(playerID: profile.id, experienceID: experience), progress.distanceMeters > 0 {
            let rank = try await store.distanceRank(experienceID: experience, distance: progress.distanceMeters)
            you = DistanceStanding(rank: rank, distance: progress.distanceMeters)
        }
        return DistanceBoardView(experienceID: experience, entries: top.enumerated().map {
            DistanceEntry(rank: $0.offset + 1, userID: $0.element.member, distance: $0.element.score, isYou: $0.element.member == principal.userID)
        }, you: you)
    }

    // MARK: privacy

    /// Everything held about the player, as JSON ("download my data").
    public func export(_ principal: Principal, userID: String? = nil) async throws -> PlayerExport {
        let user = try player(principal, userID, reading: true)
        guard let profile = try await store.profile(userID: user) else {
            return PlayerExport(profile: nil, experiences: [], events: [:], exportedAt: Date())
        }
        var events: [String: [ProgressEventView]] = [:]
        let experiences = try await store.progresses(playerID: profile.id)
        for experience in experiences {
            var all: [ProgressEventRecord] = []
            var after: String?
            repeat {
                let page = try await store.events(progressID: experience.id, after: after, limit: 1000)
                all += page
                after = page.count == 1000 ? page.last?.id : nil
            } while after != nil
            events[experience.experienceID] = all.map(ProgressEventView.init)
        }
        return PlayerExport(profile: PlayerProfileView(profile), experiences: experiences.map(ExperienceView.init), events: events, exportedAt: Date())
    }

    /// Deletes the player's progress (``erase(userID:)``) and writes an audit entry.
    public func delete(_ principal: Principal, userID: String? = nil, ip: String? = nil) async throws {
        let user = try player(principal, userID, reading: principal.role == .admin)
        let count = try await erase(userID: user)
        try await audit.append(AuditEntry(action: "player_progress.delete", actorID: principal.userID, actorEmail: principal.email,
                                          target: user, ip: ip, detail: "\(count) experiences"))
    }

    /// Erases every trace of a user's progress: the rows (profile, experiences, events) and what the analytics roll-ups
    /// counted of them, in one transaction, then their Redis keys. Deleting a user calls it first (the rows' cascade
    /// alone would leave the user's visits in the roll-ups). Returns how many experiences there were.
    @discardableResult
    public func erase(userID: String) async throws -> Int {
        let experiences = try await experiences(userID: userID)
        _ = try await store.deleteAll(userID: userID)
        await purge(userID: userID, experiences: experiences)
        return experiences.count
    }

    /// The experiences a user has progress in (to purge their keys once the user is gone).
    public func experiences(userID: String) async throws -> [String] {
        guard let profile = try await store.profile(userID: userID) else { return [] }
        return try await store.progresses(playerID: profile.id).map(\.experienceID)
    }

    /// Removes the player's Redis keys.
    public func purge(userID: String, experiences: [String]) async {
        var keys = [PlayerKeys.session(userID)]
        for experience in experiences { keys += [PlayerKeys.inventory(userID, experience), PlayerKeys.visited(userID, experience)] }
        do {
            try await live.delete(keys)
            for experience in experiences {
                try await live.setRemove(PlayerKeys.activePlayers(experience), members: [userID])
                try await live.sortedSetRemove(PlayerKeys.distanceBoard(experience), members: [userID])
            }
        } catch {
            logger.warning("purging a player's live keys failed; they expire within an hour", metadata: ["error": "\(error)"])
        }
    }
}

extension PlayerProgress {
    /// `GET /api/v1/health/player-progress`: SQL and the live store answer, the cache's hit ratio, active players, the
    /// events the analytics have yet to fold.
    public func health() async throws -> PlayerProgressHealth {
        let active = try await store.activePlayers(since: Date().addingTimeInterval(-1800))
        var liveProblem: String?
        do { try await live.ping() } catch { liveProblem = "\(error)" }
        return PlayerProgressHealth(
            status: liveProblem == nil ? "ok" : "degraded", sql: "ok", live: liveProblem ?? "ok", liveEngine: live.engineName,
            cacheHitRatio: await cache.ratio, activePlayers: active, rollupBacklog: try await store.rollupBacklog())
    }
}

/// The player-progress health report; `degraded` when the live store is down (reads then come from SQL).
public struct PlayerProgressHealth: Sendable, Hashable, Codable {
    public var status: String
    public var sql: String
    public var live: String
    public var liveEngine: String
    public var cacheHitRatio: Double?
    /// Players who wrote progress in the last 30 minutes.
    public var activePlayers: Int
    /// Events stored but not yet in the analytics roll-ups (a serving process folds them every second).
    public var rollupBacklog: Int

    enum CodingKeys: String, CodingKey {
        case status, sql, live, liveEngine = "live_engine", cacheHitRatio = "cache_hit_ratio", activePlayers = "active_players"
        case rollupBacklog = "rollup_backlog"
    }
}

/// Hits and misses of the Redis read path, for `playtest_player_progress_cache_hit_ratio`.
public actor CacheCounter {
    public private(set) var hits = 0
    public private(set) var misses = 0
    public init() {}
    func hit() { hits += 1 }
    func miss() { misses += 1 }
    /// nil before any read.
    public var ratio: Double? { hits + misses == 0 ? nil : Double(hits) / Double(hits + misses) }
}
