import Foundation

/// Which runs `RunStore.list` returns; nil fields match everything.
public struct RunFilter: Sendable, Hashable {
    public var kind: RunRecord.Kind?
    public var status: RunRecord.Status?
    public var mapID: UUID?

    public init(kind: RunRecord.Kind? = nil, status: RunRecord.Status? = nil, mapID: UUID? = nil) {
        self.kind = kind
        self.status = status
        self.mapID = mapID
    }
}
