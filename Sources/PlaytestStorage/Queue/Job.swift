import Foundation
import PlaytestCore

/// A job's life: `available` → `running` → `completed`; a failure goes to `retryable` (and back to
/// `running` after its backoff) until the attempts run out, then `discarded`. `cancelled` is final.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case available, running, retryable, completed, cancelled, discarded

    public var isFinal: Bool { self == .completed || self == .cancelled || self == .discarded }
}

/// A row of the `jobs` table.
public struct Job: Sendable, Codable, Equatable {
    public var id: String
    public var kind: String
    public var queue: String
    /// JSON text; the handler for `kind` decodes it.
    public var payload: String
    public var state: JobState
    /// Lower runs first.
    public var priority: Int
    /// How many times the job has been claimed (the current attempt while running).
    public var attempt: Int
    public var maxAttempts: Int
    public var scheduledAt: Int64
    public var createdAt: Int64
    public var attemptedAt: Int64?
    public var finalizedAt: Int64?
    public var lockedBy: String?
    public var lockedUntil: Int64?
    public var cancelRequested: Bool
    /// JSON array of `JobAttemptError`.
    public var errors: String

    enum CodingKeys: String, CodingKey {
        case id, kind, queue, payload, state, priority, attempt
        case maxAttempts = "max_attempts"
        case scheduledAt = "scheduled_at"
        case createdAt = "created_at"
        case attemptedAt = "attempted_at"
        case finalizedAt = "finalized_at"
        case lockedBy = "locked_by"
        case lockedUntil = "locked_until"
        case cancelRequested = "cancel_requested"
        case errors
    }

    public var attemptErrors: [JobAttemptError] {
        (try? PlaytestJSON.decoder().decode([JobAttemptError].self, from: Data(errors.utf8))) ?? []
    }

    public func decodePayload<T: Decodable>(_ type: T.Type) throws -> T {
        try PlaytestJSON.decoder().decode(T.self, from: Data(payload.utf8))
    }
}

/// What went wrong in one attempt, kept on the job for the queue page and for debugging.
public struct JobAttemptError: Sendable, Codable, Equatable {
    public var attempt: Int
    public var at: Int64
    public var message: String
    public init(attempt: Int, at: Int64, message: String) {
        self.attempt = attempt
        self.at = at
        self.message = message
    }
}

/// What to enqueue.
public struct NewJob: Sendable {
    public var kind: String
    public var payload: String
    public var queue: String
    public var priority: Int
    public var maxAttempts: Int
    /// Run no earlier than this (epoch ms); nil means now.
    public var scheduledAt: Int64?
    public var id: String

    public init(
        kind: String, payload: String = "{}", queue: String = "default", priority: Int = 2,
        maxAttempts: Int = 3, scheduledAt: Int64? = nil, id: String = UUID().uuidString.lowercased()
    ) {
        self.kind = kind
        self.payload = payload
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.scheduledAt = scheduledAt
        self.id = id
    }

    public init<P: Encodable>(kind: String, encoding payload: P, queue: String = "default", priority: Int = 2, maxAttempts: Int = 3) throws {
        let data = try PlaytestJSON.encoder().encode(payload)
        self.init(kind: kind, payload: String(decoding: data, as: UTF8.self), queue: queue, priority: priority, maxAttempts: maxAttempts)
    }
}
