import PlaytestCore
import PlaytestServices

/// The schemas of the API document: every body the API answers with, built from the same enumerations the code
/// uses, so a new status, event type or band shows up here by itself.
enum OpenAPIComponents {
    typealias S = Schema

    static var schemas: [String: JSONValue] {
        var schemas = maps
        schemas.merge(runs) { first, _ in first }
        schemas.merge(reports) { first, _ in first }
        schemas.merge(operations) { first, _ in first }
        schemas.merge(accounts) { first, _ in first }
        schemas.merge(analysis) { first, _ in first }
        schemas.merge(leaderboards) { first, _ in first }
        schemas.merge(players) { first, _ in first }
        schemas.merge(findings) { first, _ in first }
        return schemas
    }

    static let runStatus = S.string(RunStatus.allCases.map(\.rawValue))
    static let nullableString = S.nullable(S.string)
    static let nullableNumber = S.nullable(S.number)
    static let nullableTimestamp = S.nullable(S.timestamp)

    // MARK: maps

    static var maps: [String: JSONValue] {
        let findingCounts = S.object(["error": S.integer, "warning": S.integer, "info": S.integer])
        return [
            "Error": S.object(["error": S.object(["code": S.string, "message": S.string])]),
            "FindingCounts": findingCounts,
            "MapSummary": S.object([
                "name": S.string, "format": S.string(MapFormat.allCases.map(\.rawValue)), "title": S.string,
                "counts": S.object(["things": S.integer, "linedefs": S.integer, "sidedefs": S.integer, "vertices": S.integer, "sectors": S.integer]),
                "thing_counts": S.map(S.integer),
                "bounds": S.object(["min_x": S.number, "min_y": S.number, "max_x": S.number, "max_y": S.number]),
                "area": S.number, "reachable_sectors": S.integer, "player_starts": S.integer, "deathmatch_starts": S.integer,
                "exits": S.integer, "findings": S.ref("FindingCounts"),
            ], optional: ["title"]),
            "Map": S.object([
                "id": S.string, "name": S.string, "filename": S.string, "file_url": S.string, "uploaded_at": nullableTimestamp,
                "size_bytes": S.integer, "sha256": S.string, "format": S.string, "wad_kind": S.string, "builtin": S.boolean,
                "scenario": nullableString, "maps": S.array(S.ref("MapSummary")), "findings": S.ref("FindingCounts"),
                "train_count": S.integer, "test_count": S.integer, "duplicate": S.boolean,
                "created_by": S.string, "owner": S.string,
            ], optional: ["duplicate", "created_by", "owner"]),
            "MapList": S.object(["maps": S.array(S.ref("Map")), "total": S.integer, "offset": S.integer, "limit": S.integer]),
            "Finding": S.object([
                "kind": S.string(FindingKind.allCases.map(\.rawValue)), "severity": S.string(FindingSeverity.allCases.map(\.rawValue)),
                "message": S.string, "location": S.object(["x": S.number, "y": S.number]),
                "ids": S.array(S.object(["kind": S.string, "index": S.integer])),
            ]),
            "MapDetail": S.object([
                "wad_id": S.string, "summary": S.ref("MapSummary"), "findings": S.array(S.ref("Finding")), "render_url": S.string,
                "progression_url": S.string,
            ]),
            "Blocker": S.object([
                "kind": S.string, "x": nullableNumber, "y": nullableNumber, "sector": S.nullable(S.integer),
                "line": S.nullable(S.integer), "key": nullableString,
            ], optional: ["x", "y", "sector", "line", "key"]),
            "Progression": S.object([
                "verdict": S.string(["completable", "blocked", "unknown"]), "reason": S.string, "skill": S.integer(minimum: 1, maximum: 5),
                "steps": S.array(S.object([
                    "kind": S.string, "node": S.integer, "x": S.number, "y": S.number, "sector": S.integer, "note": S.string,
                    "waypoints": S.array(S.array(S.number)), "path": S.array(S.integer), "expect": S.array(S.any),
                    "leaps": S.array(S.array(S.number)),
                ], optional: ["leaps"])),
                "blocker": S.nullable(S.ref("Blocker")),
                "unmodelled": S.array(S.object(["line": S.integer, "special": S.integer, "name": S.string])),
                "stats": S.object(["nodes": S.integer, "edges": S.integer, "teleports": S.integer, "states_explored": S.integer,
                                   "reachable_share": S.number]),
            ], optional: ["blocker"]),
        ]
    }

    // MARK: starting and stopping runs

    static var runs: [String: JSONValue] {
        let started: [String: JSONValue] = [
            "status": S.string(["started"]), "map_id": S.string, "map_name": S.string, "map": S.string, "started_at": S.timestamp,
            "task_id": nullableString, "status_url": S.string,
        ]
        return [
            "TestStarted": S.object(started.merging([
                "test_id": S.string, "agent": S.string, "checkpoint": nullableString, "episodes": S.integer,
            ]) { first, _ in first }),
            "TrainingStarted": S.object(started.merging([
                "training_id": S.string, "max_iterations": S.integer, "resume_from": nullableString,
            ]) { first, _ in first }),
            "TestsStopped": S.object(["stopped_count": S.integer, "test_ids": S.array(S.string), "message": S.string]),
            "TrainingsStopped": S.object(["stopped_count": S.integer, "training_ids": S.array(S.string), "message": S.string]),
            "TestStartRequest": OpenAPIRequests.testStart,
            "TrainingStartRequest": OpenAPIRequests.trainingStart,
        ]
    }

    // MARK: reports

    static var reports: [String: JSONValue] {
        let progress: [String: JSONValue] = [
            "progress_percent": S.number, "elapsed_seconds": S.number, "estimated_remaining_seconds": nullableNumber,
        ]
        let eventFields = [
            "killcount", "health", "ammo", "damage", "amount", "weapon", "itemcount", "secretcount", "duration_tics",
            "health_before", "health_after", "ammo_before", "ammo_after", "armor_before", "armor_after",
        ]
        var event: [String: JSONValue] = [
            "frame": S.integer, "timestamp": S.number, "type": S.string(TelemetryEventType.allCases.map(\.rawValue)),
            "x": S.number, "y": S.number, "radius": S.number, "duration_seconds": S.number,
        ]
        for field in eventFields { event[field] = S.integer }
        return [
            "TestStatus": S.object([
                "test_id": S.string, "status": runStatus, "map_id": S.string, "map_name": S.string, "map": S.string, "checkpoint": nullableString,
                "progress": S.object(progress.merging(["current_episode": S.integer, "total_episodes": S.integer]) { first, _ in first }),
                "latest_episode": S.nullable(S.object([
                    "episode_num": S.integer(minimum: 1), "kills": S.integer, "health_remaining": S.integer, "duration_seconds": S.number,
                    "timestamp": S.timestamp,
                ])),
                "started_at": nullableTimestamp, "error": nullableString, "steps": S.integer,
            ]),
            "TrainingStatus": S.object([
                "training_id": S.string, "status": runStatus, "map_id": S.string, "map_name": S.string, "map": S.string,
                "progress": S.object(progress.merging(["current_iteration": S.integer, "max_iterations": S.integer]) { first, _ in first }),
                "latest_metrics": S.nullable(S.ref("TrainingLogPoint")), "started_at": nullableTimestamp, "error": nullableString,
            ]),
            "TrainingLogPoint": S.object([
                "iteration": S.integer, "dqn_loss": nullableNumber, "epsilon": S.number, "mean_reward": nullableNumber,
                "mean_kills": nullableNumber, "steps_per_s": S.number, "timestamp": S.timestamp,
            ]),
            "Event": S.object(event, optional: Set(eventFields + ["radius", "duration_seconds"])),
            "Episode": S.object([
                "episode_num": S.integer(minimum: 1), "kills": S.integer, "deaths": S.integer, "duration_seconds": S.number,
                "health_lost": S.integer, "ammo_used": S.integer, "final_health": S.integer, "exit_reached": S.boolean,
                "coverage": nullableNumber, "end_reason": S.nullable(S.string(EpisodeEndReason.allCases.map(\.rawValue))),
                "secrets_found": S.integer, "items_collected": S.integer, "events": S.array(S.ref("Event")),
                "final_position": S.nullable(S.ref("Point")), "goal": S.ref("NavigatorGoal"),
                "unanswered_presses": S.array(S.ref("UnansweredPress")),
            ], optional: ["goal", "unanswered_presses"]),
            "UnansweredPress": S.object([
                "line": S.integer, "tic": S.integer, "x": S.number, "y": S.number, "angle": S.number, "keys": S.array(S.string),
            ]),
            "Point": S.object(["x": S.number, "y": S.number]),
            "NavigatorGoal": S.object([
                "step": S.integer, "kind": S.string(NavigatorGoal.Kind.allCases.map(\.rawValue)), "node": S.nullable(S.integer),
                "line": S.nullable(S.integer), "state": S.string(NavigatorGoal.State.allCases.map(\.rawValue)),
                "waypoint": S.nullable(S.integer), "mover": S.nullable(S.integer),
            ]),
            "ReplayCheck": S.object([
                "checked": S.boolean, "reached_exit": S.boolean, "exit_tic": S.integer, "exit_tic_exact": S.boolean,
                "replay_exit_tic": S.nullable(S.integer), "same_tic": S.boolean, "drift": nullableString,
            ]),
            "Completion": S.object([
                "verdict": S.string(["completed", "blocked", "not_completed", "pending"]), "summary": S.string,
                "exits": S.integer, "episodes": S.integer,
                "proof": S.nullable(S.object([
                    "episode": S.integer(minimum: 1), "time_seconds": S.number, "demo_url": nullableString,
                    "replay": S.nullable(S.ref("ReplayCheck")), "verified": S.boolean, "note": nullableString,
                ])),
                "failure": S.nullable(S.object([
                    "episode": S.integer(minimum: 1), "reason": S.string(["death", "timeout", "stuck", "stopped"]),
                    "place": S.nullable(S.ref("Point")), "goal": S.nullable(S.ref("NavigatorGoal")), "step": nullableString,
                ])),
                "planner": S.nullable(S.object([
                    "verdict": S.string(["completable", "blocked", "unknown"]), "reason": S.string, "skill": S.integer,
                    "steps": S.integer, "blocker": S.nullable(S.ref("Blocker")), "url": S.string,
                ])),
            ]),
            "AggregateMetrics": S.object([
                "episodes": S.integer, "total_kills": S.integer, "total_deaths": S.integer, "min_kills": S.integer,
                "max_kills": S.integer, "mean_kills": S.number, "median_kills": S.number, "std_kills": S.number,
                "min_health_lost": S.integer, "max_health_lost": S.integer, "mean_health_lost": S.number,
                "mean_duration_seconds": S.number, "survival_rate": S.number, "kill_death_ratio": S.number, "exit_rate": S.number,
                "coverage": nullableNumber, "health_lost_per_minute": S.number, "mean_ammo_used": S.number,
                "mean_time_to_exit_seconds": nullableNumber,
            ]),
            "Hardness": S.object([
                "score": S.number, "band": S.string(HardnessScore.Band.allCases.map(\.rawValue)),
                "components": S.array(S.object(["name": S.string, "value": S.number, "weight": S.number])),
                "skill": S.nullable(S.integer), "episodes": S.integer, "episodes_left_out": S.integer,
            ], optional: ["skill", "episodes", "episodes_left_out"]),
            "TestResults": S.object([
                "test_id": S.string, "status": runStatus, "map_id": S.string, "map_name": S.string, "map": S.string, "agent": S.string,
                "checkpoint": nullableString, "total_episodes": S.integer, "episodes_completed": S.integer,
                "episodes": S.array(S.ref("Episode")), "aggregate_metrics": S.ref("AggregateMetrics"),
                "hardness": S.nullable(S.ref("Hardness")), "started_at": nullableTimestamp, "completed_at": nullableTimestamp,
                "duration_seconds": nullableNumber, "error": nullableString, "completion": S.nullable(S.ref("Completion")),
            ]),
            "EpisodeLog": S.object([
                "test_id": S.string, "episode_num": S.integer(minimum: 1), "duration_seconds": S.number, "frames": S.integer,
                "events": S.array(S.ref("Event")),
                "health_timeline": S.array(S.object(["frame": S.integer, "timestamp": S.number, "health": S.integer])),
                "stuck_spots": S.array(S.object(["x": S.number, "y": S.number, "start_tic": S.integer, "end_tic": S.integer])),
                "out_of_bounds": S.array(S.object([
                    "x": S.number, "y": S.number, "start_tic": S.integer, "end_tic": S.integer, "samples": S.integer,
                ])),
            ]),
            "TrainingLog": S.object([
                "training_id": S.string, "status": runStatus, "map_id": S.string, "map_name": S.string, "map": S.string,
                "iterations": S.array(S.ref("TrainingLogPoint")), "max_loss": nullableNumber, "min_loss": nullableNumber,
                "mean_loss": nullableNumber, "final_loss": nullableNumber, "started_at": nullableTimestamp,
                "completed_at": nullableTimestamp, "duration_seconds": nullableNumber, "max_iterations": S.integer,
                "final_iteration": S.nullable(S.integer), "error": nullableString,
            ]),
            "CheckpointList": S.object(["training_id": S.string, "checkpoints": S.array(S.object([
                "id": S.string, "training_id": nullableString, "iteration": S.integer, "epsilon": S.number, "final": S.boolean,
                "bytes": S.integer, "action_combinations": nullableString, "action_count": S.nullable(S.integer),
                "scenario": nullableString, "created_at": S.timestamp, "url": S.string,
            ]))]),
            "Artifact": S.object([
                "id": S.string, "run_id": S.string, "kind": S.string(["screenshot", "demo", "video", "frame"]), "episode": S.integer(minimum: 1),
                "tic": S.integer, "reason": S.string, "bytes": S.integer, "content_type": S.string, "created_at": S.timestamp,
                "url": S.string, "replay": S.ref("ReplayCheck"),
            ], optional: ["replay"]),
            "ArtifactList": S.object(["run_id": S.string, "artifacts": S.array(S.ref("Artifact"))]),
            "RunNarrative": S.object([
                "test_id": S.string, "headline": S.string, "lines": S.array(S.string),
                "deaths": S.array(S.ref("NarrativeSpot")), "stuck": S.array(S.ref("NarrativeSpot")),
                "top_findings": S.array(S.object([
                    "id": S.string, "kind": S.string, "severity": S.string, "message": S.string, "sightings": S.integer, "url": S.string,
                ])),
                "prose": S.object(["model": S.string, "answer": S.string, "error": S.string, "created_at": S.timestamp],
                                  optional: ["answer", "error"]),
            ], optional: ["prose"]),
            "NarrativeSpot": S.object(["x": S.number, "y": S.number, "count": S.integer, "episodes": S.array(S.integer)]),
            "RunEvidence": S.object(["run_id": S.string, "requested": S.boolean, "episodes": S.array(S.object([
                "state": S.string(["made", "missing", "pending"]), "episode": S.integer(minimum: 1), "reason": S.string,
                "video": S.ref("Artifact"), "frames": S.array(S.ref("Artifact")), "verified_to_tic": S.integer,
                "checked_tics": S.integer, "drift_tic": S.integer,
                "markers": S.array(S.object([
                    "source": S.string(["event", "finding"]), "kind": S.string, "label": S.string, "tic": S.integer,
                    "seconds": S.number, "x": S.number, "y": S.number, "finding_id": S.string, "frame_url": S.string,
                ], optional: ["finding_id", "frame_url"])),
            ], optional: ["reason", "video", "verified_to_tic", "checked_tics", "drift_tic"]))]),
            "Run": S.object([
                "id": S.string, "kind": S.string(RunKind.allCases.map(\.rawValue)), "status": runStatus, "map_id": S.string,
                "map_name": S.string, "map": S.string, "agent": S.string, "checkpoint": nullableString, "target": S.integer, "progress": S.integer,
                "progress_percent": S.number, "params": S.any, "summary": S.any, "error": nullableString,
                "stderr_tail": nullableString, "created_at": nullableTimestamp, "started_at": nullableTimestamp,
                "completed_at": nullableTimestamp, "created_by": nullableString, "owner": nullableString, "links": S.map(S.string),
            ]),
            "RunList": S.object(["runs": S.array(S.ref("Run")), "total": S.integer, "offset": S.integer, "limit": S.integer]),
        ]
    }

    // MARK: operations

    static var operations: [String: JSONValue] {
        let job = S.object([
            "id": S.string, "kind": S.string, "queue": S.string, "state": S.string(JobView.states), "attempt": S.integer,
            "max_attempts": S.integer, "priority": S.integer, "run_id": nullableString, "created_at": nullableTimestamp,
            "scheduled_at": nullableTimestamp, "attempted_at": nullableTimestamp, "finalized_at": nullableTimestamp,
            "locked_by": nullableString, "cancel_requested": S.boolean,
            "errors": S.array(S.object(["attempt": S.integer, "at": S.timestamp, "message": S.string])),
        ])
        let engine = S.object(["engine": S.string, "ok": S.boolean, "latency_ms": S.number, "error": S.string], optional: ["error"])
        return [
            "Job": job,
            "JobList": S.object(["jobs": S.array(S.ref("Job")), "counts": S.map(S.integer)]),
            "JobCancellation": S.object(["outcome": S.string(["cancelled", "stop_requested"]), "job": S.nullable(S.ref("Job"))]),
            "WorkerList": S.object(["workers": S.array(S.object([
                "id": S.string, "hostname": S.string, "pid": S.integer, "concurrency": S.integer, "version": S.string,
                "started_at": S.timestamp, "heartbeat_at": S.timestamp, "heartbeat_age_seconds": S.number, "alive": S.boolean,
                "state": S.string(["alive", "gone", "stopped"]), "running_jobs": S.array(S.string),
            ]))]),
            "Health": S.object([
                "status": S.string(["healthy", "unhealthy"]), "version": S.string, "timestamp": S.timestamp,
                "database": S.string, "redis": S.string, "storage": S.string,
                "workers": S.object([
                    "count": S.integer, "status": S.string(["active", "no workers"]), "ok": S.boolean, "embedded": S.integer,
                    "workers": S.array(S.object([
                        "id": S.string, "hostname": S.string, "pid": S.integer, "heartbeat_age_seconds": S.number,
                        "running_jobs": S.array(S.string),
                    ])),
                    "error": S.string,
                ], optional: ["error", "workers"]),
                "engines": S.object(["database": engine, "live_store": engine, "blob_store": engine]),
                "agent_runtime": S.object([
                    "ok": S.boolean, "python": S.string, "venv_present": S.boolean, "vizdoom": S.string, "torch": S.string, "error": S.string,
                ], optional: ["vizdoom", "torch", "error"]),
            ], optional: ["engines", "agent_runtime"]),
        ]
    }

    // MARK: analysis

    static var analysis: [String: JSONValue] {
        let figure = S.ref("Figure")
        return [
            "Figure": S.object(["value": nullableNumber, "episodes": S.integer, "too_few": S.boolean]),
            "AnalysisFigures": S.object([
                "episodes": S.integer, "completion_rate": figure, "time_to_exit_seconds": figure, "survival_rate": figure,
                "mean_health_lost": figure, "mean_kills": figure, "coverage": figure, "hardness": S.ref("Hardness"),
                "hardness_too_few": S.boolean,
            ], optional: ["hardness"]),
            "MapProfile": S.object([
                "map_id": S.string, "wad": S.string, "map": S.string, "runs": S.integer, "note": S.string,
                "overall": S.ref("AnalysisFigures"),
                "groups": S.array(S.object([
                    "skill": S.integer, "agent": S.string, "god_mode": S.boolean, "runs": S.integer, "figures": S.ref("AnalysisFigures"),
                ])),
                "skill_curve": S.array(S.object([
                    "skill": S.integer(minimum: 1, maximum: 5), "hardness": S.ref("Hardness"), "episodes": S.integer, "too_few": S.boolean,
                ], optional: ["hardness"])),
                "top_findings": S.array(S.ref("Finding")), "minimum_episodes": S.integer,
            ], optional: ["note"]),
            "Comparison": S.object([
                "kind": S.string(Comparison.Kind.allCases.map(\.rawValue)), "map": S.string, "axes": S.array(S.string),
                "items": S.array(S.object([
                    "id": S.string, "label": S.string, "figures": S.ref("AnalysisFigures"), "normalized": S.map(nullableNumber),
                    "map": S.object([
                        "counts": S.object(["things": S.integer, "linedefs": S.integer, "sidedefs": S.integer, "vertices": S.integer,
                                            "sectors": S.integer]),
                        "map_checks": S.object(["error": S.integer, "warning": S.integer, "info": S.integer]),
                        "play_findings": S.integer, "uploaded_at": S.timestamp,
                    ], optional: ["uploaded_at"]),
                ], optional: ["map"])),
                "minimum_episodes": S.integer,
            ], optional: ["map"]),
            "PlatformStatistics": S.object([
                "maps": S.integer, "test_runs": S.integer, "training_runs": S.integer, "episodes": S.integer, "agent_hours": S.number,
                "completion_rate": figure,
                "days": S.array(S.object([
                    "day": S.string, "runs": S.integer, "episodes": S.integer, "exits": S.integer, "completion_rate": figure,
                ])),
                "finding_events": S.map(S.integer), "map_findings": S.map(S.integer),
                "common_findings": S.array(S.object(["kind": S.string, "findings": S.integer])),
                "busiest_maps": S.array(S.object(["id": S.string, "name": S.string, "uploaded_at": S.timestamp, "runs": S.integer], optional: ["uploaded_at"])),
            ]),
        ]
    }

    // MARK: accounts

    static var accounts: [String: JSONValue] {
        let user = S.object([
            "id": S.string, "email": S.string, "full_name": S.string, "role": S.string(Role.allCases.map(\.rawValue)),
            "is_active": S.boolean, "last_login": S.timestamp, "created_at": S.timestamp,
        ], optional: ["full_name", "last_login"])
        let key = S.object([
            "id": S.string, "user_id": S.string, "name": S.string, "prefix": S.string, "last_used": S.timestamp,
            "expires_at": S.timestamp, "is_active": S.boolean, "created_at": S.timestamp,
        ], optional: ["last_used", "expires_at"])
        return [
            "User": user,
            "UserList": S.object(["users": S.array(S.ref("User"))]),
            "APIKey": key,
            "APIKeyList": S.object(["api_keys": S.array(S.ref("APIKey"))]),
            "CreatedAPIKey": S.object(["key": S.string, "api_key": S.ref("APIKey")]),
            "TokenPair": S.object([
                "access_token": S.string, "token_type": S.string(["Bearer"]), "expires_in": S.integer, "refresh_token": S.string,
                "user": S.ref("User"),
            ]),
            "AuditLog": S.object(["entries": S.array(S.object([
                "at": S.timestamp, "action": S.string, "actor_id": S.string, "actor_email": S.string, "target": S.string, "ip": S.string,
                "detail": S.string,
            ], optional: ["actor_id", "actor_email", "target", "ip"]))]),
        ]
    }
}
