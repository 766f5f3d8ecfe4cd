import Foundation
import PlaytestCore
import PlaytestServices
import Vapor

/// Seed 002's player-progress API for game clients, under `/api/v1/progress` (docs/player-progress.md). The
/// experience is a query parameter (`?experience=`), since a Doom map's is `{map_id}/MAP01`. Writes carry `If-Match`
/// with the version read (412 when it changed, 428 when missing on existing progress).
struct PlayersController: RouteCollection {
    let players: PlayerProgress
    let analytics: PlayerAnalytics
    let metrics: PlaytestMetrics

    func boot(routes: any RoutesBuilder) throws {
        let read = routes.access(.viewer).grouped("progress")
        let write = routes.access(.user).grouped("progress").grouped(WriteTimer(metrics: metrics))
        let writeOwn = write.grouped(OwnProgressOnly())
        read.get("profile", use: profile)
        writeOwn.put("profile", use: putProfile)
        read.get("state", use: state)
        writeOwn.put("state", use: replace)
        writeOwn.patch("state", use: patch)
        writeOwn.post("events", use: append)
        read.get("events", use: history)
        read.get("inventory", use: inventory)
        writeOwn.post("inventory", use: addItem)
        writeOwn.delete("inventory", use: removeItem)
        read.get("visited", use: visited)
        read.get("session", use: session)
        read.get("leaderboard", use: leaderboard)
        read.get("analytics", use: experienceAnalytics)
        read.get("analytics", "content", use: contentAnalytics)
        read.get("analytics", "compare", use: compare)
        read.get("export", use: export)
        write.delete(use: deleteAll)
        routes.access(.viewer).get("health", "player-progress", use: health)
    }

    func userID(_ request: Request) throws -> String? { try request.query.get(String?.self, at: "user_id") }

    func experience(_ request: Request) throws -> String {
        guard let id = try request.query.get(String?.self, at: "experience"), !id.isEmpty else {
            throw APIError.badRequest("name the experience: ?experience=… (a Doom map is {map_id}/MAP01)")
        }
        return id
    }

    /// The version an `If-Match` header names (`"3"`, `W/"3"` or `3`); nil without one.
    func ifMatch(_ request: Request) throws -> Int? {
        guard let header = request.headers.first(name: .ifMatch) else { return nil }
        let digits = header.replacingOccurrences(of: "W/", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard let version = Int(digits), version >= 0 else { throw APIError.badRequest("If-Match must be the ETag you read, such as \"3\"") }
        return version
    }

    func body<T: Decodable>(_ request: Request, as type: T.Type) throws -> T {
        guard let buffer = request.body.data, buffer.readableBytes > 0 else { throw APIError.badRequest("the request needs a JSON body") }
        do {
            return try PlaytestJSON.decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.badRequest("the body is not the JSON this endpoint takes: \(error)")
        }
    }

    func tagged(_ view: ExperienceView, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = try JSONBody.response(view, status: status)
        response.headers.replaceOrAdd(name: .eTag, value: view.etag)
        return response
    }

    // MARK: handlers

    func profile(_ request: Request) async throws -> Response {
        try JSONBody.response(try await players.profile(try request.actor(), userID: try userID(request)))
    }

    struct ProfileBody: Decodable {
        var accountLevel: Int
        var stats: JSONValue
        enum CodingKeys: String, CodingKey { case accountLevel = "account_level", stats }
    }

    func putProfile(_ request: Request) async throws -> Response {
        let body = try body(request, as: ProfileBody.self)
        return try JSONBody.response(try await players.updateProfile(try request.actor(), accountLevel: body.accountLevel, stats: body.stats))
    }

    func state(_ request: Request) async throws -> Response {
        try tagged(try await players.experience(try request.actor(), userID: try userID(request), experienceID: try experience(request)))
    }

    struct StateBody: Decodable {
        var state: JSONValue
        var completionPercentage: Double?
        var currentLocation: String?
        enum CodingKeys: String, CodingKey { case state, completionPercentage = "completion_percentage", currentLocation = "current_location" }
    }

    func replace(_ request: Request) async throws -> Response {
        let body = try body(request, as: StateBody.self)
        return try tagged(try await players.replace(
            try request.actor(), experienceID: try experience(request), state: body.state, completion: body.completionPercentage,
            location: body.currentLocation, ifMatch: try ifMatch(request)))
    }

    /// `application/merge-patch+json` (or JSON): RFC 7396 against the state.
    func patch(_ request: Request) async throws -> Response {
        let patch = try body(request, as: JSONValue.self)
        return try tagged(try await players.patch(try request.actor(), experienceID: try experience(request), patch: patch, ifMatch: try ifMatch(request)))
    }

    struct EventsBody: Decodable {
        var events: [ProgressEventInput]
    }

    /// `{"events": [...]}` or one event object.
    func append(_ request: Request) async throws -> Response {
        let events: [ProgressEventInput]
        if let batch = try? body(request, as: EventsBody.self) {
            events = batch.events
        } else {
            events = [try body(request, as: ProgressEventInput.self)]
        }
        let result = try await players.append(try request.actor(), experienceID: try experience(request), events: events)
        let response = try JSONBody.response(result, status: result.stored.isEmpty ? .ok : .created)
        response.headers.replaceOrAdd(name: .eTag, value: result.experience.etag)
        return response
    }

    func history(_ request: Request) async throws -> Response {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 100
        return try JSONBody.response(try await players.history(
            try request.actor(), userID: try userID(request), experienceID: try experience(request),
            after: try request.query.get(String?.self, at: "after"), limit: limit))
    }

    func item(_ request: Request) throws -> String {
        guard let item = try request.query.get(String?.self, at: "item"), !item.isEmpty else { throw APIError.badRequest("name the item: ?item=…") }
        return item
    }

    func inventory(_ request: Request) async throws -> Response {
        let items = try await players.inventory(try request.actor(), userID: try userID(request), experienceID: try experience(request))
        return try JSONBody.response(["inventory": items])
    }

    func addItem(_ request: Request) async throws -> Response {
        try tagged(try await players.inventory(try request.actor(), experienceID: try experience(request), item: try item(request), add: true))
    }

    func removeItem(_ request: Request) async throws -> Response {
        try tagged(try await players.inventory(try request.actor(), experienceID: try experience(request), item: try item(request), add: false))
    }

    func visited(_ request: Request) async throws -> Response {
        guard let waypoint = try request.query.get(String?.self, at: "waypoint"), !waypoint.isEmpty else {
            throw APIError.badRequest("name the waypoint: ?waypoint=…")
        }
        let visited = try await players.hasVisited(try request.actor(), userID: try userID(request), experienceID: try experience(request),
                                                   waypoint: waypoint)
        return try JSONBody.response(["waypoint": JSONValue.string(waypoint), "visited": .bool(visited)])
    }

    func session(_ request: Request) async throws -> Response {
        try JSONBody.response(try await players.session(try request.actor(), userID: try userID(request)))
    }

    func leaderboard(_ request: Request) async throws -> Response {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 10
        return try JSONBody.response(try await players.distanceBoard(try request.actor(), experienceID: try experience(request), limit: limit))
    }

    func experienceAnalytics(_ request: Request) async throws -> Response {
        try JSONBody.response(try await analytics.experience(try experience(request)))
    }

    func contentAnalytics(_ request: Request) async throws -> Response {
        guard let content = try request.query.get(String?.self, at: "content"), !content.isEmpty else {
            throw APIError.badRequest("name the content: ?content=… (a waypoint, item or quest id)")
        }
        return try JSONBody.response(try await analytics.engagement(
            experienceID: try experience(request), contentID: content,
            eventType: try request.query.get(String?.self, at: "event_type") ?? "waypoint_visited",
            days: try request.query.get(Int?.self, at: "days") ?? 7, kind: try request.query.get(String?.self, at: "kind") ?? "human"))
    }

    func compare(_ request: Request) async throws -> Response {
        try JSONBody.response(try await analytics.humansVersusAgents(try experience(request)))
    }

    func export(_ request: Request) async throws -> Response {
        let response = try JSONBody.response(try await players.export(try request.actor(), userID: try userID(request)))
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"player-progress.json\"")
        return response
    }

    func deleteAll(_ request: Request) async throws -> Response {
        try await players.delete(try request.actor(), userID: try userID(request), ip: request.clientAddress)
        return Response(status: .noContent)
    }

    func health(_ request: Request) async throws -> Response {
        try JSONBody.response(try await players.health())
    }
}

/// Times each player-progress write into `playtest_player_progress_write_duration_seconds`.
struct WriteTimer: AsyncMiddleware {
    let metrics: PlaytestMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        defer { metrics.recordPlayerProgressWrite(ContinuousClock.now - start) }
        return try await next.respond(to: request)
    }
}

/// A write names no other player than the caller (only reads, and an admin's delete, take `user_id`).
struct OwnProgressOnly: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let other = try? request.query.get(String?.self, at: "user_id"), other != (try request.actor()).userID {
            throw APIError.forbidden("a player writes only their own progress: leave user_id out")
        }
        return try await next.respond(to: request)
    }
}
