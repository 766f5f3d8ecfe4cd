import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

// Step-row ingest through TestTelemetryStore, the path a worker uses while a test run plays.
//
//   IngestBench steps <sqlite-file | postgres-url> <postgres-schema | -> <rows> <batch> <unnest | multiRowValues>
//       Migrates a fresh database (the SQLite file is replaced; the PostgreSQL schema must exist and be empty),
//       adds one map and one run ("bench"), then inserts <rows> step rows in batches of <batch>, timed.
//       Prints: "ours <method> <rows> rows <seconds> s <rows/s> rows/s".
//   IngestBench csv <rows>
//       Prints the same rows as CSV (run_id, episode_num, step, … reward), for the reference side (COPY, executemany).

enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    var description: String {
        switch self {
        case .usage(let message): "\(message)\nusage: IngestBench steps <sqlite-file|postgres-url> <schema|-> <rows> <batch> <unnest|multiRowValues>\n       IngestBench csv <rows>"
        }
    }
}

/// Deterministic rows: episodes of 2100 steps, moving through the map, a reward on most steps.
func benchRows(_ count: Int) -> [StepRow] {
    (0..<count).map { index in
        let episode = index / 2100
        let step = index % 2100 + 1
        return StepRow(
            episode: episode, step: step, tic: step * 4, x: Double(step % 900) * 1.5 - 300, y: Double(step % 700) * -2.25 + 100,
            angle: Double(step * 7 % 360), health: 100 - step % 60, armor: step % 3 == 0 ? 50 : 0, ammo: 50 - step % 50,
            weapon: 2 + step % 3, killcount: step / 300, action: step % 6, reward: step % 11 == 0 ? nil : Double(step % 13) - 0.25)
    }
}

func csvLine(_ row: StepRow) -> String {
    "bench,\(row.episode),\(row.step),\(row.tic),\(row.x),\(row.y),\(row.angle),\(row.health),\(row.armor),\(row.ammo),"
        + "\(row.weapon),\(row.killcount),\(row.action),\(row.reward.map { "\($0)" } ?? "")"
}

func runSteps(_ arguments: [String]) async throws {
    guard arguments.count == 5, let rowCount = Int(arguments[2]), let batch = Int(arguments[3]), batch > 0,
          let method = StepIngestMethod(rawValue: arguments[4]) else {
        throw BenchError.usage("steps needs a target, a schema, a row count, a batch size and a method")
    }
    var logger = Logger(label: "ingest-bench")
    logger.logLevel = .warning
    let target = arguments[0]
    let configuration: PlaytestConfiguration.SQL
    if target.hasPrefix("postgres") {
        configuration = .postgres(url: target)
    } else {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        configuration = .sqlite(path: target)
    }
    let engine = try await SQLEngine.open(configuration, postgresSchema: arguments[1] == "-" ? nil : arguments[1], logger: logger)
    do {
        try await engine.migrate()
        let mapID = UUID()
        try await MapRecord(
            id: mapID, name: "bench", filename: "bench.wad", blobKey: "maps/bench.wad", sizeBytes: 1, sha256: mapID.uuidString,
            wadKind: "PWAD", formats: ["doom"], summaries: [], builtin: false, scenario: nil
        ).create(on: engine.database)
        try await RunStore(sql: engine).insert(RunRecord(
            id: "bench", kind: .testing, mapID: mapID, mapName: "MAP01", agent: "random", plan: #"{"map_name":"MAP01"}"#, target: 1))
        let telemetry = TestTelemetryStore(sql: engine, stepIngest: method)
        let rows = benchRows(rowCount)
        let clock = ContinuousClock()
        let start = clock.now
        var offset = 0
        while offset < rows.count {
            let end = min(offset + batch, rows.count)
            try await telemetry.insertSteps(runID: "bench", Array(rows[offset..<end]))
            offset = end
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stored = try await telemetry.stepCount(runID: "bench")
        guard stored == rowCount else { throw BenchError.usage("stored \(stored) rows, expected \(rowCount)") }
        print(String(format: "ours %@ %d rows %.3f s %.0f rows/s", method.rawValue, rowCount, seconds, Double(rowCount) / seconds))
    } catch {
        await engine.shutdown()
        throw error
    }
    await engine.shutdown()
}

do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    switch arguments.first {
    case "steps":
        try await runSteps(Array(arguments.dropFirst()))
    case "csv":
        guard arguments.count == 2, let count = Int(arguments[1]) else { throw BenchError.usage("csv needs a row count") }
        var out = ""
        out.reserveCapacity(count * 64)
        for row in benchRows(count) { out += csvLine(row); out += "\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
    default:
        throw BenchError.usage("unknown command")
    }
} catch {
    FileHandle.standardError.write(Data("IngestBench: \(error)\n".utf8))
    exit(1)
}
