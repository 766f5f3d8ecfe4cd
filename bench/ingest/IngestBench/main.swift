// Placeholder until the ingest benchmark lands.
print("IngestBench: not built yet")
