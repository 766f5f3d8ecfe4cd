extension RunLiveState {
    /// Every run's `run_status` notices (channel `runs`), for live lists.
    public func subscribeToStatus() async throws -> LiveSubscription {
        try await live.subscribe([Self.statusChannel])
    }
}
