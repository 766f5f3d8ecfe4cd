/// Why a start or stop request was refused. Nothing was created.
public struct RunRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The map, run or checkpoint named does not exist.
        case notFound
        /// The request is well formed but cannot be played: unknown field, value out of range, a map name not in
        /// the WAD, a checkpoint that does not fit the action set.
        case invalid
    }

    public var kind: Kind
    /// A stable code: `map_not_found`, `checkpoint_not_found`, `invalid_request`, `checkpoint_mismatch`, …
    public var code: String
    public var message: String

    public init(_ kind: Kind, code: String, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    static func invalid(_ message: String) -> RunRequestError { RunRequestError(.invalid, code: "invalid_request", message) }

    public var description: String { message }
}
