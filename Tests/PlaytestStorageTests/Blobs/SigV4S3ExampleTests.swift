import Foundation
import Testing

@testable import PlaytestStorage

/// The worked examples of the Amazon S3 API reference ("Signature Calculations for the
/// Authorization Header" and "Authenticating Requests: Using Query Parameters"): bucket
/// examplebucket, region us-east-1, 2013-05-24T00:00:00Z, the documentation's example keys.
struct SigV4S3ExampleTests {
    static let date = Date(timeIntervalSince1970: 1_369_353_600)
    static let host = "examplebucket.s3.amazonaws.com"
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let signer = SigV4Signer(
        credentials: .init(accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1",
        service: "s3"
    )
    static let credential = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"

    @Test func getObjectWithRange() {
        let signed = Self.signer.authorizedHeaders(
            method: "GET", host: Self.host, path: "/test.txt", headers: [.init("Range", "bytes=0-9")],
            payload: .empty, date: Self.date
        )
        let request = SigV4Signer.Request(method: "GET", path: "/test.txt", headers: Array(signed.dropLast()))
        #expect(
            Self.signer.canonicalRequest(request, payload: .empty)
                == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:\(Self.emptyHash)
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                \(Self.emptyHash)
                """
        )
        #expect(
            Self.signer.stringToSign(
                canonicalRequest: Self.signer.canonicalRequest(request, payload: .empty), date: Self.date
            ).hasSuffix("\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
        )
        #expect(
            signed.last
                == .init(
                    "authorization",
                    "AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
                )
        )
    }

    @Test func putObjectWithSignedPayload() {
        let payload = SigV4Signer.Payload.hash(of: Data("Welcome to Amazon S3.".utf8))
        #expect(payload.value == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let signed = Self.signer.authorizedHeaders(
            method: "PUT", host: Self.host, path: "/test$file.text",
            headers: [.init("Date", "Fri, 24 May 2013 00:00:00 GMT"), .init("x-amz-storage-class", "REDUCED_REDUNDANCY")],
            payload: payload, date: Self.date
        )
        let request = SigV4Signer.Request(method: "PUT", path: "/test$file.text", headers: Array(signed.dropLast()))
        let canonical = Self.signer.canonicalRequest(request, payload: payload)
        #expect(canonical.split(separator: "\n")[1] == "/test%24file.text")
        #expect(
            Self.signer.stringToSign(canonicalRequest: canonical, date: Self.date)
                .hasSuffix("\n9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d")
        )
        #expect(
            signed.last?.value
                == "AWS4-HMAC-SHA256 Credential=\(Self.credential), "
                + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
        )
    }

    @Test func getBucketLifecycle() {
        let signed = Self.signer.authorizedHeaders(
            method: "GET", host: Self.host, path: "/", query: [.init("lifecycle")], payload: .empty, date: Self.date
        )
        let request = SigV4Signer.Request(
            method: "GET", path: "/", query: [.init("lifecycle")], headers: Array(signed.dropLast())
        )
        let canonical = Self.signer.canonicalRequest(request, payload: .empty)
        #expect(canonical.split(separator: "\n")[2] == "lifecycle=")
        #expect(
            Self.signer.stringToSign(canonicalRequest: canonical, date: Self.date)
                .hasSuffix("\n9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca")
        )
        #expect(signed.last?.value.hasSuffix("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543") == true)
    }

    @Test func listObjects() {
        // Given in the reverse order on purpose: the canonical query is sorted.
        let query: [SigV4Signer.QueryItem] = [.init("prefix", "J"), .init("max-keys", "2")]
        let signed = Self.signer.authorizedHeaders(
            method: "GET", host: Self.host, path: "/", query: query, payload: .empty, date: Self.date
        )
        let request = SigV4Signer.Request(method: "GET", path: "/", query: query, headers: Array(signed.dropLast()))
        let canonical = Self.signer.canonicalRequest(request, payload: .empty)
        #expect(canonical.split(separator: "\n")[2] == "max-keys=2&prefix=J")
        #expect(
            Self.signer.stringToSign(canonicalRequest: canonical, date: Self.date)
                .hasSuffix("\ndf57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7")
        )
        #expect(
            signed.last?.value
                == "AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                + "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
        )
    }

    @Test func presignedGetURL() {
        let url = Self.signer.presignedURL(
            method: "GET", scheme: "https", host: Self.host, path: "/test.txt", expires: 86_400, date: Self.date
        )
        #expect(
            url
                == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        )
    }

    @Test func presignedCanonicalRequestUsesUnsignedPayload() {
        let query: [SigV4Signer.QueryItem] = [
            .init("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), .init("X-Amz-Credential", Self.credential),
            .init("X-Amz-Date", "20130524T000000Z"), .init("X-Amz-Expires", "86400"), .init("X-Amz-SignedHeaders", "host"),
        ]
        let request = SigV4Signer.Request(method: "GET", path: "/test.txt", query: query, headers: [.init("host", Self.host)])
        let canonical = Self.signer.canonicalRequest(request, payload: .unsigned)
        #expect(canonical.hasSuffix("\nhost\nUNSIGNED-PAYLOAD"))
        #expect(
            Self.signer.stringToSign(canonicalRequest: canonical, date: Self.date)
                .hasSuffix("\n3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04")
        )
    }

    @Test func objectKeysAreEncodedOnceAndKeepTheirSlashes() {
        #expect(SigV4Encoding.path("/bucket/maps/a b/ü+&.wad") == "/bucket/maps/a%20b/%C3%BC%2B%26.wad")
        #expect(SigV4Encoding.path("/bucket/a//b") == "/bucket/a//b")
        #expect(SigV4Encoding.canonicalQuery([.init("prefix", "maps/a b")]) == "prefix=maps%2Fa%20b")
    }
}
