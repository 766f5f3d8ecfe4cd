import PlaytestCore
import PlaytestServices

extension OpenAPIDocument {
    /// `/api/v1/bugs`: every map's findings and their triage.
    static var findingOperations: [Operation] {
        let id = Parameter.path("id")
        return [
            Operation("get", api + "/bugs", "Findings, static and from play, worst first, with counts by kind and severity; `map_id` narrows to that map's every version",
                      parameters: [.query("map_id", S.string), .query("level", S.string), .query("run_id", S.string), .query("kind", S.string),
                                   .query("severity", S.string(FindingSeverity.allCases.map(\.rawValue))),
                                   .query("status", S.string(FindingStatus.allCases.map(\.rawValue))), .query("q", S.string),
                                   .query("offset", S.integer(minimum: 0, maximum: 1_000_000)), .query("limit", S.integer(minimum: 1, maximum: 200))],
                      responses: [200: .json("FindingList"), 400: .error, 404: .error, 422: .error]),
            Operation("get", api + "/bugs/{id}", "A finding with every sighting's evidence (screenshot, demo) and its comments",
                      parameters: [id], responses: [200: .json("FindingDetail"), 404: .error]),
            Operation("patch", api + "/bugs/{id}", "Triage a finding: a status, a comment or both (the map's owner or an admin)",
                      parameters: [id],
                      body: .schema(OpenAPIRequests.closed(["status": S.string(FindingStatus.allCases.map(\.rawValue)),
                                                            "comment": ["type": "string", "minLength": 1, "maxLength": .int(Findings.maxComment)]], required: [])),
                      responses: [200: .json("FindingDetail"), 400: .error, 404: .error, 415: .error, 422: .error]),
            Operation("get", "/bugs", "Page: the bug dashboard (the same filters as the API)",
                      parameters: [.query("map_id", S.string), .query("level", S.string), .query("run_id", S.string), .query("kind", S.string),
                                   .query("severity", S.string), .query("status", S.string), .query("q", S.string),
                                   .query("offset", S.integer(minimum: 0, maximum: 1_000_000))],
                      responses: [200: Response.text("text/html"), 400: Response.text("text/html"), 404: Response.text("text/html"),
                                  422: Response.text("text/html")]),
            Operation("get", "/bugs/{id}", "Page: one finding with its place on the map, evidence, comments and triage",
                      parameters: [id], responses: [200: Response.text("text/html"), 404: Response.text("text/html")]),
        ]
    }
}

extension OpenAPIComponents {
    static var findings: [String: JSONValue] {
        let nullableInteger = S.nullable(S.integer)
        return [
            "Finding": S.object([
                "id": S.string, "map_name": S.string, "level": S.string, "kind": S.string,
                "severity": S.string(FindingSeverity.allCases.map(\.rawValue)), "source": S.string(["map", "play"]), "message": S.string,
                "x": S.number, "y": S.number, "sector": nullableInteger, "line": nullableInteger,
                "status": S.string(FindingStatus.allCases.map(\.rawValue)), "status_by": nullableString, "status_at": nullableTimestamp,
                "first_seen": S.timestamp, "last_seen": S.timestamp, "occurrences": S.integer,
                "latest": S.string(["seen", "not_seen", "untested"]), "map_id": S.string, "run_id": nullableString,
                "episode": nullableInteger, "tic": nullableInteger, "map_url": S.string,
            ]),
            "FindingList": S.object([
                "findings": S.array(S.ref("Finding")), "total": S.integer, "counts_exact": S.boolean, "offset": S.integer, "limit": S.integer,
                "by_kind": S.map(S.integer), "by_severity": S.map(S.integer),
            ]),
            "FindingDetail": S.object([
                "finding": S.ref("Finding"),
                "sightings": S.array(S.object([
                    "map_id": S.string, "run_id": nullableString, "episode": nullableInteger, "tic": nullableInteger, "x": S.number,
                    "y": S.number, "seen_at": S.timestamp, "screenshot_url": nullableString, "demo_url": nullableString, "video_url": nullableString,
                ])),
                "comments": S.array(S.object(["id": S.string, "author": S.string, "body": S.string, "created_at": S.timestamp])),
            ]),
        ]
    }
}
