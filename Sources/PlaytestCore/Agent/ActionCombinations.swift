/// An Arnold-style action set named by button groups, "move_fb;turn_lr;attack": each group offers nothing or one of
/// its buttons, and the actions are every combination of one choice per group. The agent runtime builds the same set
/// (agent/playtest_agent/actions.py); the launcher uses this to check a request before any agent starts.
public struct ActionCombinations: Sendable, Hashable, CustomStringConvertible {
    public static let groups: [(name: String, buttons: [String])] = [
        ("move_fb", ["MOVE_FORWARD", "MOVE_BACKWARD"]),
        ("move_lr", ["MOVE_LEFT", "MOVE_RIGHT"]),
        ("turn_lr", ["TURN_LEFT", "TURN_RIGHT"]),
        ("look_ud", ["LOOK_UP", "LOOK_DOWN"]),
        ("attack", ["ATTACK"]),
        ("use", ["USE"]),
        ("speed", ["SPEED"]),
        ("jump", ["JUMP"]),
        ("crouch", ["CROUCH"]),
    ]

    /// The group names, in the order given.
    public let names: [String]

    public init(parsing text: String) throws(ActionCombinationsError) {
        let names = text.split(separator: ";").map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ActionCombinationsError("action_combinations is empty") }
        let known = Self.groups.map(\.name)
        let unknown = names.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw ActionCombinationsError(
                "unknown action group(s) \(unknown.joined(separator: ", ")); known: \(known.joined(separator: ", "))")
        }
        guard Set(names).count == names.count else { throw ActionCombinationsError("an action group appears twice in action_combinations") }
        self.names = names
    }

    /// The engine buttons, in order.
    public var buttons: [String] {
        names.flatMap { name in Self.groups.first { $0.name == name }?.buttons ?? [] }
    }

    /// How many discrete actions the set has: the product of (buttons + 1) over the groups.
    public var actionCount: Int {
        names.reduce(1) { count, name in count * ((Self.groups.first { $0.name == name }?.buttons.count ?? 0) + 1) }
    }

    /// The canonical text, "move_fb;turn_lr;attack".
    public var description: String { names.joined(separator: ";") }
}

public struct ActionCombinationsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
