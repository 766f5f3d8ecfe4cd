/// Health at one moment, for the logs' `health_timeline`: the engine's figure, below zero after a gib death.
public struct HealthPoint: Sendable, Hashable, Codable {
    public var frame: Int
    public var timestamp: Double
    public var health: Int

    public init(frame: Int, health: Int) {
        self.frame = frame
        self.timestamp = Double(frame) / AgentProtocol.ticsPerSecond
        self.health = health
    }
}
