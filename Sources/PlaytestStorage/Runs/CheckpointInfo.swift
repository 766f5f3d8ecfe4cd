import Foundation

/// A stored training checkpoint (`checkpoints`): the file lives in the blob store under `blobKey`.
public struct CheckpointInfo: Sendable, Hashable, Codable {
    /// `ckpt_…`.
    public var id: String
    /// The training run that wrote it; nil for one that came from elsewhere.
    public var runID: String?
    public var iteration: Int
    public var epsilon: Double
    /// True for the checkpoint written when training ended (completed or stopped).
    public var final: Bool
    public var blobKey: String
    public var bytes: Int64
    public var actionCombinations: String?
    public var actionCount: Int?
    public var scenario: String?
    public var createdAt: Date

    public init(id: String, runID: String?, iteration: Int, epsilon: Double, final: Bool, blobKey: String, bytes: Int64,
                actionCombinations: String?, actionCount: Int?, scenario: String?, createdAt: Date) {
        self.id = id
        self.runID = runID
        self.iteration = iteration
        self.epsilon = epsilon
        self.final = final
        self.blobKey = blobKey
        self.bytes = bytes
        self.actionCombinations = actionCombinations
        self.actionCount = actionCount
        self.scenario = scenario
        self.createdAt = createdAt
    }
}
