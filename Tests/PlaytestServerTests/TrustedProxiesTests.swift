@testable import PlaytestServer
import Testing

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    @Test("addresses and ranges, IPv4 and IPv6; an IPv4-mapped peer is its IPv4 address")
    func matches() {
        let proxies = TrustedProxies(["10.0.0.5", "172.16.0.0/12", "fd00::/8"])
        #expect(proxies.contains("10.0.0.5"))
        #expect(!proxies.contains("10.0.0.6"))
        #expect(proxies.contains("172.20.3.4") && proxies.contains("172.31.255.255"))
        #expect(!proxies.contains("172.32.0.1"))
        #expect(proxies.contains("::ffff:172.18.0.2"))
        #expect(proxies.contains("fd12:3456::1"))
        #expect(!proxies.contains("fe80::1"))
        #expect(!proxies.contains("not an address"))
        #expect(TrustedProxies([]).contains("10.0.0.5") == false)
    }
}
