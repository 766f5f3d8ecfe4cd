/// How bad a finding is.
public enum FindingSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    /// The map is broken: engines may crash, render garbage or the map cannot be finished.
    case error
    /// Likely a mistake that players will notice.
    case warning
    /// Worth knowing, not necessarily wrong.
    case info

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .info: return 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// The kinds of static findings, modelled on Ultimate Doom Builder's Map Analysis mode.
public enum FindingKind: String, Sendable, Codable, CaseIterable {
    case missingPlayerStart
    case tooFewDeathmatchStarts
    case unclosedSector
    case zeroAreaSector
    case missingFrontSide
    case oneSidedLineMarkedTwoSided
    case twoSidedLineMarkedOneSided
    case missingTexture
    case unknownTexture
    case missingFlat
    case unknownFlat
    case overlappingVertices
    case overlappingLines
    case zeroLengthLine
    case thingStuckInWall
    case thingOutsideMap
    case mapTooLarge
    case noExit

    /// The severity every finding of this kind has.
    public var severity: FindingSeverity {
        switch self {
        case .missingPlayerStart, .unclosedSector, .missingFrontSide, .oneSidedLineMarkedTwoSided, .missingTexture,
             .missingFlat, .unknownTexture, .unknownFlat, .thingStuckInWall, .mapTooLarge:
            return .error
        case .tooFewDeathmatchStarts, .zeroAreaSector, .twoSidedLineMarkedOneSided, .overlappingVertices,
             .overlappingLines, .zeroLengthLine, .thingOutsideMap:
            return .warning
        case .noExit:
            return .info
        }
    }
}

/// The kind of map element a finding refers to.
public enum MapElementKind: String, Sendable, Codable {
    case thing, linedef, sidedef, vertex, sector
}

/// A reference to one map element by its index (as editors number them, from 0).
public struct MapElementID: Sendable, Hashable, Codable {
    public var kind: MapElementKind
    public var index: Int

    public init(_ kind: MapElementKind, _ index: Int) {
        self.kind = kind
        self.index = index
    }
}

/// One static finding about a map.
public struct Finding: Sendable, Hashable, Codable {
    public var kind: FindingKind
    public var severity: FindingSeverity
    /// What is wrong, in words a level designer understands, naming the elements involved.
    public var message: String
    /// Where to look, in map coordinates.
    public var location: MapPoint
    /// The elements involved.
    public var ids: [MapElementID]

    public init(kind: FindingKind, message: String, location: MapPoint, ids: [MapElementID]) {
        self.kind = kind
        self.severity = kind.severity
        self.message = message
        self.location = location
        self.ids = ids
    }
}

/// Counts of findings per severity.
public struct FindingCounts: Sendable, Hashable, Codable {
    public var error: Int
    public var warning: Int
    public var info: Int

    public init(_ findings: [Finding]) {
        error = findings.count { $0.severity == .error }
        warning = findings.count { $0.severity == .warning }
        info = findings.count { $0.severity == .info }
    }
}
