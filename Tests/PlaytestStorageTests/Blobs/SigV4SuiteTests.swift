import Foundation
import Testing

@testable import PlaytestStorage

/// The AWS Signature Version 4 test suite (aws-sig-v4-test-suite): example credentials, region
/// us-east-1, service "service", 2015-08-30T12:36:00Z. Expected values are the published ones.
struct SigV4SuiteTests {
    static let date = Date(timeIntervalSince1970: 1_440_938_160)
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let credentials = SigV4Signer.Credentials(
        accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    )

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var path = "/"
        var query: [SigV4Signer.QueryItem] = []
        var extraHeaders: [SigV4Signer.Header] = []
        var body = ""
        var signedHeaders = "host;x-amz-date"
        var signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "get-vanilla", signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "post-vanilla", method: "POST",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ),
        Vector(
            name: "get-vanilla-query-order-key-case",
            query: [.init("Param2", "value2"), .init("Param1", "value1")],
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
        Vector(
            name: "get-vanilla-query-order-key",
            query: [.init("Param1", "value2"), .init("Param1", "Value1")],
            signature: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"
        ),
        Vector(
            name: "get-vanilla-query-order-value",
            query: [.init("Param1", "value2"), .init("Param1", "value1")],
            signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"
        ),
        Vector(
            name: "get-vanilla-empty-query-key", query: [.init("Param1", "value1")],
            signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"
        ),
        Vector(
            name: "get-vanilla-query-unreserved",
            query: [
                .init(
                    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                )
            ],
            signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"
        ),
        Vector(
            name: "get-vanilla-utf8-query", query: [.init("\u{1234}", "bar")],
            signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"
        ),
        Vector(
            name: "get-unreserved", path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"
        ),
        Vector(
            name: "get-utf8", path: "/\u{1234}",
            signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"
        ),
        Vector(
            name: "get-space", path: "/example space/",
            signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"
        ),
        Vector(
            name: "get-header-key-duplicate",
            extraHeaders: [.init("My-Header1", "value2"), .init("My-Header1", "value2"), .init("My-Header1", "value1")],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"
        ),
        Vector(
            name: "get-header-value-order",
            extraHeaders: [
                .init("My-Header1", "value4"), .init("My-Header1", "value1"),
                .init("My-Header1", "value3"), .init("My-Header1", "value2"),
            ],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"
        ),
        Vector(
            name: "get-header-value-trim",
            extraHeaders: [.init("My-Header1", " value1"), .init("My-Header2", "\"a   b   c\"")],
            signedHeaders: "host;my-header1;my-header2;x-amz-date",
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        ),
        Vector(
            name: "post-header-key-case", method: "POST",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ),
        Vector(
            name: "post-header-value-case", method: "POST", extraHeaders: [.init("My-Header1", "VALUE1")],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"
        ),
        Vector(
            name: "post-vanilla-query", method: "POST", query: [.init("Param1", "value1")],
            signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"
        ),
        Vector(
            name: "post-vanilla-query-nonunreserved", method: "POST",
            query: [.init("@#$%^&+", "/,?><`\";:\\|][{}")],
            signature: "88d3e39e4fa54b971f51c0a09140368e1a51aafb76c4652d9998f93cf3038074"
        ),
        Vector(
            name: "post-x-www-form-urlencoded", method: "POST",
            extraHeaders: [.init("Content-Type", "application/x-www-form-urlencoded")],
            body: "Param1=value1", signedHeaders: "content-type;host;x-amz-date",
            signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        ),
    ]

    static func request(_ vector: Vector) -> SigV4Signer.Request {
        SigV4Signer.Request(
            method: vector.method, path: vector.path, query: vector.query,
            headers: [.init("Host", "example.amazonaws.com")] + vector.extraHeaders
                + [.init("X-Amz-Date", "20150830T123600Z")]
        )
    }

    static func signer(_ paths: SigV4Signer.PathHandling = .s3) -> SigV4Signer {
        SigV4Signer(credentials: credentials, region: "us-east-1", service: "service", pathHandling: paths)
    }

    @Test(arguments: vectors)
    func signsThePublishedAuthorizationHeader(_ vector: Vector) {
        let signed = Self.signer().sign(
            Self.request(vector), payload: .hash(of: Data(vector.body.utf8)), date: Self.date
        )
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)"
        )
    }

    @Test func getVanillaIntermediateStepsMatchThePublishedOnes() {
        let vector = Self.vectors[0]
        let signer = Self.signer()
        let canonical = signer.canonicalRequest(Self.request(vector), payload: .empty)
        #expect(canonical == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(Self.emptyHash)")
        #expect(
            signer.stringToSign(canonicalRequest: canonical, date: Self.date)
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        )
    }

    @Test func headerValuesAreTrimmedAndDuplicatesJoinedInOrder() throws {
        let trim = Self.vectors.first { $0.name == "get-header-value-trim" }
        let duplicate = Self.vectors.first { $0.name == "get-header-key-duplicate" }
        let signer = Self.signer()
        let trimmed = try #require(trim.map { signer.canonicalRequest(Self.request($0), payload: .empty) })
        #expect(trimmed.contains("\nmy-header1:value1\nmy-header2:\"a b c\"\n"))
        let joined = try #require(duplicate.map { signer.canonicalRequest(Self.request($0), payload: .empty) })
        #expect(joined.contains("\nmy-header1:value2,value2,value1\n"))
    }

    @Test func formBodyIsHashedIntoTheCanonicalRequest() {
        let vector = Self.vectors.first { $0.name == "post-x-www-form-urlencoded" }
        let signer = Self.signer()
        let canonical = vector.map { signer.canonicalRequest(Self.request($0), payload: .hash(of: Data($0.body.utf8))) }
        #expect(canonical?.hasSuffix("\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e") == true)
        let toSign = canonical.map { signer.stringToSign(canonicalRequest: $0, date: Self.date) }
        #expect(toSign?.hasSuffix("\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281") == true)
    }

    @Test func utf8QueryIsPercentEncodedOnce() {
        let vector = Self.vectors.first { $0.name == "get-vanilla-utf8-query" }
        let canonical = vector.map { Self.signer().canonicalRequest(Self.request($0), payload: .empty) }
        #expect(canonical?.split(separator: "\n", omittingEmptySubsequences: false)[2] == "%E1%88%B4=bar")
    }

    /// The get-slash family normalizes paths; S3 must not (an object key may contain `//`), so the
    /// signer offers both and the S3 store uses `.s3`.
    @Test(arguments: [
        ("get-slash", "//", "/"),
        ("get-slashes", "//example//", "/example/"),
        ("get-slash-dot-slash", "/./", "/"),
        ("get-slash-pointless-dot", "/./example", "/example"),
        ("get-relative", "/example/..", "/"),
        ("get-relative-relative", "/example1/example2/../..", "/"),
    ])
    func normalizedPathsMatchTheSuite(name: String, path: String, canonical: String) {
        let expected: [String: String] = [
            "get-slash": "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            "get-slashes": "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
            "get-slash-dot-slash": "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            "get-slash-pointless-dot": "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5",
            "get-relative": "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            "get-relative-relative": "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ]
        let request = Self.request(Vector(name: name, path: path, signature: ""))
        let normalized = Self.signer(.normalized)
        #expect(normalized.canonicalRequest(request, payload: .empty).split(separator: "\n")[1] == canonical)
        #expect(normalized.sign(request, payload: .empty, date: Self.date).signature == expected[name])
        // In S3 mode the path is signed as sent.
        let s3 = Self.signer(.s3).canonicalRequest(request, payload: .empty)
        #expect(s3.split(separator: "\n")[1] == Substring(SigV4Encoding.path(path)))
    }

    @Test func signingDateIsFormattedInUTC() {
        let date = SigV4Date(Date(timeIntervalSince1970: 1_440_938_160))
        #expect(date.timestamp == "20150830T123600Z")
        #expect(date.day == "20150830")
        #expect(SigV4Date(Date(timeIntervalSince1970: 951_825_599)).timestamp == "20000229T115959Z")
        #expect(SigV4Date(Date(timeIntervalSince1970: 0)).timestamp == "19700101T000000Z")
    }
}
