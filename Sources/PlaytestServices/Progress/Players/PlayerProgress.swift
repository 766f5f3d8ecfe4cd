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
    let live: any LiveStore
    let audit: AuditLog
    let logger: Logger
    public let cache: CacheCounter

    public init(engines: PlaytestEngines, logger: Logger) {
        self.store = PlayerProgressStore(sql: engines.sql)
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
        let view = try await write(principal, experienceID: experienceID, ifMatch: nil, serverSide: true) { record in
            record.state = Self.editing(record.state, list: "inventory", item: item, add: add)
        }
        await warm(PlayerKeys.inventory(try player(principal, nil, reading: false), view.experienceID), view.state, list: "inventory")
        return view
    }

    /// Loads, changes and saves the experience's progress under optimistic concurrency. A client write names the
    /// version it read (required once the progress exists); a server-side edit re-reads and retries on a conflict.
    private func write(_ principal: Principal, experienceID: String, ifMatch: Int?, serverSide: Bool = false,
                       _ change: (inout ExperienceProgressRecord) throws -> Void) async throws -> ExperienceView {
        let user = try player(principal, nil, reading: false)
        let experience = try Self.checkExperience(experienceID)
        let profile = try await store.ensureProfile(userID: user)
        for _ in 0..<(serverSide ? 5 : 1) {
            let now = Date()
            var record = try await store.progress(playerID: profile.id, experienceID: experience) ?? ExperienceProgressRecord(
                id: UUID().uuidString.lowercased(), playerID: profile.id, experienceID: experience, startedAt: now, completedAt: nil,
                lastPlayedAt: now, playtimeSeconds: 0, completionPercentage: 0, currentLocation: nil, state: [:], version: 0,
                createdAt: now, updatedAt: now)
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
                await touch(user: user, experience: experience, location: record.currentLocation)
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
        let profile = try await store.ensureProfile(userID: user)
        let now = Date()
        let records = try events.map { event -> ProgressEventRecord in
            guard (1...50).contains(event.eventType.count) else { throw PlayerProgressError.invalid("event_type is 1 to 50 characters") }
            if let content = event.contentID, content.count > 255 { throw PlayerProgressError.invalid("content_id is at most 255 characters") }
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
        // The experience exists (made by this write if need be) before its events.
        var view = try await write(principal, experienceID: experienceID, ifMatch: nil, serverSide: true) { _ in }
        guard let progressID = try await store.progress(playerID: profile.id, experienceID: view.experienceID)?.id else {
            throw StorageError.missingRow("experience_progress \(view.experienceID)")
        }
        let stored = try await store.append(records, progressID: progressID)
        let visited = stored.filter { $0.eventType == "waypoint_visited" }.compactMap(\.contentID)
        let collected = stored.filter { $0.eventType == "item_collected" }.compactMap(\.contentID)
        if !visited.isEmpty || !collected.isEmpty {
            view = try await write(principal, experienceID: experienceID, ifMatch: nil, serverSide: true) { record in
                for waypoint in visited { record.state = Self.editing(record.state, list: "visited_waypoints", item: waypoint, add: true) }
                for item in collected { record.state = Self.editing(record.state, list: "inventory", item: item, add: true) }
                if let last = visited.last { record.currentLocation = last }
            }
        }
        try await store.refreshTotals(playerID: profile.id)
        let distance = stored.compactMap { event -> Double? in
            if case .object(let data) = event.data, case .number(let number)? = data["distance_traveled"] { return number.double }
            return nil
        }.reduce(0, +)
        await afterEvents(user: user, experience: view.experienceID, state: view.state, distance: distance)
        return AppendedEvents(stored: stored.map(ProgressEventView.init), duplicates: records.count - stored.count, experience: view)
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

    private func hotSet(_ principal: Principal, _ userID: String?, _ experienceID: String, list: String,
                        key: (String, String) -> String) async throws -> [String] {
        let user = try player(principal, userID, reading: true)
        let experience = try Self.checkExperience(experienceID)
        if let cached = try? await live.setMembers(key(user, experience)), !cached.isEmpty {
            await cache.hit()
            return cached.sorted()
        }
        await cache.miss()
        guard let profile = try await store.profile(userID: user), let record = try await store.progress(playerID: profile.id, experienceID: experience) else {
            return []
        }
        await warm(key(user, experience), record.state, list: list)
        return Self.strings(record.state, list).sorted()
    }

    /// Puts a state list into its Redis set (replacing it), with the seed's TTL; a failure is only logged.
    private func warm(_ key: String, _ state: JSONValue, list: String) async {
        let members = Self.strings(state, list)
        do {
            try await live.delete([key])
            if !members.isEmpty { try await live.setAdd(key, members: members) }
            try await live.expire(key, ttl: PlayerKeys.setTTL)
        } catch {
            logger.warning("warming a player's cache failed; SQL answers", metadata: ["key": "\(key)", "error": "\(error)"])
        }
    }

    /// After a durable write: the session (1 h) and the experience's active players (30 min).
    private func touch(user: String, experience: String, location: String?) async {
        let session = PlayerKeys.session(user)
        let now = JSONTimestamp.format(Date())
        do {
            var fields = ["current_experience": experience, "last_activity": now]
            if let location { fields["current_location"] = location }
            if try await live.hashGetAll(session)["session_start"] == nil { fields["session_start"] = now }
            try await live.write([
                .hashSet(session, fields), .expire(session, ttl: PlayerKeys.sessionTTL),
            ])
            try await live.setAdd(PlayerKeys.activePlayers(experience), members: [user])
            try await live.expire(PlayerKeys.activePlayers(experience), ttl: PlayerKeys.activeTTL)
        } catch {
            logger.warning("updating a player's session in the live store failed; the write is stored", metadata: ["error": "\(error)"])
        }
    }

    private func afterEvents(user: String, experience: String, state: JSONValue, distance: Double) async {
        await warm(PlayerKeys.visited(user, experience), state, list: "visited_waypoints")
        await warm(PlayerKeys.inventory(user, experience), state, list: "inventory")
        guard distance > 0 else { return }
        do {
            try await live.write([
                .sortedSetIncrement(PlayerKeys.distanceBoard(experience), member: user, by: distance),
                .expire(PlayerKeys.distanceBoard(experience), ttl: PlayerKeys.distanceTTL),
            ])
        } catch {
            logger.warning("updating the distance board failed", metadata: ["error": "\(error)"])
        }
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

    /// Deletes the player's progress (SQL rows cascade), purges their Redis keys and writes an audit entry. Deleting
    /// the user does the SQL part by cascade; ``purge(userID:experiences:)`` then clears Redis.
    public func delete(_ principal: Principal, userID: String? = nil, ip: String? = nil) async throws {
        let user = try player(principal, userID, reading: principal.role == .admin)
        let experiences = try await experiences(userID: user)
        _ = try await store.deleteAll(userID: user)
        await purge(userID: user, experiences: experiences)
        try await audit.append(AuditEntry(action: "player_progress.delete", actorID: principal.userID, actorEmail: principal.email,
                                          target: user, ip: ip, detail: "\(experiences.count) experiences"))
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
    /// `GET /api/v1/health/player-progress`: SQL and the live store answer, the cache's hit ratio, active players.
    public func health() async throws -> PlayerProgressHealth {
        let active = try await store.activePlayers(since: Date().addingTimeInterval(-1800))
        var liveProblem: String?
        do { try await live.ping() } catch { liveProblem = "\(error)" }
        return PlayerProgressHealth(
            status: liveProblem == nil ? "ok" : "degraded", sql: "ok", live: liveProblem ?? "ok", liveEngine: live.engineName,
            cacheHitRatio: await cache.ratio, activePlayers: active)
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

    enum CodingKeys: String, CodingKey {
        case status, sql, live, liveEngine = "live_engine", cacheHitRatio = "cache_hit_ratio", activePlayers = "active_players"
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
