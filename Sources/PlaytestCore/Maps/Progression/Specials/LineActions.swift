/// The one place that turns a linedef's special into a `LineAction`, whatever the map's format.
public enum LineActions {
    /// What the line's special does; nil for a line without a special. A special no table knows comes back
    /// with the effect `.unknown`, so the planner can say it could not model it.
    public static func action(of line: Linedef, in map: DoomMap) -> LineAction? {
        guard line.special != 0 else { return nil }
        if map.usesHexenSpecials {
            return HexenSpecials.action(special: line.special, args: line.args, flags: line.flags)
        }
        if let action = DoomSpecials.action(special: line.special, tag: line.tag)
            ?? BoomGeneralizedSpecials.action(special: line.special, tag: line.tag) {
            return action
        }
        return LineAction(special: line.special, activation: .none, repeatable: false, target: .tag(line.tag),
                          effect: .unknown, name: "special \(line.special)")
    }
}
