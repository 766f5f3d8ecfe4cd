// queue-probe: a separate process for the job queue's multi-process tests and its benchmark.
//
//   QueueProbe race  <sql> <schema|-> <workers>   claim until the queue is empty; print "claimed <id>" per job
//   QueueProbe hold  <sql> <schema|-> <lease-ms>  claim one job, print "claimed <id>", heartbeat until killed
//   QueueProbe bench <sql> <schema|-> <workers> <jobs> queue|bare   enqueue <jobs>, then time claim+complete
//
// <sql> is a postgres:// URL or a path to a SQLite file.
import Foundation
import Logging
import PlaytestStorage
import SQLKit

@main
struct QueueProbe {
    static func main() async throws {
        let args = CommandLine.arguments
        guard args.count >= 5 else {
            FileHandle.standardError.write(Data("usage: QueueProbe race|hold|bench <sql> <schema|-> <n> [jobs] [queue|bare]\n".utf8))
            exit(2)
        }
        var logger = Logger(label: "queue-probe")
        logger.logLevel = .warning
        let target = args[2]
        let sqlConfig: PlaytestConfiguration.SQL = target.hasPrefix("postgres") ? .postgres(url: target) : .sqlite(path: target)
        let schema = args[3] == "-" ? nil : args[3]
        let sql = try await SQLEngine.open(sqlConfig, postgresSchema: schema, logger: logger)
        let queue = JobQueue(sql: sql)
        let worker = "probe-\(ProcessInfo.processInfo.processIdentifier)"
        let number = Int(args[4]) ?? 1
        switch args[1] {
        case "race":
            await withTaskGroup(of: Void.self) { group in
                for slot in 0..<number {
                    group.addTask { await race(queue: queue, worker: "\(worker)-\(slot)") }
                }
            }
        case "hold":
            let lease = Duration.milliseconds(number)
            var claimed: Job?
            while claimed == nil {
                claimed = try await queue.claim(workerID: worker, kinds: ["probe"], lease: lease).first
                if claimed == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            guard let job = claimed else { exit(1) }
            emit("claimed \(job.id)")
            while true {
                _ = try await queue.heartbeat(id: job.id, workerID: worker, lease: lease)
                try await Task.sleep(for: lease / 4)
            }
        case "bench":
            try await sql.migrate()
            let jobs = Int(args[5]) ?? 1000
            let mode = args.count > 6 ? args[6] : "queue"
            let seconds = try await QueueBenchmark(sql: sql, queue: queue, workers: number, jobs: jobs).run(mode: mode)
            emit(String(format: "%@ %d jobs %d workers %.3f s %.0f jobs/s", mode, jobs, number, seconds, Double(jobs) / seconds))
        default:
            FileHandle.standardError.write(Data("unknown mode \(args[1])\n".utf8))
            exit(2)
        }
        await sql.shutdown()
    }

    /// Unbuffered, so the parent test sees each line as it happens.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func race(queue: JobQueue, worker: String) async {
        var idle = 0
        while idle < 3 {
            do {
                guard let job = try await queue.claim(workerID: worker, kinds: ["probe"], lease: .seconds(30)).first else {
                    idle += 1
                    try await Task.sleep(for: .milliseconds(50))
                    continue
                }
                idle = 0
                emit("claimed \(job.id)")
                try await queue.complete(id: job.id, workerID: worker)
            } catch {
                FileHandle.standardError.write(Data("race error: \(error)\n".utf8))
                return
            }
        }
    }
}
