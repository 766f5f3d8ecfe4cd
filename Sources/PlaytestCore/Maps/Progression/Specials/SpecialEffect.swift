/// What a special does to the world, as far as getting through the map is concerned.
public enum SpecialEffect: Sendable, Hashable {
    case door(DoorMotion)
    /// The floor moves to the height and stays.
    case floor(Height)
    /// The ceiling moves to the height and stays.
    case ceiling(Height)
    /// The floor goes to each height in turn and comes back (a lift, a perpetual platform): the player can
    /// ride it between any of them and its resting height.
    case lift(visits: [Height])
    /// Stairs: the tagged sector and the chain of sectors behind it rise `step` units each, one above the other.
    case stairs(step: Double)
    /// A crusher: the ceiling goes down to the floor (+8) and back, again and again.
    case crusher
    /// Floor and ceiling move together (Boom elevators).
    case elevator(Height)
    /// Doom's donut: the tagged sector's floor goes down and the ring around it comes up to the outer floor.
    case donut
    case teleport(TeleportKind)
    case exit(secret: Bool)
    /// Stops a lift or a crusher, changes lights, textures or sounds: nothing that opens or closes a way.
    case cosmetic
    /// An ACS script: the planner cannot know what it does.
    case script(Int)
    /// A special the planner has no model for.
    case unknown
    /// Several motions of the same sectors started at once (Doom's W1 40 raises the ceiling and lowers the floor).
    case combined([SpecialEffect])
}

/// How a door moves.
public enum DoorMotion: String, Sendable, Hashable {
    /// Opens and stays open.
    case open
    /// Opens, waits and closes (passable while it waits).
    case raise
    /// Closes and stays closed.
    case close
    /// Closes, waits 30 s and opens again.
    case closeWaitOpen
}

/// Where a teleporter sends the player.
public enum TeleportKind: Sendable, Hashable {
    /// To a teleport destination thing in a sector with this tag (Doom).
    case sectorTag(Int)
    /// To the teleport destination thing with this tid, optionally only in sectors with a tag (Hexen; 0 = any).
    case thing(tid: Int, sectorTag: Int)
    /// To the line with this id (Boom line-to-line and Hexen Teleport_Line).
    case line(Int)
}

/// A height a floor or ceiling moves to, relative to the sector and its neighbours at the moment it starts.
public enum Height: Sendable, Hashable {
    case lowestNeighbourFloor            // including the sector's own floor (Doom's P_FindLowestFloorSurrounding)
    case highestNeighbourFloor           // neighbours only
    case highestNeighbourFloorPlus8
    case nextHigherNeighbourFloor
    case nextLowerNeighbourFloor
    case lowestNeighbourCeiling
    case lowestNeighbourCeilingMinus8
    case highestNeighbourCeiling
    case nextHigherNeighbourCeiling
    case nextLowerNeighbourCeiling
    case ownFloor
    case ownFloorPlus8
    case ownCeiling
    /// Relative to the plane's current height (+24, -8, +512).
    case by(Double)
    /// An absolute height.
    case absolute(Double)
    /// The shortest lower texture around the sector (modelled as 64 units: texture heights are not read).
    case shortestLowerTexture
}
