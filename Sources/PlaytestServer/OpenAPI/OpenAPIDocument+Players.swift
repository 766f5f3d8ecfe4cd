import PlaytestCore
import PlaytestServices

extension OpenAPIDocument {
    /// `/api/v1/progress`: players' progress per experience (seed 002).
    static var playerOperations: [Operation] {
        let base = api + "/progress"
        let experience = Parameter.query("experience", ["type": "string", "pattern": "^[A-Za-z0-9._:/-]{1,100}$"])
        let user = Parameter.query("user_id", S.string)
        let ifMatch = Parameter.header("If-Match", S.string)
        let item = Parameter.query("item", S.string)
        let written: [Int: Response] = [200: .json("Experience"), 400: .error, 412: .error, 413: .error, 422: .error, 428: .error]
        let object: JSONValue = ["type": "object"]
        let event = S.object([
            "event_type": S.string, "content_id": S.string, "data": object, "location_lat": S.number(minimum: -90, maximum: 90),
            "location_lng": S.number(minimum: -180, maximum: 180), "timestamp": S.timestamp, "client_event_id": S.string,
        ], optional: ["content_id", "data", "location_lat", "location_lng", "timestamp", "client_event_id"])
        return [
            Operation("get", base + "/profile", "The player's profile (`user_id`: an admin reads anyone's)", parameters: [user],
                      responses: [200: .json("PlayerProfile"), 404: .error, 422: .error]),
            Operation("put", base + "/profile", "Set the player's account level and stats",
                      body: .schema(S.object(["account_level": S.integer(minimum: 1, maximum: 10_000), "stats": object])),
                      responses: [200: .json("PlayerProfile"), 400: .error, 413: .error, 422: .error]),
            Operation("get", base + "/state", "An experience's progress and state; its version is the ETag", parameters: [experience, user],
                      responses: [200: .json("Experience"), 400: .error, 404: .error, 422: .error]),
            Operation("put", base + "/state", "Replace the state; If-Match with the version read (required once it exists)",
                      parameters: [experience, ifMatch],
                      body: .schema(S.object(["state": object, "completion_percentage": S.number(minimum: 0, maximum: 100), "current_location": S.string],
                                             optional: ["completion_percentage", "current_location"])),
                      responses: written),
            Operation("patch", base + "/state", "Apply a JSON Merge Patch (RFC 7396) to the state; If-Match as for PUT",
                      parameters: [experience, ifMatch], body: .schema(object), responses: written),
            Operation("post", base + "/events", "Append events (`{\"events\": [...]}` or one), idempotent by client_event_id",
                      parameters: [experience], body: .schema(S.object(["events": S.array(event)])),
                      responses: [200: .json("AppendedEvents"), 201: .json("AppendedEvents"), 400: .error, 413: .error, 422: .error]),
            Operation("get", base + "/events", "The experience's history, oldest first, paginated by the cursor `after`",
                      parameters: [experience, user, .query("after", S.string), .query("limit", S.integer(minimum: 1, maximum: 500))],
                      responses: [200: .json("ProgressHistory"), 400: .error, 404: .error, 422: .error]),
            Operation("get", base + "/inventory", "The inventory (Redis first, SQL on a miss)", parameters: [experience, user],
                      responses: [200: .json(schema: S.object(["inventory": S.array(S.string)])), 400: .error, 422: .error]),
            Operation("post", base + "/inventory", "Add an item to the inventory", parameters: [experience, item], responses: written),
            Operation("delete", base + "/inventory", "Remove an item from the inventory", parameters: [experience, item], responses: written),
            Operation("get", base + "/visited", "Has the player visited this waypoint (Redis first, SQL on a miss)",
                      parameters: [experience, user, .query("waypoint", S.string)],
                      responses: [200: .json(schema: S.object(["waypoint": S.string, "visited": S.boolean])), 400: .error, 422: .error]),
            Operation("get", base + "/session", "Where the player is, to resume: Redis's session first, else the newest experience in SQL",
                      parameters: [user], responses: [200: .json("PlayerSession"), 404: .error, 422: .error]),
            Operation("get", base + "/leaderboard", "The experience's distance leaderboard (top `limit`) and the caller's standing",
                      parameters: [experience, .query("limit", S.integer(minimum: 1, maximum: 100))],
                      responses: [200: .json("DistanceBoard"), 400: .error, 422: .error]),
            Operation("get", base + "/analytics", "An experience's human players: completion, funnel, playtime, most-visited waypoints",
                      parameters: [experience], responses: [200: .json("ExperienceAnalytics"), 400: .error, 422: .error]),
            Operation("get", base + "/analytics/content", "Visits, unique players and average time spent on a content id over `days`",
                      parameters: [experience, .query("content", S.string), .query("event_type", S.string),
                                   .query("days", S.integer(minimum: 1, maximum: 366)), .query("kind", S.string(["human", "agent"]))],
                      responses: [200: .json("ContentEngagement"), 400: .error, 422: .error]),
            Operation("get", base + "/analytics/compare", "Humans against agents on an experience: finishing, time to exit, stops, reach",
                      parameters: [experience], responses: [200: .json("HumansVersusAgents"), 400: .error, 422: .error]),
            Operation("get", base + "/export", "Download my data: everything held about the player", parameters: [user],
                      responses: [200: .json("PlayerExport"), 422: .error]),
            Operation("delete", base, "Delete the player's progress (an admin: anyone's with user_id), its Redis keys, with an audit entry",
                      parameters: [user], responses: [204: .empty, 422: .error]),
            Operation("get", "/progress", "Page: an experience's player analytics and humans against agents", parameters: [experience],
                      responses: [200: Response.text("text/html"), 400: Response.text("text/html"), 422: Response.text("text/html")]),
            Operation("get", api + "/health/player-progress", "Player progress: SQL, the live store, the cache hit ratio, active players",
                      responses: [200: .json("PlayerProgressHealth")]),
        ]
    }
}

extension OpenAPIComponents {
    static var players: [String: JSONValue] {
        let object: JSONValue = ["type": "object"]
        let date = S.nullable(S.timestamp)
        let event = S.object([
            "id": S.string, "event_type": S.string, "content_id": S.nullable(S.string), "data": object, "location_lat": S.nullable(S.number),
            "location_lng": S.nullable(S.number), "timestamp": S.timestamp, "client_event_id": S.nullable(S.string),
        ], optional: ["content_id", "location_lat", "location_lng", "client_event_id"])
        return [
            "PlayerProfile": S.object([
                "id": S.string, "user_id": S.string, "kind": S.string(["human", "agent"]), "total_experiences_played": S.integer, "total_playtime_seconds": S.integer,
                "total_distance_meters": S.number, "account_level": S.integer, "stats": object, "created_at": S.timestamp, "updated_at": S.timestamp,
            ]),
            "Experience": S.object([
                "experience_id": S.string, "version": S.integer(minimum: 1), "started_at": date, "completed_at": date, "last_played_at": date,
                "playtime_seconds": S.integer, "completion_percentage": S.number, "current_location": S.nullable(S.string), "state": object,
            ], optional: ["started_at", "completed_at", "last_played_at", "current_location"]),
            "ProgressEvent": event,
            "AppendedEvents": S.object(["stored": S.array(S.ref("ProgressEvent")), "duplicates": S.integer, "experience": S.ref("Experience")]),
            "ProgressHistory": S.object(["experience_id": S.string, "events": S.array(S.ref("ProgressEvent")), "next": S.nullable(S.string)],
                                        optional: ["next"]),
            "PlayerExport": S.object([
                "profile": S.ref("PlayerProfile"), "experiences": S.array(S.ref("Experience")),
                "events": S.map(S.array(S.ref("ProgressEvent"))), "exported_at": S.timestamp,
            ], optional: ["profile"]),
            "PlayerSession": S.object([
                "current_experience": S.string, "current_location": S.nullable(S.string), "session_start": S.nullable(S.string),
                "last_activity": S.nullable(S.string), "source": S.string(["live", "sql"]),
            ], optional: ["current_location", "session_start", "last_activity"]),
            "DistanceBoard": S.object([
                "experience_id": S.string,
                "entries": S.array(S.object(["rank": S.integer, "user_id": S.string, "distance_meters": S.number, "is_you": S.boolean])),
                "you": S.nullable(S.object(["rank": S.integer, "distance_meters": S.number])),
            ], optional: ["you"]),
            "ExperienceAnalytics": S.object([
                "experience_id": S.string, "players": S.integer, "completed": S.integer, "completion_rate": S.number,
                "funnel": S.array(S.object(["stage": S.string, "players": S.integer, "share": S.number])),
                "playtime": S.object([
                    "buckets": S.array(S.object(["from_seconds": S.integer, "to_seconds": S.nullable(S.integer), "players": S.integer],
                                                optional: ["to_seconds"])),
                    "median_seconds": S.nullable(S.integer), "p90_seconds": S.nullable(S.integer),
                ], optional: ["median_seconds", "p90_seconds"]),
                "top_waypoints": S.array(S.object(["content_id": S.string, "players": S.integer, "visits": S.integer,
                                                   "avg_time_spent": S.nullable(S.number)], optional: ["avg_time_spent"])),
            ]),
            "ContentEngagement": S.object([
                "experience_id": S.string, "content_id": S.string, "event_type": S.string, "days": S.integer, "kind": S.string,
                "total_visits": S.integer, "unique_players": S.integer, "avg_time_spent": S.nullable(S.number),
            ], optional: ["avg_time_spent"]),
            "HumansVersusAgents": S.object([
                "experience_id": S.string, "humans": S.ref("GroupFigures"), "agents": S.ref("GroupFigures"),
                "waypoints": S.array(S.object([
                    "content_id": S.string, "humans": S.integer, "humans_share": S.nullable(S.number), "agent_episodes": S.integer,
                    "agents_share": S.nullable(S.number),
                ], optional: ["humans_share", "agents_share"])),
            ]),
            "GroupFigures": S.object([
                "count": S.integer, "finished": S.integer, "completion_rate": S.nullable(S.number),
                "median_seconds_to_exit": S.nullable(S.number), "stops": S.array(S.object(["place": S.string, "count": S.integer])),
            ], optional: ["completion_rate", "median_seconds_to_exit"]),
            "PlayerProgressHealth": S.object([
                "status": S.string(["ok", "degraded"]), "sql": S.string, "live": S.string, "live_engine": S.string,
                "cache_hit_ratio": S.nullable(S.number), "active_players": S.integer,
                "rollup_backlog": S.integer,
            ], optional: ["cache_hit_ratio"]),
        ]
    }
}
