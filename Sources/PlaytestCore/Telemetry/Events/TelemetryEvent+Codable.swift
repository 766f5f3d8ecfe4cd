/// Events are written flat, as the logs endpoint shows them: `{"frame", "timestamp", "type", "x", "y", …}` with the
/// fields of the event's kind next to them, named as seed 001 names them: `health_lost {health_before, health_after,
/// damage}`, `ammo_lost {ammo_before, ammo_after, amount}`, `kill {killcount, health, ammo}`, `death {health, ammo}`;
/// the pickups follow the same pattern (`health_pickup {health_before, health_after, amount}`, …).
extension TelemetryEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case frame, timestamp, type, x, y
        case killcount, health, ammo, damage, amount, weapon, itemcount, secretcount, radius
        case healthBefore = "health_before"
        case healthAfter = "health_after"
        case ammoBefore = "ammo_before"
        case ammoAfter = "ammo_after"
        case armorBefore = "armor_before"
        case armorAfter = "armor_after"
        case durationTics = "duration_tics"
        case durationSeconds = "duration_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(frame, forKey: .frame)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(type, forKey: .type)
        try container.encode(x, forKey: .x)
        try container.encode(y, forKey: .y)
        func encode(_ values: KeyValuePairs<CodingKeys, Int>) throws {
            for (key, value) in values { try container.encode(value, forKey: key) }
        }
        switch detail {
        case .kill(let killcount, let health, let ammo):
            try encode([.killcount: killcount, .health: health, .ammo: ammo])
        case .death(let health, let ammo):
            try encode([.health: health, .ammo: ammo])
        case .healthLost(let before, let after, let damage):
            try encode([.healthBefore: before, .healthAfter: after, .damage: damage])
        case .ammoLost(let weapon, let before, let after, let amount), .ammoPickup(let weapon, let before, let after, let amount):
            try encode([.weapon: weapon, .ammoBefore: before, .ammoAfter: after, .amount: amount])
        case .healthPickup(let before, let after, let amount):
            try encode([.healthBefore: before, .healthAfter: after, .amount: amount])
        case .armorPickup(let before, let after, let amount):
            try encode([.armorBefore: before, .armorAfter: after, .amount: amount])
        case .weaponPickup(let weapon):
            try encode([.weapon: weapon])
        case .itemPickup(let itemcount):
            try encode([.itemcount: itemcount])
        case .secretFound(let secretcount):
            try encode([.secretcount: secretcount])
        case .stuck(let durationTics, let radius):
            try container.encode(durationTics, forKey: .durationTics)
            try container.encode(Double(durationTics) / AgentProtocol.ticsPerSecond, forKey: .durationSeconds)
            try container.encode(radius, forKey: .radius)
        case .exitReached, .outOfBounds:
            break
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func int(_ key: CodingKeys) throws -> Int { try c.decode(Int.self, forKey: key) }
        let detail: TelemetryEventDetail
        switch try c.decode(TelemetryEventType.self, forKey: .type) {
        case .kill: detail = .kill(killcount: try int(.killcount), health: try int(.health), ammo: try int(.ammo))
        case .death: detail = .death(health: try int(.health), ammo: try int(.ammo))
        case .healthLost: detail = .healthLost(before: try int(.healthBefore), after: try int(.healthAfter), damage: try int(.damage))
        case .ammoLost:
            detail = .ammoLost(weapon: try int(.weapon), before: try int(.ammoBefore), after: try int(.ammoAfter), amount: try int(.amount))
        case .ammoPickup:
            detail = .ammoPickup(weapon: try int(.weapon), before: try int(.ammoBefore), after: try int(.ammoAfter), amount: try int(.amount))
        case .healthPickup: detail = .healthPickup(before: try int(.healthBefore), after: try int(.healthAfter), amount: try int(.amount))
        case .armorPickup: detail = .armorPickup(before: try int(.armorBefore), after: try int(.armorAfter), amount: try int(.amount))
        case .weaponPickup: detail = .weaponPickup(weapon: try int(.weapon))
        case .itemPickup: detail = .itemPickup(itemcount: try int(.itemcount))
        case .secretFound: detail = .secretFound(secretcount: try int(.secretcount))
        case .exitReached: detail = .exitReached
        case .stuck: detail = .stuck(durationTics: try int(.durationTics), radius: try c.decode(Double.self, forKey: .radius))
        case .outOfBounds: detail = .outOfBounds
        }
        self.init(frame: try int(.frame), x: try c.decode(Double.self, forKey: .x), y: try c.decode(Double.self, forKey: .y), detail: detail)
    }
}
