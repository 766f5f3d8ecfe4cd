/// The kinds of event derived from an episode's telemetry (docs/telemetry.md).
public enum TelemetryEventType: String, Sendable, Hashable, Codable, CaseIterable {
    case kill
    case death
    case healthLost = "health_lost"
    case ammoLost = "ammo_lost"
    case healthPickup = "health_pickup"
    case armorPickup = "armor_pickup"
    case ammoPickup = "ammo_pickup"
    case weaponPickup = "weapon_pickup"
    /// An item that counts for the level's item total but changed none of health, armor, ammo or weapon
    /// (e.g. a computer map or an invisibility sphere).
    case itemPickup = "item_pickup"
    case secretFound = "secret_found"
    case exitReached = "exit_reached"
    case stuck
    case outOfBounds = "out_of_bounds"
}

/// What happened, with the numbers that belong to that kind of event.
public enum TelemetryEventDetail: Sendable, Hashable {
    /// One monster killed; `killcount` is the episode's total after this kill; `health` and `ammo` are the player's
    /// at that moment.
    case kill(killcount: Int, health: Int, ammo: Int)
    /// The player died with this health (below zero after a gib, as the engine reports it) and ammo.
    case death(health: Int, ammo: Int)
    /// Health went from `before` to `after`, as the engine reports it (below zero at a gib death);
    /// `damage = before − after`.
    case healthLost(before: Int, after: Int, damage: Int)
    /// The selected weapon's ammo went down with no weapon switch.
    case ammoLost(weapon: Int, before: Int, after: Int, amount: Int)
    case healthPickup(before: Int, after: Int, amount: Int)
    case armorPickup(before: Int, after: Int, amount: Int)
    /// The selected weapon's ammo went up with no weapon switch.
    case ammoPickup(weapon: Int, before: Int, after: Int, amount: Int)
    /// The player switched to a weapon slot it had not held before in this episode.
    case weaponPickup(weapon: Int)
    /// `itemcount` is the episode's total after this item.
    case itemPickup(itemcount: Int)
    /// `secretcount` is the episode's total after this secret.
    case secretFound(secretcount: Int)
    case exitReached
    /// The player stayed within `radius` map units of the event's position for `durationTics` tics.
    case stuck(durationTics: Int, radius: Double)
    /// The player's position is in no sector of the map.
    case outOfBounds

    public var type: TelemetryEventType {
        switch self {
        case .kill: return .kill
        case .death: return .death
        case .healthLost: return .healthLost
        case .ammoLost: return .ammoLost
        case .healthPickup: return .healthPickup
        case .armorPickup: return .armorPickup
        case .ammoPickup: return .ammoPickup
        case .weaponPickup: return .weaponPickup
        case .itemPickup: return .itemPickup
        case .secretFound: return .secretFound
        case .exitReached: return .exitReached
        case .stuck: return .stuck
        case .outOfBounds: return .outOfBounds
        }
    }
}

/// One event of an episode's timeline: when (frame = game tic, timestamp = seconds from the episode start),
/// where (the player's position), and what.
public struct TelemetryEvent: Sendable, Hashable {
    /// The game tic of the sample the event was derived from (or where a stuck spot began).
    public var frame: Int
    /// Seconds from the episode start: `frame / 35`.
    public var timestamp: Double
    public var x: Double
    public var y: Double
    public var detail: TelemetryEventDetail

    public init(frame: Int, x: Double, y: Double, detail: TelemetryEventDetail) {
        self.frame = frame
        self.timestamp = Double(frame) / AgentProtocol.ticsPerSecond
        self.x = x
        self.y = y
        self.detail = detail
    }

    public var type: TelemetryEventType { detail.type }
    public var position: MapPoint { MapPoint(x: x, y: y) }
}
