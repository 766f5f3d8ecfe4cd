import Foundation
import PlaytestCore

/// Which runs a list shows; nil fields match everything.
public struct RunFilter: Sendable, Hashable {
    public var kind: RunKind?
    public var status: RunStatus?
    /// A library map's id.
    public var mapID: UUID?

    public init(kind: RunKind? = nil, status: RunStatus? = nil, mapID: UUID? = nil) {
        self.kind = kind
        self.status = status
        self.mapID = mapID
    }
}
