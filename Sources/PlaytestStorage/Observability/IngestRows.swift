import Metrics

/// `playtest_ingest_rows_total{table}`: rows the bulk writers (steps, events, episodes, metrics) have stored, for the
/// rate of ingest per table.
enum IngestRows {
    static func count(_ rows: Int, into table: String) {
        guard rows > 0 else { return }
        Counter(label: "playtest_ingest_rows_total", dimensions: [("table", table)]).increment(by: rows)
    }
}
