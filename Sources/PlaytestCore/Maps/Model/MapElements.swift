/// A thing (monster, item, player start, decoration) placed on a map.
public struct Thing: Sendable, Hashable, Codable {
    /// The thing's tag id (Hexen and UDMF; 0 in Doom format).
    public var tid: Int
    public var x: Double
    public var y: Double
    /// Height above the floor (Hexen and UDMF).
    public var z: Double
    /// Facing angle in degrees.
    public var angle: Int
    /// The editor number (doomednum) that says what the thing is.
    public var type: Int
    /// The raw flags field (binary formats), or flags rebuilt from UDMF booleans.
    public var flags: Int
    /// Hexen/UDMF action special and its arguments.
    public var special: Int
    public var args: [Int]

    public init(tid: Int = 0, x: Double, y: Double, z: Double = 0, angle: Int = 0, type: Int, flags: Int = 0x07,
                special: Int = 0, args: [Int] = [0, 0, 0, 0, 0]) {
        self.tid = tid
        self.x = x
        self.y = y
        self.z = z
        self.angle = angle
        self.type = type
        self.flags = flags
        self.special = special
        self.args = args
    }

    public var position: MapPoint { MapPoint(x: x, y: y) }
}

/// A map vertex.
public struct Vertex: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public var point: MapPoint { MapPoint(x: x, y: y) }
}

/// A linedef: a wall or boundary between two vertices, with a front (right) side and an optional back side.
public struct Linedef: Sendable, Hashable, Codable {
    public var start: Int
    public var end: Int
    /// The raw flags field. Bit 0 blocks, bit 2 (`0x0004`) marks the line two-sided in every format.
    public var flags: Int
    /// The action special (Doom numbering in Doom format, Hexen numbering in Hexen and UDMF).
    public var special: Int
    /// The sector tag (Doom format) or first argument used as tag (Hexen/UDMF `id`).
    public var tag: Int
    public var args: [Int]
    /// Index of the front (right) sidedef, nil when the line has none.
    public var frontSide: Int?
    /// Index of the back (left) sidedef, nil for a one-sided line.
    public var backSide: Int?

    public static let blockingFlag = 0x0001
    public static let twoSidedFlag = 0x0004

    public init(start: Int, end: Int, flags: Int = 0x0001, special: Int = 0, tag: Int = 0, args: [Int] = [0, 0, 0, 0, 0],
                frontSide: Int?, backSide: Int? = nil) {
        self.start = start
        self.end = end
        self.flags = flags
        self.special = special
        self.tag = tag
        self.args = args
        self.frontSide = frontSide
        self.backSide = backSide
    }

    public var isMarkedTwoSided: Bool { flags & Self.twoSidedFlag != 0 }
    public var isBlocking: Bool { flags & Self.blockingFlag != 0 }
}

/// A sidedef: the textures of one side of a linedef and the sector that side faces.
public struct Sidedef: Sendable, Hashable, Codable {
    public var offsetX: Double
    public var offsetY: Double
    /// Texture names; `-` means no texture.
    public var upperTexture: String
    public var lowerTexture: String
    public var middleTexture: String
    public var sector: Int

    public init(offsetX: Double = 0, offsetY: Double = 0, upperTexture: String = "-", lowerTexture: String = "-",
                middleTexture: String = "-", sector: Int) {
        self.offsetX = offsetX
        self.offsetY = offsetY
        self.upperTexture = upperTexture
        self.lowerTexture = lowerTexture
        self.middleTexture = middleTexture
        self.sector = sector
    }
}

/// A sector: an area with a floor and ceiling height, flats, light and a special.
public struct Sector: Sendable, Hashable, Codable {
    public var floorHeight: Double
    public var ceilingHeight: Double
    public var floorTexture: String
    public var ceilingTexture: String
    public var lightLevel: Int
    public var special: Int
    public var tag: Int

    public init(floorHeight: Double = 0, ceilingHeight: Double = 128, floorTexture: String = "FLOOR0_1",
                ceilingTexture: String = "CEIL1_1", lightLevel: Int = 160, special: Int = 0, tag: Int = 0) {
        self.floorHeight = floorHeight
        self.ceilingHeight = ceilingHeight
        self.floorTexture = floorTexture
        self.ceilingTexture = ceilingTexture
        self.lightLevel = lightLevel
        self.special = special
        self.tag = tag
    }
}
