// Placeholder until the worker probe lands: a process that runs a WorkerPool with the run handlers.
print("WorkerProbe: not built yet")
