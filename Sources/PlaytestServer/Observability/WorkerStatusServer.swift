import Foundation
import Logging
import PlaytestServices
import Vapor

/// `playtest worker --metrics-port N`: a small HTTP listener beside a worker, for probes and scrapers. `GET /health`
/// answers the worker's own report (200 when healthy, 503 when not); `GET /metrics` the process's Prometheus registry,
/// behind `PLAYTEST_METRICS_TOKEN` like the server's.
public final class WorkerStatusServer: Sendable {
    /// The health report as JSON and whether it is healthy.
    public typealias HealthReport = @Sendable () -> (healthy: Bool, json: Data)

    let app: Application

    public init(host: String, port: Int, metrics: PlaytestMetrics, metricsToken: String?, health: @escaping HealthReport, logger: Logger) async throws {
        app = try await Application.make(Environment(name: "production", arguments: ["playtest"]))
        app.logger = logger
        app.middleware = Middlewares()
        app.get("health") { _ -> Response in
            let (healthy, json) = health()
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: healthy ? .ok : .serviceUnavailable, headers: headers, body: .init(data: json))
        }
        app.get("metrics") { request -> Response in
            if let metricsToken {
                guard let presented = request.headers.first(name: .authorization), Accounts.secretsMatch(presented, "Bearer " + metricsToken) else {
                    return Response(status: .unauthorized, body: .init(string: "/metrics needs Authorization: Bearer <PLAYTEST_METRICS_TOKEN>\n"))
                }
            }
            return metrics.exposition()
        }
        do {
            try await app.server.start(address: .hostname(host, port: port))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// The port it listens on (the one asked for, or the one the system chose for port 0).
    public var port: Int? { app.http.server.shared.localAddress?.port }

    public func shutdown() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}
