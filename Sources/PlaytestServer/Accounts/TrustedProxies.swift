#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `PLAYTEST_TRUSTED_PROXIES`: addresses or ranges (`10.0.0.5`, `172.16.0.0/12`, `fd00::/8`) whose `X-Forwarded-For`
/// names the client; containers and Kubernetes give a proxy an address from a range, not a fixed one.
struct TrustedProxies: Sendable {
    private struct Range: Sendable {
        var bytes: [UInt8]
        var prefix: Int
    }

    private let ranges: [Range]

    init(_ entries: [String]) {
        ranges = entries.compactMap { entry in
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(of: parts[0]) else { return nil }
            let prefix = parts.count == 2 ? Int(parts[1]) ?? -1 : bytes.count * 8
            guard (0...(bytes.count * 8)).contains(prefix) else { return nil }
            return Range(bytes: bytes, prefix: prefix)
        }
    }

    var isEmpty: Bool { ranges.isEmpty }

    func contains(_ address: String) -> Bool {
        guard !ranges.isEmpty, let bytes = Self.bytes(of: address) else { return false }
        return ranges.contains { range in
            guard range.bytes.count == bytes.count else { return false }
            let whole = range.prefix / 8
            if range.bytes[..<whole] != bytes[..<whole] { return false }
            let rest = range.prefix % 8
            guard rest > 0 else { return true }
            let mask = UInt8(0xFF) << (8 - rest)
            return range.bytes[whole] & mask == bytes[whole] & mask
        }
    }

    /// 4 or 16 bytes; an IPv4-mapped IPv6 address (`::ffff:10.0.0.5`) is its IPv4 address.
    static func bytes(of address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
