import Foundation
import Logging
import PlaytestCore
import PlaytestServices
import Vapor

/// One browser (or CLI) on `/ws`: its subscriptions to runs, and its own sender, so that a slow client only ever
/// delays itself. Fan-out comes from `LiveStore` pub/sub, so a worker anywhere reaches every `serve` instance.
actor LiveConnection {
    /// Subscribe to this id to get every run's `run_status` (for lists).
    static let allRuns = "*"
    static let maxSubscriptions = 32
    static let maxClientMessageBytes = 4096

    private let socket: WebSocket
    private let live: RunLiveState
    private let reports: RunReports
    private let logger: Logger
    private var outbox: LiveOutbox
    private var subscriptions: [String: Task<Void, Never>] = [:]
    /// Episodes finished as last sent per run: progress that finishes one more is sent at once.
    private var episodesSeen: [String: Int] = [:]
    private let kicks: AsyncStream<Void>
    private let kicker: AsyncStream<Void>.Continuation
    private var timer: Task<Void, Never>?
    private var sender: Task<Void, Never>?
    private var closed = false

    init(socket: WebSocket, live: RunLiveState, reports: RunReports, logger: Logger, throttle: Duration = .milliseconds(250)) {
        self.socket = socket
        self.live = live
        self.reports = reports
        self.logger = logger
        self.outbox = LiveOutbox(interval: throttle)
        (kicks, kicker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func start() {
        sender = Task { await self.sendLoop() }
    }

    /// A text frame from the client: `{"type":"subscribe"|"unsubscribe","run_id":…}` or `{"type":"ping"}`.
    func handle(_ text: String) async {
        guard text.utf8.count <= Self.maxClientMessageBytes else {
            return reply(.error(message: "message too long (at most \(Self.maxClientMessageBytes) bytes)"))
        }
        struct ClientMessage: Decodable {
            var type: String
            var runID: String?
            enum CodingKeys: String, CodingKey { case type, runID = "run_id" }
        }
        guard let message = try? PlaytestJSON.decode(ClientMessage.self, from: text) else {
            return reply(.error(message: #"expected a JSON object such as {"type":"subscribe","run_id":"test_…"}"#))
        }
        switch message.type {
        case "subscribe":
            guard let runID = message.runID, !runID.isEmpty else { return reply(.error(message: "subscribe needs a run_id")) }
            await subscribe(runID)
        case "unsubscribe":
            guard let runID = message.runID else { return reply(.error(message: "unsubscribe needs a run_id")) }
            unsubscribe(runID)
        case "ping":
            enqueue(runID: nil, #"{"type":"pong"}"#)
        default:
            reply(.error(message: "unknown message type \(message.type.debugDescription); use subscribe, unsubscribe or ping"))
        }
    }

    func subscribe(_ runID: String) async {
        guard !closed, subscriptions[runID] == nil else { return }
        guard subscriptions.count < Self.maxSubscriptions else {
            return reply(.error(message: "at most \(Self.maxSubscriptions) subscriptions per connection"))
        }
        var status: RunStatus?
        if runID != Self.allRuns {
            do {
                status = try await reports.run(id: runID).status
            } catch let error as RunReportError {
                return reply(.error(message: error.description))
            } catch {
                return reply(.error(message: "could not read run \(runID): \(Services.describe(error))"))
            }
        }
        let subscription: LiveFeed
        do {
            subscription = runID == Self.allRuns
                ? try await live.subscribeToStatus()
                : try await live.subscribe(runIDs: [runID])
        } catch {
            return reply(.error(message: "live updates are unavailable right now: \(error)"))
        }
        guard !closed, subscriptions[runID] == nil else { return await subscription.cancel() }
        subscriptions[runID] = Task {
            for await message in subscription.messages { await self.deliver(message) }
            await subscription.cancel()
        }
        enqueue(runID: nil, RunLiveMessage.subscribed(runID: runID, status: status).json())
    }

    func unsubscribe(_ runID: String) {
        subscriptions.removeValue(forKey: runID)?.cancel()
        outbox.drop(runID: runID)
        episodesSeen[runID] = nil
    }

    func close() {
        guard !closed else { return }
        closed = true
        for task in subscriptions.values { task.cancel() }
        subscriptions.removeAll()
        timer?.cancel()
        sender?.cancel()
        kicker.finish()
    }

    // MARK: delivery

    /// A message published on a run's channel (already the wire JSON).
    private func deliver(_ payload: String) {
        guard let message = try? RunLiveMessage(json: payload) else {
            logger.debug("dropping an unreadable live message", metadata: ["payload": "\(payload.prefix(200))"])
            return
        }
        let runID = message.runID
        if message.isProgress, let runID {
            outbox.offerProgress(runID: runID, payload, urgent: finishesAnEpisode(message, runID: runID))
        } else {
            outbox.offer(runID: runID, payload)
        }
        dropIfOverflowing()
        kicker.yield()
    }

    private func finishesAnEpisode(_ message: RunLiveMessage, runID: String) -> Bool {
        guard case .testingProgress(let progress) = message else { return false }
        defer { episodesSeen[runID] = max(episodesSeen[runID] ?? 0, progress.episodesCompleted) }
        return progress.episodesCompleted > (episodesSeen[runID] ?? 0)
    }

    private func reply(_ message: RunLiveMessage) {
        enqueue(runID: nil, message.json())
    }

    private func enqueue(runID: String?, _ text: String) {
        outbox.offer(runID: runID, text)
        dropIfOverflowing()
        kicker.yield()
    }

    private func sendLoop() async {
        for await _ in kicks {
            drain: while !closed {
                switch outbox.next(now: .now) {
                case .send(let text):
                    do {
                        try await socket.send(text)
                    } catch {
                        close()
                        return
                    }
                case .wait(let until):
                    schedule(at: until)
                    break drain
                case .idle:
                    break drain
                }
            }
        }
    }

    /// A client whose queue overflows is not reading: it is dropped, so its backlog cannot grow without end. Its
    /// sender may be stuck on a full socket, so this happens where messages arrive, not in the sender.
    private func dropIfOverflowing() {
        guard outbox.isOverflowing, !closed else { return }
        logger.info("closing a WebSocket client that does not keep up")
        outbox = LiveOutbox(interval: outbox.interval, capacity: outbox.capacity)
        close()
        let socket = self.socket
        Task { try? await socket.close(code: .policyViolation) }
    }

    /// Wakes the sender when throttled progress becomes due.
    private func schedule(at instant: ContinuousClock.Instant) {
        timer?.cancel()
        let kicker = self.kicker
        timer = Task {
            try? await Task.sleep(until: instant, clock: .continuous)
            if !Task.isCancelled { kicker.yield() }
        }
    }
}
