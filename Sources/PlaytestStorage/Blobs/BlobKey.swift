/// The rules every blob key obeys, whichever store holds it.
///
/// A key is a relative, slash-separated path such as `maps/ab/abcdef.wad`. Both stores apply the
/// same rules, so a key that works embedded also works on S3 and one refused by S3 is refused
/// embedded: no key can name a file outside the folder store's root, and no key needs escaping
/// that differs between the two.
public enum BlobKey {
    /// Longest key accepted, in UTF-8 bytes (S3's own limit).
    public static let maximumLength = 1024

    /// Returns the key's path segments, or throws `BlobError.invalidKey` saying which rule it breaks.
    @discardableResult
    public static func validate(_ key: String) throws(BlobError) -> [Substring] {
        guard !key.isEmpty else { throw .invalidKey(key, reason: "the key is empty") }
        guard key.utf8.count <= maximumLength else {
            throw .invalidKey(key, reason: "the key is longer than \(maximumLength) bytes")
        }
        try checkCharacters(key)
        guard !key.hasPrefix("/") else {
            throw .invalidKey(key, reason: "absolute paths are not allowed; use a relative key such as maps/ab/file.wad")
        }
        guard !key.hasSuffix("/") else {
            throw .invalidKey(key, reason: "the key ends with '/', which names a folder, not a blob")
        }
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments {
            try checkSegment(segment, of: key)
        }
        return segments
    }

    /// Checks a listing prefix: the same characters as a key, may be empty, may end with `/`,
    /// and may end in a partial segment (`maps/a` matches `maps/ab/…`).
    public static func validatePrefix(_ prefix: String) throws(BlobError) {
        guard !prefix.isEmpty else { return }
        guard prefix.utf8.count <= maximumLength else {
            throw .invalidKey(prefix, reason: "the prefix is longer than \(maximumLength) bytes")
        }
        try checkCharacters(prefix)
        guard !prefix.hasPrefix("/") else {
            throw .invalidKey(prefix, reason: "absolute paths are not allowed in a prefix")
        }
        var segments = prefix.split(separator: "/", omittingEmptySubsequences: false)
        // The last piece is a partial name ("" after a trailing slash, or "ab" in "maps/ab").
        let last = segments.removeLast()
        for segment in segments {
            try checkSegment(segment, of: prefix)
        }
        if last == "." || last == ".." {
            throw .invalidKey(prefix, reason: "'\(last)' segments are not allowed")
        }
    }

    private static func checkCharacters(_ key: String) throws(BlobError) {
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\0":
                throw .invalidKey(key, reason: "the key contains a NUL character")
            case "\\":
                throw .invalidKey(key, reason: "backslashes are not allowed; separate segments with '/'")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                throw .invalidKey(key, reason: "the key contains a control character (U+\(hex(scalar.value)))")
            default:
                continue
            }
        }
    }

    private static func checkSegment(_ segment: Substring, of key: String) throws(BlobError) {
        if segment.isEmpty {
            throw .invalidKey(key, reason: "empty segments ('//') are not allowed")
        }
        if segment == ".." {
            throw .invalidKey(key, reason: "'..' segments would escape the blob store")
        }
        if segment == "." {
            throw .invalidKey(key, reason: "'.' segments are not allowed")
        }
        if segment.hasPrefix(".") {
            throw .invalidKey(key, reason: "segments may not start with '.' (names like '\(segment)' are reserved for the store)")
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
