@testable import PlaytestCore

/// Hand-built maps and sample sequences for the telemetry tests.
enum TelemetryFixtures {
    /// Three square rooms 256 units wide, y from 0 to 256:
    /// sector 0 at x 0…256 (player start at 128,128), sector 1 at x 256…512 joined to it by a two-sided line,
    /// and sector 2 at x 1024…1280, closed off (unreachable). Everything else is void.
    static func threeRooms() -> DoomMap {
        var map = DoomMap(name: "MAP01", format: .doom, things: [Thing(x: 128, y: 128, angle: 0, type: 1)],
                          linedefs: [], sidedefs: [], vertices: [], sectors: [Sector(), Sector(), Sector()])
        func vertex(_ x: Double, _ y: Double) -> Int {
            map.vertices.append(Vertex(x: x, y: y))
            return map.vertices.count - 1
        }
        func wall(_ a: Int, _ b: Int, sector: Int) {
            map.sidedefs.append(Sidedef(middleTexture: "STARTAN3", sector: sector))
            map.linedefs.append(Linedef(start: a, end: b, frontSide: map.sidedefs.count - 1))
        }
        // Clockwise in y-up coordinates keeps each room on the lines' right (front) side.
        let a0 = vertex(0, 0), a1 = vertex(0, 256), shared1 = vertex(256, 256), shared0 = vertex(256, 0)
        let b1 = vertex(512, 256), b0 = vertex(512, 0)
        wall(a0, a1, sector: 0)
        wall(a1, shared1, sector: 0)
        wall(shared0, a0, sector: 0)
        wall(shared1, b1, sector: 1)
        wall(b1, b0, sector: 1)
        wall(b0, shared0, sector: 1)
        map.sidedefs.append(Sidedef(sector: 0))
        map.sidedefs.append(Sidedef(sector: 1))
        map.linedefs.append(Linedef(start: shared1, end: shared0, flags: Linedef.twoSidedFlag,
                                    frontSide: map.sidedefs.count - 2, backSide: map.sidedefs.count - 1))
        let c0 = vertex(1024, 0), c1 = vertex(1024, 256), c2 = vertex(1280, 256), c3 = vertex(1280, 0)
        wall(c0, c1, sector: 2)
        wall(c1, c2, sector: 2)
        wall(c2, c3, sector: 2)
        wall(c3, c0, sector: 2)
        return map
    }

    static let threeRoomsMap = TelemetryMap(geometry: MapGeometry(threeRooms()))

    /// A sample `tics` tics after the previous one, changing what `change` changes.
    static func next(after sample: StepSample, tics: Int = 4, _ change: (inout StepSample) -> Void = { _ in }) -> StepSample {
        var next = sample
        next.step += 1
        next.tic += tics
        change(&next)
        return next
    }

    /// A long, plausible episode from a seeded random walk: the player wanders, fires, gets hit, picks things up,
    /// kills, finds secrets, switches weapons, and may die. One sample per step of 4 tics.
    static func randomEpisode(seed: UInt64, steps: Int = 600) -> [StepSample] {
        var random = AgentFuzzRandom(seed: seed)
        var sample = StepSample(step: 1, tic: 4, x: 128, y: 128)
        var samples = [sample]
        var held: [Int: Int] = [2: 50]
        for _ in 1..<steps {
            sample = next(after: sample) { s in
                let roll = Int.random(in: 0..<100, using: &random)
                if roll < 30 {
                    s.x += Double.random(in: -24...24, using: &random)
                    s.y += Double.random(in: -24...24, using: &random)
                } else if roll < 45, s.ammo > 0 {
                    s.ammo -= Int.random(in: 1...min(3, s.ammo), using: &random)
                } else if roll < 52 {
                    let damage = Int.random(in: 1...20, using: &random)
                    s.health -= damage
                    s.damageTaken += damage
                } else if roll < 56 {
                    s.health = min(200, s.health + Int.random(in: 1...25, using: &random))
                    s.itemcount += Int.random(in: 0...1, using: &random)
                } else if roll < 58 {
                    s.armor += 100
                } else if roll < 61 {
                    s.ammo += 10
                } else if roll < 65 {
                    s.killcount += Int.random(in: 1...2, using: &random)
                } else if roll < 66 {
                    s.secretcount += 1
                } else if roll < 68 {
                    s.itemcount += 1
                } else if roll < 71 {
                    held[s.weapon] = s.ammo
                    let weapon = Int.random(in: 2...5, using: &random)
                    s.weapon = weapon
                    s.ammo = held[weapon] ?? 20
                }
            }
            if sample.health <= 0 { sample.dead = true }
            samples.append(sample)
            if sample.dead { break }
        }
        return samples
    }

    /// The episode_end an agent would send after these samples.
    static func end(after samples: [StepSample], reason: EpisodeEndReason? = nil) -> EpisodeEndMessage {
        let last = samples.last ?? StepSample(step: 1, tic: 0)
        return EpisodeEndMessage(episode: last.episode, reason: reason ?? (last.dead ? .death : .timeout), tics: last.tic,
                                 steps: last.step, killcount: last.killcount, itemcount: last.itemcount,
                                 secretcount: last.secretcount, health: last.health, armor: last.armor,
                                 damageTaken: last.damageTaken, dead: last.dead, x: last.x, y: last.y)
    }
}
