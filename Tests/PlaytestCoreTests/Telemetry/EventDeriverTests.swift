import Testing
@testable import PlaytestCore

@Suite("EventDeriver")
struct EventDeriverTests {
    typealias F = TelemetryFixtures

    static let start = StepSample(step: 1, tic: 4, x: 128, y: 128, health: 100, armor: 0, ammo: 50, weapon: 2)

    func derive(_ samples: [StepSample], end: EpisodeEndMessage? = nil) -> EventDeriver {
        EventDeriver.derive(samples: samples, end: end)
    }

    func details(_ deriver: EventDeriver) -> [TelemetryEventDetail] { deriver.events.map(\.detail) }

    @Test func aQuietEpisodeHasNoEvents() {
        let samples = [Self.start, F.next(after: Self.start), F.next(after: F.next(after: Self.start))]
        #expect(derive(samples).events.isEmpty)
    }

    @Test func everyKillIsOneEventEvenWhenTheCounterJumps() {
        let second = F.next(after: Self.start, tics: 40) { $0.killcount = 2 }
        let third = F.next(after: second) { $0.killcount = 3 }
        let events = derive([Self.start, second, third]).events
        #expect(events.map(\.detail) == [
            .kill(killcount: 1, health: 100, ammo: 50), .kill(killcount: 2, health: 100, ammo: 50), .kill(killcount: 3, health: 100, ammo: 50),
        ])
        #expect(events.map(\.frame) == [44, 44, 48])
        #expect(events[0].timestamp == 44.0 / 35.0)
        #expect(events[0].x == 128)
    }

    @Test func countersStartAtZeroSoTheFirstSampleCanCarryEvents() {
        var first = Self.start
        first.killcount = 1
        first.secretcount = 1
        #expect(details(derive([first])) == [.secretFound(secretcount: 1), .kill(killcount: 1, health: 100, ammo: 50)])
    }

    /// Seed 001's episode: 100 → −16 after a gib death is 116 health lost, and the health stays what the engine says.
    @Test func healthIsTheEnginesEvenBelowZeroAfterAGibDeath() {
        let hit = F.next(after: Self.start) { $0.health = 88 }
        let gibbed = F.next(after: hit) {
            $0.health = -16
            $0.dead = true
        }
        let deriver = derive([Self.start, hit, gibbed])
        #expect(details(deriver) == [
            .healthLost(before: 100, after: 88, damage: 12), .healthLost(before: 88, after: -16, damage: 104), .death(health: -16, ammo: 50),
        ])
        #expect(deriver.healthLost == 116)
        #expect(deriver.died)
        #expect(deriver.healthTimeline.map(\.health) == [100, 88, -16])
        #expect(EpisodeMetrics(derivation: deriver).finalHealth == -16)
    }

    @Test func ammoUsedIsTheSameWeaponsAmmoGoingDown() {
        let fired = F.next(after: Self.start) { $0.ammo = 47 }
        let switched = F.next(after: fired) {
            $0.weapon = 3
            $0.ammo = 8
        }
        let firedShotgun = F.next(after: switched) { $0.ammo = 7 }
        let back = F.next(after: firedShotgun) {
            $0.weapon = 2
            $0.ammo = 47
        }
        let again = F.next(after: back) {
            $0.weapon = 3
            $0.ammo = 7
        }
        let deriver = derive([Self.start, fired, switched, firedShotgun, back, again])
        #expect(details(deriver) == [
            .ammoLost(weapon: 2, before: 50, after: 47, amount: 3),
            .weaponPickup(weapon: 3),
            .ammoLost(weapon: 3, before: 8, after: 7, amount: 1),
        ])
        #expect(deriver.ammoUsed == 4)
    }

    @Test func pickupsComeFromIncreasesAndTheItemCounter() {
        let medikit = F.next(after: Self.start) { $0.health = 100 } // no change
        let hurt = F.next(after: medikit) { $0.health = 60 }
        let healed = F.next(after: hurt) { $0.health = 85 }
        let armor = F.next(after: healed) { $0.armor = 100 }
        let clip = F.next(after: armor) { $0.ammo = 60 }
        let bonus = F.next(after: clip) {
            $0.health = 86
            $0.itemcount = 1
        }
        let map = F.next(after: bonus) { $0.itemcount = 3 }
        let secret = F.next(after: map) { $0.secretcount = 1 }
        #expect(details(derive([Self.start, medikit, hurt, healed, armor, clip, bonus, map, secret])) == [
            .healthLost(before: 100, after: 60, damage: 40),
            .healthPickup(before: 60, after: 85, amount: 25),
            .armorPickup(before: 0, after: 100, amount: 100),
            .ammoPickup(weapon: 2, before: 50, after: 60, amount: 10),
            .healthPickup(before: 85, after: 86, amount: 1), // a health bonus counts as an item but is one event
            .itemPickup(itemcount: 2), .itemPickup(itemcount: 3),
            .secretFound(secretcount: 1),
        ])
    }

    @Test func theEndOfTheEpisodeAddsExitAndFinalChanges() {
        let walked = F.next(after: Self.start, tics: 100) { $0.x = 300 }
        let end = EpisodeEndMessage(reason: .exit, tics: 140, steps: 3, killcount: 1, health: 90, x: 310, y: 128)
        let deriver = derive([Self.start, walked], end: end)
        #expect(details(deriver) == [.healthLost(before: 100, after: 90, damage: 10), .kill(killcount: 1, health: 90, ammo: 50), .exitReached])
        #expect(deriver.events.map(\.frame) == [140, 140, 140])
        #expect(deriver.events.last?.x == 310)
        #expect(deriver.isFinished)
    }

    @Test func aDeathTheSamplesMissedComesFromTheEpisodeEnd() {
        let end = EpisodeEndMessage(reason: .death, tics: 20, steps: 5, health: -5, dead: true)
        #expect(details(derive([Self.start], end: end)) == [.healthLost(before: 100, after: -5, damage: 105), .death(health: -5, ammo: 50)])
    }

    @Test func anEpisodeWithoutSamplesStillGetsItsCountersFromTheEnd() {
        let end = EpisodeEndMessage(reason: .death, tics: 290, steps: 70, killcount: 1, health: -24, dead: true)
        // No sample: health has no baseline, so no health_lost, but the kill and the death are known.
        #expect(details(derive([], end: end)) == [.kill(killcount: 1, health: -24, ammo: 0), .death(health: -24, ammo: 0)])
    }

    @Test func deathIsReportedOnceAndHealthDoesNotComeBack() {
        let dead = F.next(after: Self.start) {
            $0.health = 0
            $0.dead = true
        }
        let stillDead = F.next(after: dead) { $0.health = 0 }
        let end = EpisodeEndMessage(reason: .death, tics: stillDead.tic, health: 0, dead: true)
        let events = derive([Self.start, dead, stillDead], end: end).events
        #expect(events.count { $0.type == .death } == 1)
    }

    @Test func duplicateAndOutOfOrderSamplesAreSkipped() {
        let second = F.next(after: Self.start) { $0.killcount = 1 }
        var deriver = EventDeriver()
        deriver.ingest(contentsOf: [Self.start, second])
        #expect(deriver.ingest(second).isEmpty) // a retried batch
        #expect(deriver.ingest(Self.start).isEmpty)
        var otherEpisode = F.next(after: second) { $0.killcount = 5 }
        otherEpisode.episode = 1
        #expect(deriver.ingest(otherEpisode).isEmpty)
        #expect(deriver.samplesIgnored == 3)
        #expect(deriver.events.count == 1)
        deriver.finish(nil)
        #expect(deriver.ingest(F.next(after: second) { $0.killcount = 2 }).isEmpty)
    }

    /// Seed 001's names: `health_lost {health_before, health_after, damage}`, `ammo_lost {ammo_before, ammo_after,
    /// amount}`, `kill` and `death` with `health` and `ammo`.
    @Test func eventsSerializeFlatWithTheSeedsNames() throws {
        let event = TelemetryEvent(frame: 70, x: 1, y: 2, detail: .healthLost(before: 100, after: 80, damage: 20))
        let object = try JSONRoundTrip.object(event)
        #expect(object["frame"] as? Int == 70)
        #expect(object["timestamp"] as? Double == 2)
        #expect(object["type"] as? String == "health_lost")
        #expect(object["health_before"] as? Int == 100)
        #expect(object["health_after"] as? Int == 80)
        #expect(object["damage"] as? Int == 20)
        let ammo = try JSONRoundTrip.object(TelemetryEvent(frame: 7, x: 0, y: 0, detail: .ammoLost(weapon: 2, before: 56, after: 55, amount: 1)))
        #expect(ammo["type"] as? String == "ammo_lost" && ammo["ammo_before"] as? Int == 56 && ammo["ammo_after"] as? Int == 55 && ammo["amount"] as? Int == 1)
        let death = try JSONRoundTrip.object(TelemetryEvent(frame: 245, x: 0, y: 0, detail: .death(health: -16, ammo: 3)))
        #expect(death["type"] as? String == "death" && death["health"] as? Int == -16 && death["ammo"] as? Int == 3)
        let kill = try JSONRoundTrip.object(TelemetryEvent(frame: 8, x: 0, y: 0, detail: .kill(killcount: 1, health: 100, ammo: 55)))
        #expect(kill["health"] as? Int == 100 && kill["ammo"] as? Int == 55)
        let stuck = TelemetryEvent(frame: 35, x: 0, y: 0, detail: .stuck(durationTics: 700, radius: 16))
        #expect(try JSONRoundTrip.object(stuck)["duration_seconds"] as? Double == 20)
        for detail: TelemetryEventDetail in [.kill(killcount: 1, health: 9, ammo: 2), .death(health: -3, ammo: 1),
                                             .ammoLost(weapon: 2, before: 3, after: 1, amount: 2),
                                             .ammoPickup(weapon: 2, before: 1, after: 3, amount: 2),
                                             .healthPickup(before: 1, after: 2, amount: 1), .armorPickup(before: 0, after: 1, amount: 1),
                                             .weaponPickup(weapon: 3), .itemPickup(itemcount: 1), .secretFound(secretcount: 1),
                                             .exitReached, .stuck(durationTics: 350, radius: 16), .outOfBounds] {
            let event = TelemetryEvent(frame: 1, x: 3, y: 4, detail: detail)
            #expect(try JSONRoundTrip.decode(TelemetryEvent.self, from: event) == event)
        }
    }
}
