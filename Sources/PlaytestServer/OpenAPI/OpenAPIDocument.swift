import PlaytestCore
import PlaytestServices

/// The OpenAPI 3.1 document of every route the server registers, served at `GET /api/v1/openapi.json`. A test fails
/// when a registered route is missing from it, and `make test` runs schemathesis against a live server with it.
enum OpenAPIDocument {
    typealias S = Schema

    static var json: JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Playtest", "version": .string(PlaytestVersion.current),
                "description": "Automated play-testing of Doom maps with RL agents. Every field is explained in docs/api.md.",
            ],
            "paths": .object(paths),
            "components": ["schemas": .object(OpenAPIComponents.schemas), "securitySchemes": securitySchemes],
            // Any one of these; operations marked public override it with `security: []`.
            "security": [["apiKey": []], ["bearer": []], ["session": []]],
        ]
    }

    /// An API key, a bearer access token from `POST /auth/login`, or the browser's session cookie (docs/accounts.md).
    static var securitySchemes: JSONValue {
        [
            "apiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key"],
            "bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"],
            "session": ["type": "apiKey", "in": "cookie", "name": "playtest_session"],
        ]
    }

    /// Each path with its operations, keyed by OpenAPI path (`/api/v1/maps/{id}`).
    static var paths: [String: JSONValue] {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations { paths[operation.path, default: [:]][operation.method] = operation.json }
        return paths.mapValues { .object($0) }
    }

    /// The `METHOD /path` of every operation, as Vapor spells routes (`GET /api/v1/maps/:id`).
    static var routes: Set<String> {
        Set(operations.map { "\($0.method.uppercased()) \($0.vaporPath)" })
    }

    static let api = "/api/v1"

    static var operations: [Operation] {
        apiOperations + runOperations + accountOperations + analysisOperations + leaderboardOperations + playerOperations + findingOperations
            + pageOperations
            + accountPageOperations
    }

    // MARK: health, maps, queue

    static let readiness: JSONValue = ["type": "object", "required": ["status", "database"],
                                           "properties": ["status": S.string(["ready", "not ready"]), "database": S.string]]

    static var apiOperations: [Operation] {
        let id = Parameter.path("id")
        let page = [Parameter.query("offset", S.integer(minimum: 0)), Parameter.query("limit", S.integer(minimum: 1, maximum: 500))]
        return [
            Operation("get", api + "/health", "The platform's health in seed 001's words; an admin also sees every engine's details",
                      public: true, responses: [200: .json("Health"), 503: .json("Health")]),
            Operation("get", api + "/health/live", "200 while the process answers HTTP, whatever its engines say (a liveness probe)",
                      public: true, responses: [200: .json(schema: ["type": "object", "required": ["status", "version"],
                                                                     "properties": ["status": S.string, "version": S.string]])]),
            Operation("get", api + "/health/ready", "200 while this instance's database answers, 503 when it does not (a readiness probe: Redis or S3 being out does not take instances out of rotation)",
                      public: true, responses: [200: .json(schema: Self.readiness), 503: .json(schema: Self.readiness)]),
            Operation("get", api + "/openapi.json", "This document", public: true, responses: [200: .json(schema: ["type": "object"])]),
            Operation("post", api + "/maps/upload", "Upload a WAD (multipart/form-data: `file`, optional `name`)",
                      body: .multipart(["file": ["type": "string", "format": "binary"], "name": S.string], required: ["file"]),
                      responses: [200: .json("Map"), 201: .json("Map"), 400: .error, 413: .error, 415: .error, 422: .error]),
            Operation("get", api + "/maps", "The map library, uploads first",
                      parameters: [.query("name", S.string)] + page, responses: [200: .json("MapList"), 400: .error]),
            Operation("get", api + "/maps/{id}", "One WAD of the library", parameters: [id], responses: [200: .json("Map"), 404: .error]),
            Operation("delete", api + "/maps/{id}", "Delete a WAD, its finished runs and its file", parameters: [id],
                      responses: [204: .empty, 404: .error, 409: .error]),
            Operation("get", api + "/maps/{id}/file", "Download the WAD", parameters: [id],
                      responses: [200: .binary("application/octet-stream"), 302: .empty, 404: .error]),
            Operation("get", api + "/maps/{id}/maps/{mapName}", "One map inside the WAD: summary and findings",
                      parameters: [id, .path("mapName")], responses: [200: .json("MapDetail"), 404: .error]),
            Operation("get", api + "/maps/{id}/maps/{mapName}/render.svg", "A picture of the map (`layers=…,route` draws the planner's route at `skill`)",
                      parameters: [id, .path("mapName"), .query("layers", S.string), .query("width", S.integer(minimum: 64, maximum: 8192)),
                                   .query("skill", S.integer(minimum: 1, maximum: 5))],
                      responses: [200: .text("image/svg+xml"), 400: .error, 404: .error]),
            Operation("get", api + "/maps/{id}/maps/{mapName}/progression",
                      "Can the map be finished at a skill: the progression planner's verdict and route, or where progression breaks",
                      parameters: [id, .path("mapName"), .query("skill", S.integer(minimum: 1, maximum: 5))],
                      responses: [200: .json("Progression"), 400: .error, 404: .error]),
            Operation("get", api + "/jobs", "Queue jobs and the queue's depth",
                      parameters: [.query("state", S.string), .query("limit", S.integer(minimum: 1, maximum: 1000))],
                      responses: [200: .json("JobList"), 400: .error]),
            Operation("get", api + "/jobs/{id}", "One job", parameters: [id], responses: [200: .json("Job"), 404: .error]),
            Operation("post", api + "/jobs/{id}/retry", "Queue a discarded or cancelled job again", parameters: [id],
                      responses: [200: .json("Job"), 404: .error, 409: .error]),
            Operation("post", api + "/jobs/{id}/cancel", "Cancel a queued job, or stop a running one", parameters: [id],
                      responses: [200: .json("JobCancellation"), 404: .error, 409: .error]),
            Operation("get", api + "/workers", "The workers that reported most recently",
                      parameters: [.query("limit", S.integer(minimum: 1, maximum: 500))], responses: [200: .json("WorkerList"), 400: .error]),
        ]
    }

    // MARK: runs

    static var runOperations: [Operation] {
        let id = Parameter.path("id")
        var operations: [Operation] = []
        for kind in RunKind.allCases {
            let base = api + "/" + kind.rawValue
            let prefix = kind == .testing ? "Test" : "Training"
            operations += [
                Operation("post", base + "/start", "Start a \(kind.noun)",
                          body: .json(prefix + "StartRequest"),
                          responses: [202: .json(prefix + "Started"), 400: .error, 404: .error, 415: .error, 422: .error]),
                Operation("post", base + "/stop", "Stop one \(kind.noun), or every active one",
                          body: .optionalJSON(OpenAPIRequests.stop(kind)),
                          responses: [200: .json(prefix + "sStopped"), 400: .error, 404: .error, 415: .error, 422: .error]),
                Operation("get", base + "/{id}/status", "Where the \(kind.noun) is now", parameters: [id],
                          responses: [200: .json(prefix + "Status"), 404: .error]),
            ]
        }
        operations += [
            Operation("get", api + "/testing/{id}/results", "Every finished episode and the aggregate metrics", parameters: [id],
                      responses: [200: .json("TestResults"), 404: .error]),
            Operation("get", api + "/testing/{id}/summary", "The run in words: what happened, the verdict, where agents die and get stuck, the top findings",
                      parameters: [id], responses: [200: .json("RunNarrative"), 404: .error]),
            Operation("get", api + "/testing/{id}/logs", "One episode's events and health timeline",
                      parameters: [id, .query("episode_num", S.integer)], responses: [200: .json("EpisodeLog"), 400: .error, 404: .error]),
            Operation("get", api + "/training/{id}/logs", "The learning curve", parameters: [id],
                      responses: [200: .json("TrainingLog"), 404: .error]),
            Operation("get", api + "/training/{id}/checkpoints", "The checkpoints a training run stored", parameters: [id],
                      responses: [200: .json("CheckpointList"), 404: .error]),
            Operation("get", api + "/runs", "Runs of both kinds, newest first",
                      parameters: [.query("kind", S.string), .query("status", S.string), .query("map_id", S.string),
                                   .query("offset", S.integer(minimum: 0)), .query("limit", S.integer(minimum: 1, maximum: 500))],
                      responses: [200: .json("RunList"), 400: .error]),
            Operation("get", api + "/runs/{id}", "One run", parameters: [id], responses: [200: .json("Run"), 404: .error]),
            Operation("get", api + "/runs/{id}/artifacts", "A run's screenshots and demos", parameters: [id],
                      responses: [200: .json("ArtifactList"), 404: .error]),
            Operation("get", api + "/runs/{id}/evidence", "A test run's videos and colour screenshots per episode, with the moments to mark",
                      parameters: [id], responses: [200: .json("RunEvidence"), 404: .error]),
            Operation("get", api + "/artifacts/{artifactID}/file",
                      "A screenshot or frame (PNG), a video (WebM; answers a Range request with 206) or a demo (.lmp)",
                      parameters: [.path("artifactID")],
                      responses: [200: .binary("image/png", "video/webm", "application/octet-stream"), 206: .binary("video/webm", "application/octet-stream"),
                                  302: .empty, 404: .error, 416: .empty]),
            Operation("get", api + "/checkpoints/{checkpointID}/file", "A checkpoint (.pt)", parameters: [.path("checkpointID")],
                      responses: [200: .binary("application/octet-stream"), 302: .empty, 404: .error]),
        ]
        return operations
    }

    // MARK: pages and the rest

    static var pageOperations: [Operation] {
        let html = Response.text("text/html")
        return [
            Operation("get", "/", "Page: the map library", parameters: [.query("offset", S.integer)], responses: [200: html, 400: html]),
            Operation("get", "/maps/{id}", "Page: one map", parameters: [.path("id"), .query("map", S.string)],
                      responses: [200: html, 400: html, 404: html]),
            Operation("get", "/runs", "Page: the runs",
                      parameters: [.query("status", S.string), .query("kind", S.string), .query("map_id", S.string), .query("offset", S.integer)],
                      responses: [200: html, 400: html]),
            Operation("get", "/runs/compare", "Page: test runs side by side",
                      parameters: [.query("id", S.array(S.string), explode: true)], responses: [200: html, 400: html, 404: html]),
            Operation("get", "/runs/{id}", "Page: one run", parameters: [.path("id"), .query("episode", S.integer)],
                      responses: [200: html, 400: html, 404: html]),
            Operation("get", "/workers", "Page: the workers and the queue", responses: [200: html]),
            Operation("get", "/metrics", "Prometheus metrics (with `Authorization: Bearer <PLAYTEST_METRICS_TOKEN>` when that is set)",
                      public: true, responses: [200: .text("text/plain")]),
            Operation("get", "/ws", "Live progress over a WebSocket (subscribe with `run_id`); a plain GET is refused",
                      parameters: [.query("run_id", S.string)], responses: [101: .empty, 426: .error]),
        ]
    }
}
