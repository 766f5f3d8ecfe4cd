/// Derives an episode's event timeline from its `step` telemetry, never from what the agent claims happened.
///
/// Feed samples as they arrive (``ingest(_:)``), in any batch sizes, then ``finish(_:)`` with the episode's
/// `episode_end`; the result is the same as ``derive(samples:end:map:configuration:)`` on the whole episode.
/// Each sample is compared with the previous one, so telemetry sampled every K steps works: a counter that jumps
/// by n gives n events. Duplicate or out-of-order samples (a retried batch) are skipped.
///
/// The rules for each event type are in docs/telemetry.md.
public struct EventDeriver: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var stuck: StuckDetector.Configuration
        /// Weapon slots the player holds from the start (1 fist, 2 pistol); switching to any other slot for the first
        /// time in an episode is a `weapon_pickup`.
        public var startingWeapons: Set<Int>
        /// Grid cell size for coverage heatmaps, in map units.
        public var coverageCellSize: Double
        /// The most events one counter jump between two samples gives (`kill`, `item_pickup`, `secret_found`), so a
        /// corrupt counter cannot flood the timeline; no Doom map comes near it.
        public var maximumEventsPerJump: Int

        public init(stuck: StuckDetector.Configuration = .init(), startingWeapons: Set<Int> = [1, 2],
                    coverageCellSize: Double = CoverageTracker.defaultCellSize, maximumEventsPerJump: Int = 10_000) {
            self.stuck = stuck
            self.startingWeapons = startingWeapons
            self.coverageCellSize = coverageCellSize
            self.maximumEventsPerJump = maximumEventsPerJump
        }
    }

    public let configuration: Configuration
    private let map: TelemetryMap?

    /// The timeline so far, ordered by frame (events of one frame in the order they were derived).
    public private(set) var events: [TelemetryEvent] = []
    /// The episode the samples belong to (from the first sample or the initializer).
    public private(set) var episode: Int?
    /// The last sample accepted.
    public private(set) var lastSample: StepSample?
    public private(set) var samplesAccepted = 0
    /// Samples skipped: duplicates, tics going backwards, another episode's samples, negative tics or counts, anything
    /// after ``finish(_:)``.
    public private(set) var samplesIgnored = 0
    public private(set) var end: EpisodeEndMessage?
    public private(set) var isFinished = false

    public private(set) var stuckDetector: StuckDetector
    public private(set) var outOfBounds = OutOfBoundsDetector()
    public private(set) var coverage: CoverageTracker
    public private(set) var healthTimeline: [HealthPoint] = []
    public private(set) var stuckSpots: [StuckSpot] = []

    /// Health points lost over the episode (the sum of `health_lost` damages).
    public private(set) var healthLost = 0
    /// Ammo spent over the episode (the sum of `ammo_lost` amounts).
    public private(set) var ammoUsed = 0
    public private(set) var died = false
    private var heldWeapons: Set<Int>
    private var exitReached = false

    public init(episode: Int? = nil, map: TelemetryMap? = nil, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.map = map
        self.episode = episode
        self.stuckDetector = StuckDetector(configuration: configuration.stuck)
        self.coverage = CoverageTracker(cellSize: configuration.coverageCellSize, reachableSectors: map?.reachableSectors)
        self.heldWeapons = configuration.startingWeapons
    }

    /// The whole episode at once.
    public static func derive(samples: some Sequence<StepSample>, end: EpisodeEndMessage?, map: TelemetryMap? = nil,
                              configuration: Configuration = Configuration()) -> EventDeriver {
        var deriver = EventDeriver(episode: end?.episode, map: map, configuration: configuration)
        deriver.ingest(contentsOf: samples)
        deriver.finish(end)
        return deriver
    }

    /// Feeds samples in order; returns the events they produced.
    @discardableResult
    public mutating func ingest(contentsOf samples: some Sequence<StepSample>) -> [TelemetryEvent] {
        var produced: [TelemetryEvent] = []
        for sample in samples { produced += ingest(sample) }
        return produced
    }

    /// Feeds one sample; returns the events it produced (a `stuck` event carries the earlier frame where the still
    /// period began).
    @discardableResult
    public mutating func ingest(_ sample: StepSample) -> [TelemetryEvent] {
        guard !isFinished, sample.isPlausible, episode == nil || sample.episode == episode else {
            samplesIgnored += 1
            return []
        }
        if let last = lastSample, sample.step <= last.step || sample.tic < last.tic {
            samplesIgnored += 1
            return []
        }
        episode = sample.episode
        samplesAccepted += 1
        let produced = observe(sample, comparesAmmo: true)
        lastSample = sample
        return produced
    }

    /// Ends the episode with its `episode_end` (nil when the agent never sent one, e.g. it crashed): the final totals
    /// are compared with the last sample like one more sample, then `exit_reached`, a missing `death`, and a stuck
    /// spot the player was still in are added. An `episode_end` of another episode is ignored. Returns the events this
    /// produced; later calls do nothing.
    @discardableResult
    public mutating func finish(_ end: EpisodeEndMessage?) -> [TelemetryEvent] {
        guard !isFinished else { return [] }
        var produced: [TelemetryEvent] = []
        if let end, episode == nil || end.episode == episode {
            self.end = end
            episode = end.episode
            let last = lastSample
            if last.map({ end.tics >= $0.tic }) ?? true {
                let final = StepSample(
                    episode: end.episode, step: max(end.steps, last?.step ?? 0), tic: end.tics, x: end.x, y: end.y,
                    z: last?.z ?? 0, angle: last?.angle ?? 0, health: end.health, armor: end.armor,
                    ammo: last?.ammo ?? 0, weapon: last?.weapon ?? 0, killcount: end.killcount, itemcount: end.itemcount,
                    secretcount: end.secretcount, damageTaken: end.damageTaken, damagecount: end.damagecount,
                    hitcount: end.hitcount, dead: end.dead || end.reason == .death, action: last?.action ?? 0,
                    buttons: last?.buttons ?? [], reward: nil)
                produced += observe(final, comparesAmmo: false, healthKnown: last != nil)
                lastSample = final
            }
            if end.reason == .exit, !exitReached {
                exitReached = true
                produced.append(record(TelemetryEvent(frame: end.tics, x: end.x, y: end.y, detail: .exitReached)))
            }
        }
        if let spot = stuckDetector.finish() { produced.append(recordStuck(spot)) }
        isFinished = true
        return produced
    }

    // MARK: derivation

    private mutating func observe(_ sample: StepSample, comparesAmmo: Bool, healthKnown: Bool = true) -> [TelemetryEvent] {
        var produced: [TelemetryEvent] = []
        func emit(_ detail: TelemetryEventDetail) {
            produced.append(record(TelemetryEvent(frame: sample.tic, x: sample.x, y: sample.y, detail: detail)))
        }
        let previous = lastSample
        let dead = sample.dead || sample.health <= 0

        // Where: the map's sector for coverage and out-of-bounds, and the stuck detector.
        let sector = map?.lookup.sector(at: sample.position)
        coverage.visit(x: sample.x, y: sample.y, sector: sector)
        if map != nil, outOfBounds.observe(sector: sector, x: sample.x, y: sample.y, tic: sample.tic) {
            emit(.outOfBounds)
        }
        if let spot = stuckDetector.observe(x: sample.x, y: sample.y, tic: sample.tic, dead: dead) {
            produced.append(recordStuck(spot))
        }

        // Weapon and ammo: only the selected weapon's ammo is reported, so a switch hides ammo changes.
        var pickups = 0
        if let previous, comparesAmmo {
            if sample.weapon == previous.weapon {
                if sample.ammo < previous.ammo {
                    let amount = previous.ammo - sample.ammo
                    ammoUsed = Self.saturatingSum(ammoUsed, amount)
                    emit(.ammoLost(weapon: sample.weapon, before: previous.ammo, after: sample.ammo, amount: amount))
                } else if sample.ammo > previous.ammo {
                    pickups += 1
                    emit(.ammoPickup(weapon: sample.weapon, before: previous.ammo, after: sample.ammo,
                                     amount: sample.ammo - previous.ammo))
                }
            } else if !heldWeapons.contains(sample.weapon) {
                pickups += 1
                emit(.weaponPickup(weapon: sample.weapon))
            }
        }
        heldWeapons.insert(sample.weapon)

        // Health and armor: the first sample is the baseline. Health is the engine's own figure, below zero after a
        // gib death (seed 001's `final_health: -16`, `health_lost: 116`).
        let after = sample.health
        if let previous, healthKnown {
            let before = previous.health
            if after < before {
                let damage = Self.saturatingDifference(before, after)
                healthLost = Self.saturatingSum(healthLost, damage)
                emit(.healthLost(before: before, after: after, damage: damage))
            } else if after > before, !dead {
                pickups += 1
                emit(.healthPickup(before: before, after: after, amount: Self.saturatingDifference(after, before)))
            }
            if sample.armor > previous.armor {
                pickups += 1
                emit(.armorPickup(before: previous.armor, after: sample.armor, amount: sample.armor - previous.armor))
            }
        }
        if healthKnown, healthTimeline.last?.health != after {
            healthTimeline.append(HealthPoint(frame: sample.tic, health: after))
        }

        // Counters start at zero in every episode, so the first sample's counts are events too.
        let itemsBefore = previous?.itemcount ?? 0
        let itemsExplained = Self.saturatingSum(itemsBefore, pickups)
        if sample.itemcount > itemsExplained {
            for total in counted(from: itemsExplained, to: sample.itemcount) { emit(.itemPickup(itemcount: total)) }
        }
        let secretsBefore = previous?.secretcount ?? 0
        if sample.secretcount > secretsBefore {
            for total in counted(from: secretsBefore, to: sample.secretcount) { emit(.secretFound(secretcount: total)) }
        }
        let killsBefore = previous?.killcount ?? 0
        if sample.killcount > killsBefore {
            for total in counted(from: killsBefore, to: sample.killcount) {
                emit(.kill(killcount: total, health: sample.health, ammo: sample.ammo))
            }
        }
        if dead, !died {
            died = true
            emit(.death(health: sample.health, ammo: sample.ammo))
        }
        return produced
    }

    /// The running totals after each unit of a counter going from `before` to `after` (at most
    /// `maximumEventsPerJump` of them, the last ones).
    private func counted(from before: Int, to after: Int) -> ClosedRange<Int> {
        let first = after - before > configuration.maximumEventsPerJump ? after - max(configuration.maximumEventsPerJump, 1) + 1 : before + 1
        return first...after
    }

    private static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    /// `a − b` for `a > b`, at most `Int.max` (a corrupt health figure must not trap).
    private static func saturatingDifference(_ a: Int, _ b: Int) -> Int {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? Int.max : difference
    }

    private mutating func recordStuck(_ spot: StuckSpot) -> TelemetryEvent {
        stuckSpots.append(spot)
        return record(TelemetryEvent(frame: spot.startTic, x: spot.x, y: spot.y,
                                     detail: .stuck(durationTics: spot.durationTics, radius: configuration.stuck.radius)))
    }

    /// Adds an event to the timeline, keeping it ordered by frame (stable for equal frames).
    private mutating func record(_ event: TelemetryEvent) -> TelemetryEvent {
        if let last = events.last, last.frame > event.frame {
            var low = 0, high = events.count
            while low < high {
                let middle = (low + high) / 2
                if events[middle].frame <= event.frame { low = middle + 1 } else { high = middle }
            }
            events.insert(event, at: low)
        } else {
            events.append(event)
        }
        return event
    }
}

extension StepSample {
    /// Whether the values the decoder guarantees hold (a hand-built sample may break them): tics, counters, armor
    /// and ammo are not negative.
    var isPlausible: Bool {
        tic >= 0 && step >= 0 && armor >= 0 && ammo >= 0 && killcount >= 0 && itemcount >= 0 && secretcount >= 0
    }
}
