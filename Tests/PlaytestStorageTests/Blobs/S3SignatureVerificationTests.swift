import AsyncHTTPClient
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOFoundationCompat
import PlaytestTestSupport
import Testing

@testable import PlaytestStorage

/// Runs the S3 store against a moto_server of its own started with signature checking on
/// (INITIAL_NO_AUTH_ACTION_COUNT): moto then re-computes every request's signature with botocore,
/// an independent SigV4 implementation, and refuses mismatches as real S3 does. This proves the
/// signatures on the wire (keys with spaces, queries, pagination, unsigned and signed payloads)
/// and that a wrong secret or access key produces an error a user can act on.
@Suite(.enabled(if: AuthenticatedMoto.available, AuthenticatedMoto.skipReason))
struct S3SignatureVerificationTests {
    @Test func everyOperationPassesAnIndependentSignatureCheck() async throws {
        let moto = try await AuthenticatedMoto.start()
        defer { moto.stop() }
        let scratch = try BlobTestSupport.makeFolder()
        defer { BlobTestSupport.removeFolder(scratch) }
        let store = try moto.store(bucket: "signed-ops", listPageSize: 2)
        try await store.createBucketIfMissing()
        try await store.ping()

        // moto rebuilds the request path with some reserved characters ('(', '+', '&', '%', non-ASCII)
        // left unescaped before verifying, so it refuses even boto3's signatures for such keys;
        // real S3 escapes them as this signer does (see the S3 PUT example, '$' → %24).
        let key = "maps/My Map v2_final-~1.wad"
        _ = try await store.put(key, bytes: ByteBuffer(string: "PWAD"), contentType: "application/x-doom-wad")
        let source = try BlobTestSupport.makeRandomFile(in: scratch, size: 700_000)
        _ = try await store.put("maps/unsigned.wad", fileAt: source.path, contentType: nil)
        let signedStore = try moto.store(bucket: "signed-ops", payloadSigning: .signed)
        _ = try await signedStore.put("maps/signed.wad", fileAt: source.path, contentType: nil)

        #expect(try await store.get(key) == ByteBuffer(string: "PWAD"))
        #expect(try await store.head(key)?.contentType == "application/x-doom-wad")
        _ = try await store.download("maps/signed.wad", toFile: scratch + "/copy.wad")
        #expect(try BlobTestSupport.sha256(fileAt: scratch + "/copy.wad") == source.sha256)
        // Same moto limitation for a '/' inside a query value (prefix=maps%2F), so "maps" here.
        #expect(try await store.list(prefix: "maps").map(\.key) == [key, "maps/signed.wad", "maps/unsigned.wad"])
        try await store.delete("maps/unsigned.wad")
        #expect(try await store.exists("maps/unsigned.wad") == false)

        // Presigned URLs are not checked here: moto's authenticated mode answers any request
        // without an Authorization header with HTTP 500 (boto3's presigned URLs included). They are
        // proved by the S3 documentation's presigned example and fetched in the conformance suite.
    }

    @Test func aWrongSecretNamesTheCredentials() async throws {
        let moto = try await AuthenticatedMoto.start()
        defer { moto.stop() }
        try await moto.store(bucket: "wrong-secret").createBucketIfMissing()
        let wrong = try moto.store(bucket: "wrong-secret", secretKey: "not-the-secret")
        for attempt in [{ try await wrong.ping() }, { _ = try await wrong.put("a", bytes: ByteBuffer(string: "x"), contentType: nil) }] {
            do {
                try await attempt()
                Issue.record("a request signed with the wrong secret was accepted")
            } catch let error as BlobError {
                #expect(error.description.contains("S3_SECRET_KEY"), "\(error)")
                #expect(error.description.contains("403"), "\(error)")
            }
        }
        do {
            _ = try await wrong.put("a", bytes: ByteBuffer(string: "x"), contentType: nil)
        } catch let error as BlobError {
            #expect(error.description.contains("SignatureDoesNotMatch"), "S3's own code is kept: \(error)")
        }
    }

    @Test func anUnknownAccessKeyNamesTheCredentials() async throws {
        let moto = try await AuthenticatedMoto.start()
        defer { moto.stop() }
        let unknown = try moto.store(bucket: "unknown-key", accessKey: "AKIANOSUCHKEY0000000")
        do {
            try await unknown.createBucketIfMissing()
            Issue.record("an unknown access key was accepted")
        } catch let error as BlobError {
            #expect(error.description.contains("S3_ACCESS_KEY"), "\(error)")
        }
    }
}

/// A moto_server process started by a test, with IAM credentials created for it.
final class AuthenticatedMoto: @unchecked Sendable {  // immutable after start; only stop() touches the process
    static let skipReason: Comment =
        "needs moto_server on PATH (pip install 'moto[server]') and PLAYTEST_TEST_S3_ENDPOINT set"

    static var executable: String? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["PLAYTEST_TEST_MOTO_SERVER"], !explicit.isEmpty { return explicit }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/moto_server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static var available: Bool { BlobTestSupport.s3Configured && executable != nil }

    let process: Process
    let endpoint: String
    let accessKey: String
    let secretKey: String

    private init(process: Process, endpoint: String, accessKey: String, secretKey: String) {
        self.process = process
        self.endpoint = endpoint
        self.accessKey = accessKey
        self.secretKey = secretKey
    }

    func store(
        bucket: String,
        accessKey: String? = nil,
        secretKey: String? = nil,
        listPageSize: Int = 1000,
        payloadSigning: S3BlobStore.PayloadSigning = .unsigned
    ) throws -> S3BlobStore {
        try S3BlobStore(
            endpoint: endpoint, bucket: bucket, region: "us-east-1",
            accessKey: accessKey ?? self.accessKey, secretKey: secretKey ?? self.secretKey,
            listPageSize: listPageSize, payloadSigning: payloadSigning
        )
    }

    /// moto's SIGTERM handler does not stop its server threads, so it is killed outright; it
    /// keeps everything in memory and has nothing to save.
    func stop() {
        Self.forceStop(process)
    }

    private static func forceStop(_ process: Process) {
        if process.isRunning {
            _ = kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// Starts moto on a free loopback port; its first three actions (the IAM calls that create a
    /// user, its key and its policy) are unauthenticated, every later one is checked.
    static func start() async throws -> AuthenticatedMoto {
        let path = try #require(executable)
        for _ in 0..<5 {
            let port = try FreePort.find()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
            var environment = ProcessInfo.processInfo.environment
            environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let endpoint = "http://127.0.0.1:\(port)"
            guard await waitUntilServing(endpoint, process: process) else {
                forceStop(process)
                continue
            }
            do {
                let (accessKey, secretKey) = try await createCredentials(endpoint: endpoint, host: "127.0.0.1:\(port)")
                return AuthenticatedMoto(process: process, endpoint: endpoint, accessKey: accessKey, secretKey: secretKey)
            } catch {
                forceStop(process)
                throw error
            }
        }
        throw BlobError.engine("could not start moto_server on a free port")
    }

    /// Polls moto's own API (which needs no authentication) until it answers or the process dies.
    private static func waitUntilServing(_ endpoint: String, process: Process) async -> Bool {
        let serving = try? await Deadline.value("moto_server at \(endpoint)", every: .milliseconds(200)) { () async -> Bool? in
            guard process.isRunning else { return false }
            let request = HTTPClientRequest(url: endpoint + "/moto-api/data.json")
            guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)), response.status == .ok else { return nil }
            _ = try? await response.body.collect(upTo: 1 << 20)
            return true
        }
        return serving == true
    }

    private static func createCredentials(endpoint: String, host: String) async throws -> (String, String) {
        let user = "playtest-tests"
        _ = try await iam(endpoint: endpoint, host: host, ["Action": "CreateUser", "UserName": user])
        let key = try await iam(endpoint: endpoint, host: host, ["Action": "CreateAccessKey", "UserName": user])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        _ = try await iam(
            endpoint: endpoint, host: host,
            ["Action": "PutUserPolicy", "UserName": user, "PolicyName": "everything", "PolicyDocument": policy]
        )
        let accessKey = try #require(key.fields["AccessKeyId"])
        let secretKey = try #require(key.fields["SecretAccessKey"])
        return (accessKey, secretKey)
    }

    /// One IAM Query API call (form-encoded POST), signed for the "iam" service.
    private static func iam(endpoint: String, host: String, _ parameters: [String: String]) async throws -> S3XML {
        let form = (parameters.merging(["Version": "2010-05-08"]) { first, _ in first })
            .map { "\(SigV4Encoding.uriEncode($0.key, keepSlash: false))=\(SigV4Encoding.uriEncode($0.value, keepSlash: false))" }
            .joined(separator: "&")
        let signer = SigV4Signer(credentials: .init(accessKey: "bootstrap", secretKey: "bootstrap"), region: "us-east-1", service: "iam")
        var request = HTTPClientRequest(url: endpoint + "/")
        request.method = .POST
        let headers = signer.authorizedHeaders(
            method: "POST", host: host, path: "/", headers: [.init("content-type", "application/x-www-form-urlencoded")],
            payload: .hash(of: Data(form.utf8))
        )
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw BlobError.engine("IAM \(parameters["Action"] ?? "") failed: HTTP \(response.status.code) \(String(buffer: body))")
        }
        return try S3XML.parse(Data(buffer: body))
    }
}
