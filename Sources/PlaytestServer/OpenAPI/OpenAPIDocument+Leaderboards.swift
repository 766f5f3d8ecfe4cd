import PlaytestCore
import PlaytestServices

extension OpenAPIDocument {
    /// `/api/v1/leaderboards`, agents' live state and milestones, and the leaderboards page.
    static var leaderboardOperations: [Operation] {
        let board = Parameter.path("board")
        let owner = Parameter.path("owner")
        return [
            Operation("get", api + "/leaderboards", "The leaderboards: the global ones, then each map's (`map_id` for one map's)",
                      parameters: [.query("map_id", S.string)], responses: [200: .json("LeaderboardList"), 400: .error]),
            Operation("get", api + "/leaderboards/{board}", "A page of a board, best first: top N at offset 0; `period` reads a past period",
                      parameters: [board, .query("offset", S.integer(minimum: 0, maximum: 1_000_000)),
                                   .query("limit", S.integer(minimum: 1, maximum: 100)), .query("period", S.integer)],
                      responses: [200: .json("LeaderboardPage"), 400: .error, 404: .error]),
            Operation("get", api + "/leaderboards/{board}/around/{owner}", "The records either side of an owner's, with theirs",
                      parameters: [board, owner, .query("count", S.integer(minimum: 0, maximum: 50))],
                      responses: [200: .json("LeaderboardPage"), 400: .error, 404: .error]),
            Operation("get", api + "/leaderboards/{board}/owners/{owner}", "An owner's rank, score and record on a board",
                      parameters: [board, owner], responses: [200: .json("OwnerStanding"), 404: .error]),
            Operation("get", api + "/runs/{id}/agent", "The playing agent's live state: position, last decisions, last 100 rewards, milestones",
                      parameters: [.path("id")], responses: [200: .json("AgentLiveView"), 404: .error]),
            Operation("get", api + "/runs/{id}/milestones", "The milestones the run's agent earned, with their screenshots",
                      parameters: [.path("id")], responses: [200: .json("MilestoneList"), 404: .error]),
            Operation("get", api + "/agents/{agent}/confidence", "An agent's mean decision confidence per run, oldest first",
                      parameters: [.path("agent"), .query("limit", S.integer(minimum: 1, maximum: 500))],
                      responses: [200: .json("ConfidenceTrend"), 400: .error]),
            Operation("get", "/leaderboards", "Page: every leaderboard's top 10", parameters: [.query("map_id", S.string)],
                      responses: [200: Response.text("text/html")]),
        ]
    }
}

extension OpenAPIComponents {
    static var leaderboards: [String: JSONValue] {
        let nullableNumber = S.nullable(S.number)
        let ranked = S.array(S.object(["rank": S.integer(minimum: 1), "owner": S.string, "score": S.number]))
        return [
            "LeaderboardDefinition": S.object([
                "id": S.string, "title": S.string, "sort_order": S.string(["asc", "desc"]),
                "operator": S.string(LeaderboardDefinition.Operator.allCases.map(\.rawValue)), "reset_schedule": S.string,
                "metadata": S.map(S.string),
            ], optional: ["reset_schedule"]),
            "LeaderboardList": S.object(["boards": S.array(S.ref("LeaderboardDefinition"))]),
            "LeaderboardPage": S.object([
                "board": S.ref("LeaderboardDefinition"), "period_start": S.integer, "total": S.integer, "records": ranked,
            ]),
            "OwnerStanding": S.object([
                "board": S.ref("LeaderboardDefinition"), "period_start": S.integer, "rank": S.integer(minimum: 1), "score": S.number,
                "writes": S.integer, "metadata": S.map(S.string), "updated_at": S.timestamp,
            ], optional: ["writes", "metadata", "updated_at"]),
            "Milestone": S.object([
                "run_id": S.string, "milestone": S.string(Milestone.allCases.map(\.rawValue)), "title": S.string, "badge": S.boolean,
                "agent": S.string, "episode": S.integer, "tic": S.integer, "x": S.number, "y": S.number, "awarded_at": S.timestamp,
                "screenshot_url": S.nullable(S.string),
            ]),
            "MilestoneList": S.object(["milestones": S.array(S.ref("Milestone"))]),
            "AgentLiveView": S.object([
                "run_id": S.string, "agent": S.string, "episode": S.integer, "x": S.number, "y": S.number, "angle": S.number,
                "health": S.integer, "ammo": S.integer,
                "decisions": S.array(S.object(["step": S.integer, "action": S.integer, "buttons": S.array(S.string), "confidence": S.number],
                                              optional: ["confidence"])),
                "rewards": S.array(S.number), "milestones": S.array(S.string), "coverage": S.number, "confidence": S.number,
            ], optional: ["agent", "episode", "x", "y", "angle", "health", "ammo", "coverage", "confidence"]),
            "ConfidenceTrend": S.object([
                "agent": S.string,
                "runs": S.array(S.object([
                    "run_id": S.string, "map_id": S.string, "finished_at": S.timestamp, "episodes": S.integer,
                    "confidence_mean": S.number, "confidence_low": nullableNumber,
                ], optional: ["confidence_low"])),
            ]),
        ]
    }
}
