/// What a user may do (seed 001's `users.role`): a viewer reads; a user also uploads maps, starts and stops runs, and
/// changes or deletes what they own; an admin does everything, including users, other people's keys and the queue.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer
    case user
    case admin

    /// viewer < user < admin: each role may do what the ones below it may.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .user: 1
        case .admin: 2
        }
    }
}
