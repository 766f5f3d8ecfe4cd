/// Events are written flat, as the logs endpoint shows them: `{"frame", "timestamp", "type", "x", "y", …}` with the
/// fields of the event's kind next to them (e.g. `before`, `after`, `damage` for `health_lost`).
extension TelemetryEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case frame, timestamp, type, x, y
        case killcount, before, after, damage, amount, weapon, itemcount, secretcount, radius
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
        switch detail {
        case .kill(let killcount):
            try container.encode(killcount, forKey: .killcount)
        case .healthLost(let before, let after, let damage):
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
            try container.encode(damage, forKey: .damage)
        case .ammoUsed(let weapon, let before, let after, let amount), .ammoPickup(let weapon, let before, let after, let amount):
            try container.encode(weapon, forKey: .weapon)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
            try container.encode(amount, forKey: .amount)
        case .healthPickup(let before, let after, let amount), .armorPickup(let before, let after, let amount):
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
            try container.encode(amount, forKey: .amount)
        case .weaponPickup(let weapon):
            try container.encode(weapon, forKey: .weapon)
        case .itemPickup(let itemcount):
            try container.encode(itemcount, forKey: .itemcount)
        case .secretFound(let secretcount):
            try container.encode(secretcount, forKey: .secretcount)
        case .stuck(let durationTics, let radius):
            try container.encode(durationTics, forKey: .durationTics)
            try container.encode(Double(durationTics) / AgentProtocol.ticsPerSecond, forKey: .durationSeconds)
            try container.encode(radius, forKey: .radius)
        case .death, .exitReached, .outOfBounds:
            break
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let frame = try c.decode(Int.self, forKey: .frame)
        let x = try c.decode(Double.self, forKey: .x)
        let y = try c.decode(Double.self, forKey: .y)
        let detail: TelemetryEventDetail
        switch try c.decode(TelemetryEventType.self, forKey: .type) {
        case .kill: detail = .kill(killcount: try c.decode(Int.self, forKey: .killcount))
        case .death: detail = .death
        case .healthLost:
            detail = .healthLost(before: try c.decode(Int.self, forKey: .before), after: try c.decode(Int.self, forKey: .after),
                                 damage: try c.decode(Int.self, forKey: .damage))
        case .ammoUsed:
            detail = .ammoUsed(weapon: try c.decode(Int.self, forKey: .weapon), before: try c.decode(Int.self, forKey: .before),
                               after: try c.decode(Int.self, forKey: .after), amount: try c.decode(Int.self, forKey: .amount))
        case .ammoPickup:
            detail = .ammoPickup(weapon: try c.decode(Int.self, forKey: .weapon), before: try c.decode(Int.self, forKey: .before),
                                 after: try c.decode(Int.self, forKey: .after), amount: try c.decode(Int.self, forKey: .amount))
        case .healthPickup:
            detail = .healthPickup(before: try c.decode(Int.self, forKey: .before), after: try c.decode(Int.self, forKey: .after),
                                   amount: try c.decode(Int.self, forKey: .amount))
        case .armorPickup:
            detail = .armorPickup(before: try c.decode(Int.self, forKey: .before), after: try c.decode(Int.self, forKey: .after),
                                  amount: try c.decode(Int.self, forKey: .amount))
        case .weaponPickup: detail = .weaponPickup(weapon: try c.decode(Int.self, forKey: .weapon))
        case .itemPickup: detail = .itemPickup(itemcount: try c.decode(Int.self, forKey: .itemcount))
        case .secretFound: detail = .secretFound(secretcount: try c.decode(Int.self, forKey: .secretcount))
        case .exitReached: detail = .exitReached
        case .stuck:
            detail = .stuck(durationTics: try c.decode(Int.self, forKey: .durationTics), radius: try c.decode(Double.self, forKey: .radius))
        case .outOfBounds: detail = .outOfBounds
        }
        self.init(frame: frame, x: x, y: y, detail: detail)
    }
}
