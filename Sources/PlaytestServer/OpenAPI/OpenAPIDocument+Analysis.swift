import PlaytestCore
import PlaytestServices

extension OpenAPIDocument {
    /// `/api/v1/analysis` and its pages.
    static var analysisOperations: [Operation] {
        let html = Response.text("text/html")
        let compare: [Parameter] = [
            .query("kind", S.string(Comparison.Kind.allCases.map(\.rawValue))), .query("id", S.array(S.string), explode: true),
            .query("map", S.string), .query("map_id", S.string),
        ]
        return [
            Operation("get", api + "/analysis/maps/{id}", "A map's profile across its test runs, per skill and agent, with the hardness at each skill",
                      parameters: [.path("id"), .query("map", S.string)], responses: [200: .json("MapProfile"), 400: .error, 404: .error]),
            Operation("get", api + "/analysis/compare", "2–6 maps, agents, checkpoints or versions of a map on the same axes, normalised for a radar chart",
                      parameters: compare, responses: [200: .json("Comparison"), 400: .error, 404: .error]),
            Operation("get", api + "/analysis/statistics", "The platform's activity: maps, runs, episodes, agent-hours, daily series, findings, busiest maps",
                      parameters: [.query("days", S.integer(minimum: 1, maximum: 365))], responses: [200: .json("PlatformStatistics"), 400: .error]),
            Operation("get", "/analysis", "Page: the statistics dashboard", responses: [200: html]),
            Operation("get", "/analysis/compare", "Page: a radar chart and a table of 2–6 compared items", parameters: compare,
                      responses: [200: html, 400: html, 404: html]),
        ]
    }
}
