extension JSONValue {
    /// This value with a JSON Merge Patch (RFC 7396) applied: an object patch merges member by member, a `null`
    /// member removes that member, anything else replaces the value whole.
    public func mergePatched(with patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let members) = self { result = members } else { result = [:] }
        for (key, change) in changes {
            if change == .null {
                result[key] = nil
            } else {
                result[key] = (result[key] ?? .null).mergePatched(with: change)
            }
        }
        return .object(result)
    }
}
