/// Collapses concurrent requests for the same costly answer into as few computations as freshness allows: a request
/// shares a computation only if that computation had not started when the request arrived. So with one computation
/// running, everyone who arrives meanwhile waits for one more, started after it; N concurrent requests cost at most
/// two computations in a row, not N side by side, and no answer predates its request.
public actor FreshCoalescer<Value: Sendable> {
    private struct Flight {
        var id: Int
        var task: Task<Value, any Error>
    }

    /// Per key: the computation that has started, and the one waiting to start after it.
    private var running: [String: Flight] = [:]
    private var waiting: [String: Flight] = [:]
    private var nextID = 0

    public init() {}

    public func value(_ key: String, _ compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let flight = waiting[key] { return try await flight.task.value }
        let previous = running[key]?.task
        nextID += 1
        let id = nextID
        let task = Task<Value, any Error> {
            if let previous { _ = try? await previous.value }
            start(key, id)
            do {
                let value = try await compute()
                finish(key, id)
                return value
            } catch {
                finish(key, id)
                throw error
            }
        }
        let flight = Flight(id: id, task: task)
        if previous == nil { running[key] = flight } else { waiting[key] = flight }
        return try await task.value
    }

    /// The waiting computation starts: from now on, arrivals wait for the one after it.
    private func start(_ key: String, _ id: Int) {
        guard let flight = waiting[key], flight.id == id else { return }
        waiting[key] = nil
        running[key] = flight
    }

    private func finish(_ key: String, _ id: Int) {
        if running[key]?.id == id { running[key] = nil }
    }
}
