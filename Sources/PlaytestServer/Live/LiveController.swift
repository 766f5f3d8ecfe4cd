import PlaytestServices
import Vapor

/// `GET /ws`: the live hub. `?run_id=` subscribes at once; more runs with `{"type":"subscribe","run_id":…}`. A plain
/// GET without the WebSocket upgrade headers is refused with 426, rather than answered with a 101 that upgrades
/// nothing.
struct LiveController {
    let live: RunLiveState
    let reports: RunReports

    func register(on routes: any RoutesBuilder) {
        routes.access(.viewer).get("ws") { request -> Response in
            let upgrade = request.headers.first(name: .upgrade)?.lowercased()
            guard upgrade == "websocket", request.headers.first(name: .secWebSocketKey) != nil else {
                throw APIError(.upgradeRequired, code: "upgrade_required", "/ws is a WebSocket: connect with Upgrade: websocket")
            }
            let runID = request.query[String.self, at: "run_id"].flatMap { $0.isEmpty ? nil : $0 }
            // The synchronous upgrade callback: the handlers are set before the socket reads its first frame, so a
            // message sent right after the handshake is never dropped.
            // The 101 is written by the upgrader from these headers, not from the response the middleware sees.
            let requestID = request.logger[metadataKey: "request-id"].map { "\($0)" } ?? request.id
            return request.webSocket(maxFrameSize: .init(integerLiteral: 1 << 16), shouldUpgrade: { request in
                request.eventLoop.makeSucceededFuture(["X-Request-Id": requestID])
            }) { request, socket in
                let connection = LiveConnection(socket: socket, live: live, reports: reports, logger: request.logger)
                socket.onText { _, text async in await connection.handle(text) }
                socket.onBinary { _, _ async in await connection.handle("") }
                socket.onClose.whenComplete { _ in Task { await connection.close() } }
                Task {
                    await connection.start()
                    if let runID { await connection.subscribe(runID) }
                }
            }
        }
    }
}
