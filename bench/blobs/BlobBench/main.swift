// BlobBench: times PlaytestStorage's blob stores moving one file, for bench/blobs/run.sh.
//
//   BlobBench folder <file> <repeats>
//   BlobBench s3 <endpoint> <file> <repeats>
//
// Prints one JSON object: the best put and download times over the repeats, the file size, and
// how much the process's peak resident memory grew while doing it (the stores stream, so this
// stays far below the file size).
import Foundation
import PlaytestStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func peakResidentBytes() -> Int {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss
    #endif
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func seconds(_ work: () async throws -> Void) async throws -> Double {
    let start = ContinuousClock.now
    try await work()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else { fail("usage: BlobBench folder <file> <repeats> | BlobBench s3 <endpoint> <file> <repeats>") }
let mode = arguments[1]
let file = mode == "s3" ? arguments[3] : arguments[2]
let repeats = Int(arguments.last ?? "") ?? 3
let scratch = NSTemporaryDirectory() + "blobbench-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }

let store: any BlobStore
switch mode {
case "folder":
    store = try FolderBlobStore(root: scratch + "/blobs")
case "s3":
    let s3 = try S3BlobStore(
        endpoint: arguments[2], bucket: "blobbench-" + UUID().uuidString.lowercased().prefix(12), region: "us-east-1",
        accessKey: "bench", secretKey: "bench-secret"
    )
    try await s3.createBucketIfMissing()
    store = s3
default:
    fail("unknown mode \(mode)")
}

guard let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int else { fail("cannot read \(file)") }
let baseline = peakResidentBytes()
var bestPut = Double.infinity
var bestDownload = Double.infinity
var putGrowth = 0
for round in 0..<repeats {
    let key = "bench/round-\(round).bin"
    bestPut = min(bestPut, try await seconds { _ = try await store.put(key, fileAt: file, contentType: nil) })
    if round == 0 { putGrowth = peakResidentBytes() - baseline }
    bestDownload = min(bestDownload, try await seconds { _ = try await store.download(key, toFile: scratch + "/copy.bin") })
    try await store.delete(key)
}
let growth = peakResidentBytes() - baseline
print(
    #"{"engine":"\#(store.engineName)","bytes":\#(size),"put_seconds":\#(bestPut),"download_seconds":\#(bestDownload),"#
        + #""peak_rss_growth_after_first_put_bytes":\#(putGrowth),"peak_rss_growth_bytes":\#(growth)}"#
)
