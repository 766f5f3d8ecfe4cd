import Metrics
import PlaytestServices
import Prometheus
import Vapor

/// The process's Prometheus registry and the server's own instruments, named `playtest_<thing>_<unit>`.
public final class PlaytestMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// The process's registry, also behind swift-metrics: what the storage, services and worker record through that
    /// API (engine latencies, runs, queue wait, steps, ingest rows; docs/operations.md lists them) lands here. Made
    /// once per process, by `serve` and `worker`; tests make their own registries and leave swift-metrics a no-op.
    public static let process: PlaytestMetrics = {
        let metrics = PlaytestMetrics()
        var factory = PrometheusMetricsFactory(registry: metrics.registry)
        factory.defaultDurationHistogramBuckets = buckets
        // Runs and queue waits last seconds to hours.
        let long: [Duration] = [.seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
                                .seconds(600), .seconds(1800), .seconds(3600), .seconds(7200), .seconds(21600)]
        factory.durationHistogramBuckets = ["playtest_run_duration_seconds": long, "playtest_queue_wait_seconds": long]
        MetricsSystem.bootstrap(factory)
        return metrics
    }()

    func recordRequest(method: String, route: String, status: UInt, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "playtest", metricName: "http_requests", unitName: "total", helpText: "HTTP requests served"),
            labels: labels
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "playtest", metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request latency"),
            labels: [("method", method), ("route", route)], buckets: Self.buckets
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// Gauges read at scrape time from SQL.
    func setQueueDepth(_ counts: [String: Int]) {
        for (state, count) in counts {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: "playtest", metricName: "queue_jobs", unitName: "count", helpText: "Jobs in the queue by state"),
                labels: [("state", state)]
            ).set(Double(count))
        }
    }

    /// The analysis cache's hits and misses in this process since it started.
    func setAnalysisCache(_ counts: (hits: Int, misses: Int)) {
        for (outcome, count) in [("hit", counts.hits), ("miss", counts.misses)] {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: "playtest", metricName: "analysis_cache_reads", unitName: "count",
                                                 helpText: "Analysis reads answered from the cache (hit) or computed (miss)"),
                labels: [("outcome", outcome)]
            ).set(Double(count))
        }
    }

    /// Player progress: the Redis read path's hit ratio, the players active in the last 30 minutes, the roll-ups' backlog.
    func setPlayerProgress(_ health: PlayerProgressHealth) {
        registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "playtest", metricName: "player_progress_cache_hit", unitName: "ratio",
            helpText: "Share of inventory and waypoint reads answered by Redis")).set(health.cacheHitRatio ?? 0)
        registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "playtest", metricName: "player_progress_active_players", unitName: "count",
            helpText: "Players who wrote progress in the last 30 minutes")).set(Double(health.activePlayers))
        registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "playtest", metricName: "player_progress_rollup_backlog", unitName: "events",
            helpText: "Events stored but not yet folded into the analytics roll-ups")).set(Double(health.rollupBacklog))
    }

    /// One durable player-progress write, from request to commit.
    func recordPlayerProgressWrite(_ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "playtest", metricName: "player_progress_write_duration", unitName: "seconds",
                                             helpText: "Player progress write latency"),
            buckets: Self.buckets
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// The registry in Prometheus's text format.
    func exposition() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: registry.emitToString()))
    }

    func setWorkersAlive(_ count: Int) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "playtest", metricName: "workers_alive", unitName: "count", helpText: "Workers with a recent heartbeat")
        ).set(Double(count))
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
