import PlaytestServices
import PlaytestStorage

/// `maintenance.retention`: the periodic clean-up (``Retention``), once per period across all workers.
public struct RetentionJobHandler: JobHandler {
    let retention: Retention

    public init(retention: Retention) {
        self.retention = retention
    }

    public var kind: String { Retention.jobKind }
    public var period: Duration? { retention.period }

    public func run(_ job: Job, context: JobContext) async throws {
        try await retention.run(logger: context.logger)
    }
}
