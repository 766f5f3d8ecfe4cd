import Foundation
import PlaytestCore

/// How long one attempt at a run may take, per run kind, like Celery's `task_soft_time_limit` and `task_time_limit`:
/// at `soft` the agent is asked to stop (SIGTERM) and the run keeps what it played (it ends `stopped`, with the limit
/// as its reason); at `hard` the agent is killed and the run fails, naming the limit. Counted from the attempt's start.
public struct RunTimeLimits: Sendable, Equatable {
    public struct Limit: Sendable, Equatable {
        public var soft: Duration
        public var hard: Duration
        public init(soft: Duration, hard: Duration) {
            self.soft = soft
            self.hard = hard
        }
    }

    public var limits: [RunKind: Limit]

    public init(_ limits: [RunKind: Limit]) {
        self.limits = limits
    }

    /// A test run of many long episodes fits in two hours; a training run in twelve.
    public static let standard = RunTimeLimits([
        .testing: Limit(soft: .seconds(2 * 3600), hard: .seconds(2 * 3600 + 900)),
        .training: Limit(soft: .seconds(12 * 3600), hard: .seconds(12 * 3600 + 1800)),
    ])

    public subscript(kind: RunKind) -> Limit? { limits[kind] }

    /// Changes the limits from a spec such as `test=30m/45m,train=6h`: per kind (`test`, `train`), the soft limit and
    /// optionally the hard one (without it, the soft limit plus its tenth, at least a minute). Durations are a number
    /// with `s`, `m` or `h`, or several (`1h30m`). Throws a message naming the bad part.
    public func overridden(by spec: String) throws(RunTimeLimitsError) -> RunTimeLimits {
        var result = self
        for part in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let kind = Self.kind(pieces[0]) else {
                throw RunTimeLimitsError("\(part.debugDescription) is not KIND=SOFT[/HARD] with KIND test or train")
            }
            let values = pieces[1].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(values.count), let soft = Self.duration(values[0]) else {
                throw RunTimeLimitsError("\(part.debugDescription): \(values.first.map(\.debugDescription) ?? "nothing") is not a duration such as 90s, 30m, 2h or 1h30m")
            }
            let hard: Duration
            if values.count == 2 {
                guard let given = Self.duration(values[1]) else {
                    throw RunTimeLimitsError("\(part.debugDescription): \(values[1].debugDescription) is not a duration such as 90s, 30m, 2h or 1h30m")
                }
                hard = given
            } else {
                hard = soft + max(.seconds(60), soft / 10)
            }
            guard hard >= soft else { throw RunTimeLimitsError("\(part.debugDescription): the hard limit is shorter than the soft one") }
            result.limits[kind] = Limit(soft: soft, hard: hard)
        }
        return result
    }

    static func kind(_ name: String) -> RunKind? {
        switch name.trimmingCharacters(in: .whitespaces) {
        case "test", "testing": .testing
        case "train", "training": .training
        default: nil
        }
    }

    /// `90s`, `30m`, `2h`, `1h30m`: positive, at most a week.
    static func duration(_ text: String) -> Duration? {
        var seconds = 0
        var number = ""
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int(number), number.count <= 7 else { return nil }
            switch character {
            case "s": seconds += value
            case "m": seconds += value * 60
            case "h": seconds += value * 3600
            default: return nil
            }
            number = ""
        }
        guard number.isEmpty, seconds > 0, seconds <= 7 * 86_400 else { return nil }
        return .seconds(seconds)
    }

    /// "30 min", "2 h 15 min", "45 s": for reasons people read.
    static func describe(_ duration: Duration) -> String {
        let total = Int(duration.components.seconds)
        let (hours, minutes, seconds) = (total / 3600, total % 3600 / 60, total % 60)
        return [hours > 0 ? "\(hours) h" : nil, minutes > 0 ? "\(minutes) min" : nil, seconds > 0 || total == 0 ? "\(seconds) s" : nil]
            .compactMap { $0 }.joined(separator: " ")
    }
}

public struct RunTimeLimitsError: Error, CustomStringConvertible, Equatable {
    public var description: String
    init(_ description: String) {
        self.description = description
    }
}
