import Foundation
import PlaytestCore
@testable import PlaytestServer
@testable import PlaytestServices
import PlaytestStorage
import Testing
import VaporTesting

@Suite("Player progress API", .serialized)
struct PlayersAPITests {
    /// A game client's own experience id (free, seed 002); a Doom map's is `{map_id}/MAP01`.
    static let experience = "demo-game/level-1"

    struct Answer {
        var status: HTTPStatus
        var json: JSONValue
        var etag: String?
    }

    static func call(_ app: Application, _ method: HTTPMethod, _ path: String, _ body: String? = nil, ifMatch: String? = nil,
                     key: String? = nil) async throws -> Answer {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let ifMatch { headers.add(name: .ifMatch, value: ifMatch) }
        if let key { headers.add(name: "X-API-Key", value: key) }
        var answer = Answer(status: .ok, json: .null, etag: nil)
        try await app.testing().test(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            answer = Answer(status: $0.status, json: (try? $0.content.decode(JSONValue.self)) ?? .null, etag: $0.headers.first(name: .eTag))
        }
        return answer
    }

    static let state = "api/v1/progress/state?experience=\(experience)"

    @Test("state under optimistic concurrency: create, 428 without If-Match, 412 on a stale one, merge patch")
    func concurrency() async throws {
        try await withPlaytestApp { app, _ in
            #expect(try await Self.call(app, .GET, Self.state).status == .notFound)
            let created = try await Self.call(app, .PUT, Self.state, #"{"state": {"inventory": ["torch"], "level": 1}}"#)
            #expect(created.status == .ok && created.etag == "\"1\"" && created.json["version"] == 1)
            let blind = try await Self.call(app, .PUT, Self.state, #"{"state": {"level": 9}}"#)
            #expect(blind.status == .preconditionRequired && blind.etag == "\"1\"")
            let second = try await Self.call(app, .PUT, Self.state, #"{"state": {"inventory": ["torch"], "level": 2}, "completion_percentage": 40}"#,
                                             ifMatch: "\"1\"")
            #expect(second.status == .ok && second.json["version"] == 2 && second.json["completion_percentage"]?.doubleValue == 40)
            let stale = try await Self.call(app, .PUT, Self.state, #"{"state": {"level": 99}}"#, ifMatch: "\"1\"")
            #expect(stale.status == .preconditionFailed && stale.etag == "\"2\"")
            let patched = try await Self.call(app, .PATCH, Self.state, #"{"level": 3, "inventory": null, "flags": {"door": true}}"#, ifMatch: "2")
            #expect(patched.status == .ok && patched.json["state"] == ["level": 3, "flags": ["door": true]])
            let read = try await Self.call(app, .GET, Self.state)
            #expect(read.etag == "\"3\"" && read.json["state"]?["level"] == 3)
        }
    }

    @Test("events: batches, idempotent by client id; waypoints and items update the state; Redis-first reads; history pages")
    func events() async throws {
        try await withPlaytestApp { app, engines in
            let events = "api/v1/progress/events?experience=\(Self.experience)"
            let batch = #"{"events": [{"event_type": "waypoint_visited", "content_id": "w1", "client_event_id": "c1", "data": {"distance_traveled": 12.5}},"#
                + #"{"event_type": "item_collected", "content_id": "blue_card", "client_event_id": "c2"},"#
                + #"{"event_type": "quest_started", "content_id": "q1", "client_event_id": "c3", "location_lat": 37.9, "location_lng": -122.5}]}"#
            let first = try await Self.call(app, .POST, events, batch)
            #expect(first.status == .created && first.json["stored"]?.arrayValue?.count == 3 && first.json["duplicates"] == 0)
            #expect(first.json["experience"]?["state"]?["visited_waypoints"] == ["w1"])
            let again = try await Self.call(app, .POST, events, batch)
            #expect(again.status == .ok && again.json["stored"] == [] && again.json["duplicates"] == 3, "a retried batch stores nothing")
            let single = try await Self.call(app, .POST, events, #"{"event_type": "waypoint_visited", "content_id": "w2"}"#)
            #expect(single.status == .created)

            let visited = try await Self.call(app, .GET, "api/v1/progress/visited?experience=\(Self.experience)&waypoint=w2")
            #expect(visited.json["visited"] == true)
            #expect(try await Self.call(app, .GET, "api/v1/progress/visited?experience=\(Self.experience)&waypoint=w9").json["visited"] == false)
            let added = try await Self.call(app, .POST, "api/v1/progress/inventory?experience=\(Self.experience)&item=shotgun")
            #expect(added.status == .ok && added.json["state"]?["inventory"] == ["blue_card", "shotgun"])
            _ = try await Self.call(app, .DELETE, "api/v1/progress/inventory?experience=\(Self.experience)&item=blue_card")
            #expect(try await Self.call(app, .GET, "api/v1/progress/inventory?experience=\(Self.experience)").json["inventory"] == ["shotgun"])

            let page = try await Self.call(app, .GET, "\(events)&limit=2")
            #expect(page.json["events"]?.arrayValue?.count == 2)
            let next = try #require(page.json["next"]?.stringValue)
            let rest = try await Self.call(app, .GET, "\(events)&limit=10&after=\(next)")
            #expect(rest.json["events"]?.arrayValue?.count == 2 && rest.json["next"] == nil)
            let profile = try await Self.call(app, .GET, "api/v1/progress/profile")
            #expect(profile.json["total_experiences_played"] == 1 && profile.json["total_distance_meters"]?.doubleValue == 12.5)
        }
    }

    @Test("bad input gets a 4xx and writes nothing")
    func badInput() async throws {
        try await withPlaytestApp { app, _ in
            _ = try await Self.call(app, .PUT, Self.state, #"{"state": {"a": 1}}"#)
            let big = String(repeating: "x", count: PlayerProgress.maxStateBytes)
            for (method, path, body, status) in [
                (HTTPMethod.PUT, Self.state, "{not json", HTTPStatus.badRequest),
                (.PUT, Self.state, #"{"state": [1, 2]}"#, .unprocessableEntity),
                (.PATCH, Self.state, #"[1]"#, .unprocessableEntity),
                (.PUT, Self.state, #"{"state": {"blob": "\#(big)"}}"#, .payloadTooLarge),
                (.PUT, "api/v1/progress/state", #"{"state": {}}"#, .badRequest),
                (.PUT, "api/v1/progress/state?experience=bad%20id", #"{"state": {}}"#, .unprocessableEntity),
                (.GET, "api/v1/progress/state?experience=nowhere", nil, .notFound),
                (.POST, "api/v1/progress/events?experience=\(Self.experience)", #"{"event_type": "old", "timestamp": "2001-01-01T00:00:00Z"}"#, .unprocessableEntity),
                (.POST, "api/v1/progress/events?experience=\(Self.experience)", #"{"events": []}"#, .unprocessableEntity),
                (.GET, "api/v1/progress/events?experience=\(Self.experience)&limit=0", nil, .unprocessableEntity),
                // A Doom map's experience names a map the library has.
                (.PUT, "api/v1/progress/state?experience=11111111-2222-3333-4444-555555555555/MAP01", #"{"state": {}}"#, .notFound),
                (.POST, "api/v1/progress/events?experience=11111111-2222-3333-4444-555555555555/MAP01", #"{"event_type": "x"}"#, .notFound),
            ] {
                let answer = try await Self.call(app, method, path, body, ifMatch: method == .GET || method == .POST ? nil : "1")
                #expect(answer.status == status, "\(method) \(path) \(body?.prefix(60) ?? "") answered \(answer.status.code)")
            }
            let read = try await Self.call(app, .GET, Self.state)
            #expect(read.json["version"] == 1 && read.json["state"] == ["a": 1], "nothing was written")
        }
    }

    @Test("a player reads and writes only their own; an admin reads anyone's; export, delete, and a deleted user's progress goes")
    func privacy() async throws {
        try await withPlaytestApp { app, engines in
            let services = testServices(engines)
            let user = try await testKey(services, role: .user)
            let userID = try #require(try await services.accounts.list(by: .local).users.first { $0.email == "user@example.com" }?.id)
            _ = try await Self.call(app, .PUT, Self.state, #"{"state": {"mine": true}}"#, key: user)
            _ = try await Self.call(app, .POST, "api/v1/progress/events?experience=\(Self.experience)", #"{"event_type": "waypoint_visited", "content_id": "w1"}"#, key: user)
            #expect(try await Self.call(app, .GET, Self.state + "&user_id=\(userID)").json["state"] == ["mine": true, "visited_waypoints": ["w1"]],
                    "an admin reads a player's progress")
            let adminID = try #require(try await services.accounts.list(by: .local).users.first { $0.role == .admin }?.id)
            #expect(try await Self.call(app, .GET, Self.state + "&user_id=\(adminID)", key: user).status == .forbidden)
            #expect(try await Self.call(app, .PUT, Self.state + "&user_id=\(userID)", #"{"state": {}}"#).status == .forbidden,
                    "nobody writes another player's progress")

            let export = try await Self.call(app, .GET, "api/v1/progress/export", key: user)
            #expect(export.json["experiences"]?.arrayValue?.count == 1 && export.json["events"]?[Self.experience]?.arrayValue?.count == 1)
            #expect(try await engines.live.hashGetAll("player:\(userID):session")["current_experience"] == Self.experience)

            // The analytics counted the visit; once the user is deleted, no count of theirs is left.
            let store = PlayerProgressStore(sql: engines.sql)
            while try await store.foldRollups() > 0 {}
            func visits() async throws -> Int {
                try await engines.sql.sql.raw("SELECT COALESCE(SUM(visits), 0) AS n FROM progress_content_totals WHERE content_id = 'w1'")
                    .first()?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(try await visits() == 1)
            try await services.accounts.delete(userID: userID, work: .delete, by: .local, ip: nil)
            #expect(try await store.profile(userID: userID) == nil, "the rows go")
            #expect(try await visits() == 0, "the roll-ups forget the user's visits")
            #expect(try await engines.live.hashGetAll("player:\(userID):session").isEmpty, "Redis is purged")

            let health = try await Self.call(app, .GET, "api/v1/health/player-progress")
            #expect(health.json["status"] == "ok" && health.json["sql"] == "ok")
            #expect(try await Self.call(app, .DELETE, "api/v1/progress").status == .noContent)
        }
    }

    @Test("a client resumes its session, sees itself on the distance board, and a designer reads the analytics")
    func resumeBoardAndAnalytics() async throws {
        try await withPlaytestApp { app, engines in
            let services = testServices(engines)
            let user = try await testKey(services, role: .user)
            let userID = try #require(try await services.accounts.list(by: .local).users.first { $0.email == "user@example.com" }?.id)
            let events = "api/v1/progress/events?experience=\(Self.experience)"
            _ = try await Self.call(app, .POST, events, #"{"events": [{"event_type": "waypoint_visited", "content_id": "w1", "data": {"distance_traveled": 5, "time_spent": 30}}]}"#)
            _ = try await Self.call(app, .POST, events, #"{"events": [{"event_type": "waypoint_visited", "content_id": "w1", "data": {"distance_traveled": 9, "time_spent": 10}},"#
                + #"{"event_type": "waypoint_visited", "content_id": "w2", "data": {"distance_traveled": 1}}]}"#, key: user)

            let live = try await Self.call(app, .GET, "api/v1/progress/session", key: user)
            #expect(live.status == .ok && live.json["current_experience"] == .string(Self.experience) && live.json["current_location"] == "w2"
                && live.json["source"] == "live")
            try await engines.live.delete(["player:\(userID):session"])
            let rebuilt = try await Self.call(app, .GET, "api/v1/progress/session", key: user)
            #expect(rebuilt.json["current_location"] == "w2" && rebuilt.json["source"] == "sql", "SQL answers when Redis lost the session")
            #expect(try await engines.live.hashGetAll("player:\(userID):session")["current_experience"] == Self.experience, "and warms it")

            for _ in 0..<2 {
                let board = try await Self.call(app, .GET, "api/v1/progress/leaderboard?experience=\(Self.experience)", key: user)
                #expect(board.json["entries"]?.arrayValue?.map { $0["distance_meters"] } == [10, 5])
                #expect(board.json["entries"]?[0]?["is_you"] == true && board.json["you"] == ["rank": 1, "distance_meters": 10])
                try await engines.live.delete(["experience:\(Self.experience):leaderboard:distance"])
            }

            let analytics = try await Self.call(app, .GET, "api/v1/progress/analytics?experience=\(Self.experience)")
            #expect(analytics.json["players"] == 2 && analytics.json["completed"] == 0 && analytics.json["funnel"]?[0]?["players"] == 2)
            #expect(analytics.json["top_waypoints"]?.arrayValue?.map { $0["content_id"] } == ["w1", "w2"])
            let content = try await Self.call(app, .GET, "api/v1/progress/analytics/content?experience=\(Self.experience)&content=w1&days=7")
            #expect(content.json["total_visits"] == 2 && content.json["unique_players"] == 2 && content.json["avg_time_spent"] == 20)
            let compare = try await Self.call(app, .GET, "api/v1/progress/analytics/compare?experience=\(Self.experience)")
            #expect(compare.json["humans"]?["count"] == 2 && compare.json["agents"]?["count"] == 0)
            #expect(compare.json["humans"]?["stops"]?.arrayValue?.count == 2, "both stopped at their last waypoint")
            var page = ""
            try await app.testing().test(.GET, "progress?experience=\(Self.experience)") { page = $0.body.string }
            #expect(page.contains("Completion funnel") && page.contains("humans-vs-agents"))

            for (path, status) in [
                ("api/v1/progress/analytics/content?experience=\(Self.experience)", HTTPStatus.badRequest),
                ("api/v1/progress/analytics/content?experience=\(Self.experience)&content=w1&days=0", .unprocessableEntity),
                ("api/v1/progress/analytics/content?experience=\(Self.experience)&content=w1&kind=robot", .unprocessableEntity),
                ("api/v1/progress/leaderboard?experience=\(Self.experience)&limit=0", .unprocessableEntity),
                ("api/v1/progress/analytics?experience=bad%20id", .unprocessableEntity),
            ] {
                #expect(try await Self.call(app, .GET, path).status == status, "\(path)")
            }
        }
    }
}
