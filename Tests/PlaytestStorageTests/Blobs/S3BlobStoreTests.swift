import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@testable import PlaytestStorage

/// What is particular to the S3 store, against the S3-compatible server in PLAYTEST_TEST_S3_ENDPOINT.
@Suite(.enabled(if: BlobTestSupport.s3Configured, BlobTestSupport.s3SkipReason))
struct S3BlobStoreTests {
    @Test(arguments: [S3BlobStore.PayloadSigning.unsigned, .signed])
    func multiMegabyteFileRoundTripsByteIdentical(_ signing: S3BlobStore.PayloadSigning) async throws {
        let scratch = try BlobTestSupport.makeFolder()
        defer { BlobTestSupport.removeFolder(scratch) }
        let store = try await BlobTestSupport.makeS3Store(payloadSigning: signing)
        let source = try BlobTestSupport.makeRandomFile(in: scratch, size: 12 * 1024 * 1024 + 7)
        let stored = try await store.put("maps/big.wad", fileAt: source.path, contentType: "application/x-doom-wad")
        #expect(stored.size == 12 * 1024 * 1024 + 7)
        let head = try #require(try await store.head("maps/big.wad"))
        #expect(head.size == stored.size)
        #expect(head.contentType == "application/x-doom-wad")
        let downloaded = try await store.download("maps/big.wad", toFile: scratch + "/copy.wad")
        #expect(downloaded.size == stored.size)
        #expect(try BlobTestSupport.sha256(fileAt: scratch + "/copy.wad") == source.sha256)
        let (streamed, chunks) = try await BlobTestSupport.collect(try await store.stream("maps/big.wad"))
        #expect(BlobTestSupport.sha256(streamed) == source.sha256)
        #expect(chunks > 1)
    }

    @Test func listingFollowsContinuationTokensAcrossPages() async throws {
        let store = try await BlobTestSupport.makeS3Store(listPageSize: 3)
        let keys = (0..<11).map { "runs/\(String(format: "%02d", $0))/events.jsonl" } + ["other/x"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys {
                group.addTask { _ = try await store.put(key, bytes: ByteBuffer(string: key), contentType: nil) }
            }
            try await group.waitForAll()
        }
        let listed = try await store.list(prefix: "runs/")
        #expect(listed.map(\.key) == keys.dropLast().sorted())
        #expect(listed.allSatisfy { $0.size == Int64($0.key.utf8.count) })
        #expect(try await store.list(prefix: "").count == 12)
    }

    @Test func keysWithSpacesAndSymbolsAreStoredUnderTheirOwnName() async throws {
        let store = try await BlobTestSupport.makeS3Store()
        let key = "maps/My Map (v2) + ü & 100%.wad"
        _ = try await store.put(key, bytes: ByteBuffer(string: "PWAD"), contentType: nil)
        #expect(try await store.list(prefix: "maps/").map(\.key) == [key])
        #expect(try await store.get(key) == ByteBuffer(string: "PWAD"))
        let url = try #require(try await store.presignedURL(key, expiresIn: .seconds(60)))
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
        #expect(response.status == .ok)
        #expect(try await response.body.collect(upTo: 1024) == ByteBuffer(string: "PWAD"))
    }

    @Test func presignedURLCarriesTheSigV4QueryParameters() async throws {
        let store = try await BlobTestSupport.makeS3Store()
        let url = try #require(try await store.presignedURL("maps/a.wad", expiresIn: .seconds(900)))
        let query = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems)
        let names = Set(query.map(\.name))
        #expect(names.isSuperset(of: ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"]))
        #expect(query.first { $0.name == "X-Amz-Expires" }?.value == "900")
        #expect(url.path == "/\(store.bucket)/maps/a.wad")
    }

    @Test func aMissingBucketIsNamedInTheError() async throws {
        let endpoint = try #require(BlobTestSupport.s3Endpoint)
        let store = try S3BlobStore(
            endpoint: endpoint, bucket: "playtest-no-such-bucket", region: "us-east-1", accessKey: "k", secretKey: "s"
        )
        do {
            try await store.ping()
            Issue.record("ping succeeded on a missing bucket")
        } catch let error as BlobError {
            #expect(error.description.contains("playtest-no-such-bucket"))
            #expect(error.description.contains("does not exist"))
        }
        // An object in a missing bucket is an engine problem, not a missing blob.
        await #expect(throws: BlobError.self) { try await store.get("maps/a.wad") }
    }
}

/// Configuration mistakes are caught before any request is made.
struct S3BlobStoreConfigurationTests {
    @Test(arguments: ["127.0.0.1:5055", "ftp://127.0.0.1", "http://", "http://host:9000/?x=1", "not a url"])
    func malformedEndpointsAreRefused(_ endpoint: String) {
        #expect(throws: BlobError.self) {
            _ = try S3BlobStore(endpoint: endpoint, bucket: "playtest", region: "us-east-1", accessKey: "k", secretKey: "s")
        }
    }

    @Test(arguments: ["ab", "Playtest", "play_test", "-playtest", "playtest-", String(repeating: "a", count: 64)])
    func malformedBucketNamesAreRefused(_ bucket: String) {
        do {
            _ = try S3BlobStore(endpoint: "http://127.0.0.1:9000", bucket: bucket, region: "us-east-1", accessKey: "k", secretKey: "s")
            Issue.record("accepted bucket \(bucket)")
        } catch {
            #expect(error.description.contains("bucket name"))
        }
    }

    @Test func hostHeaderKeepsANonDefaultPortOnly() throws {
        let local = try S3BlobStore(endpoint: "http://127.0.0.1:9000/", bucket: "playtest", region: "us-east-1", accessKey: "k", secretKey: "s")
        #expect(local.hostHeader == "127.0.0.1:9000")
        #expect(local.objectPath("maps/a.wad") == "/playtest/maps/a.wad")
        let aws = try S3BlobStore(endpoint: "https://s3.eu-west-1.amazonaws.com:443", bucket: "playtest", region: "eu-west-1", accessKey: "k", secretKey: "s")
        #expect(aws.hostHeader == "s3.eu-west-1.amazonaws.com")
    }

    @Test func anUnreachableEndpointSaysSo() async throws {
        // Port 9 (discard) on loopback: nothing listens there in the test environments.
        var store = try S3BlobStore(endpoint: "http://127.0.0.1:9", bucket: "playtest", region: "us-east-1", accessKey: "k", secretKey: "s")
        store.pingTimeout = .milliseconds(500)
        do {
            try await store.ping()
            Issue.record("ping succeeded against a closed port")
        } catch let error as BlobError {
            #expect(error.description.contains("did not answer"))
            #expect(error.description.contains("127.0.0.1:9"))
            if case .unavailable = error {} else { Issue.record("an unanswered request is an outage, worth retrying: \(error)") }
            #expect(EngineOutage.matches(error))
        }
    }

    @Test func errorDocumentsAreParsed() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message><RequestId>1</RequestId></Error>
            """
        let details = try #require(S3XML.errorDetails(Data(xml.utf8)))
        #expect(details.code == "SignatureDoesNotMatch")
        #expect(details.message == "The request signature we calculated does not match")
        #expect(S3XML.errorDetails(Data("not xml".utf8)) == nil)
    }

    @Test func listPagesAreParsed() throws {
        let xml = """
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>m/</Prefix>
            <KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
            <Contents><Key>m/a &amp; b.wad</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><Size>10</Size></Contents>
            <Contents><Key>m/c.wad</Key><Size>2</Size></Contents>
            <NextContinuationToken>tok/en==</NextContinuationToken></ListBucketResult>
            """
        let page = try S3XML.parse(Data(xml.utf8))
        #expect(page.objects == [.init(key: "m/a & b.wad", size: 10), .init(key: "m/c.wad", size: 2)])
        #expect(page.fields["IsTruncated"] == "true")
        #expect(page.fields["NextContinuationToken"] == "tok/en==")
    }
}
