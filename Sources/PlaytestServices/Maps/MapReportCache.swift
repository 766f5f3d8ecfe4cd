/// The last few parsed maps, since parsing and checking a big map takes tens of milliseconds.
actor MapReportCache {
    let capacity: Int
    private var entries: [String: MapAnalysisResult] = [:]
    private var order: [String] = []

    init(capacity: Int) { self.capacity = capacity }

    func get(sha256: String, map: String) -> MapAnalysisResult? {
        let key = sha256 + "/" + map
        guard let result = entries[key] else { return nil }
        order.removeAll { $0 == key }
        order.append(key)
        return result
    }

    func put(_ result: MapAnalysisResult, sha256: String, map: String) {
        let key = sha256 + "/" + map
        if entries[key] == nil { order.append(key) }
        entries[key] = result
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }

    func forget(sha256: String) {
        for key in order where key.hasPrefix(sha256 + "/") { entries[key] = nil }
        order.removeAll { $0.hasPrefix(sha256 + "/") }
    }
}
