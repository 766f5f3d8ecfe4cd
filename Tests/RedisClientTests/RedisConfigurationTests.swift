import Testing
@testable import RedisClient

@Suite("Redis URL parsing")
struct RedisConfigurationTests {
    @Test func minimalURLUsesDefaults() throws {
        let configuration = try RedisConfiguration(url: "redis://localhost")
        #expect(configuration.host == "localhost")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
    }

    @Test func fullURL() throws {
        let configuration = try RedisConfiguration(url: "redis://app:s%40cret@10.0.0.5:6390/3?timeout=250ms&pool=4")
        #expect(configuration.host == "10.0.0.5")
        #expect(configuration.port == 6390)
        #expect(configuration.database == 3)
        #expect(configuration.username == "app")
        #expect(configuration.password == "s@cret")
        #expect(configuration.commandTimeout == .milliseconds(250))
        #expect(configuration.poolSize == 4)
    }

    @Test func passwordWithoutUser() throws {
        let configuration = try RedisConfiguration(url: "redis://:hunter2@127.0.0.1:6379/0")
        #expect(configuration.username == nil)
        #expect(configuration.password == "hunter2")
        #expect(try RedisConfiguration(url: "redis://hunter2@h").password == "hunter2")
    }

    @Test func ipv6Host() throws {
        let configuration = try RedisConfiguration(url: "redis://[::1]:7000/2")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 7000)
        #expect(configuration.endpoint == "[::1]:7000")
    }

    @Test func timeoutInSeconds() throws {
        #expect(try RedisConfiguration(url: "redis://h?timeout=2").commandTimeout == .seconds(2))
        #expect(try RedisConfiguration(url: "redis://h?timeout=1.5s").commandTimeout == .milliseconds(1500))
    }

    @Test func descriptionHidesThePassword() throws {
        let configuration = try RedisConfiguration(url: "redis://app:topsecret@h:1/2")
        #expect(configuration.description == "redis://app:***@h:1/2")
        #expect(!"\(configuration)".contains("topsecret"))
    }

    @Test(arguments: [
        ("http://localhost", RedisConfigurationError.badScheme("http")),
        ("rediss://localhost", .badScheme("rediss (TLS is not supported)")),
        ("localhost:6379", .badScheme("localhost:6379")),
        ("", .badScheme("(empty)")),
        ("redis://", .missingHost),
        ("redis://:6379", .missingHost),
        ("redis://localhost:abc", .badPort("abc")),
        ("redis://localhost:0", .badPort("0")),
        ("redis://localhost:70000", .badPort("70000")),
        ("redis://localhost:", .badPort("")),
        ("redis://localhost/x", .badDatabase("x")),
        ("redis://localhost/-1", .badDatabase("-1")),
        ("redis://localhost?timeout=soon", .badOption(name: "timeout", value: "soon")),
        ("redis://localhost?pool=0", .badOption(name: "pool", value: "0")),
        ("redis://localhost?tls=yes", .badOption(name: "tls", value: "yes")),
        ("redis://u:%zz@localhost", .badCredentials("'%' must be followed by two hex digits")),
    ])
    func malformedURLsNameWhatIsWrong(url: String, expected: RedisConfigurationError) {
        #expect(throws: expected) { try RedisConfiguration(url: url) }
    }

    @Test func errorMessagesNameThePart() {
        #expect(RedisConfigurationError.badPort("abc").description.contains("port 'abc'"))
        #expect(RedisConfigurationError.badDatabase("x").description.contains("database 'x'"))
        #expect(RedisConfigurationError.badScheme("http").description.contains("redis://"))
    }
}
