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
            return request.webSocket(maxFrameSize: .init(integerLiteral: 1 << 16)) { request, socket in
                let connection = LiveConnection(socket: socket, live: live, reports: reports, logger: request.logger)
                await connection.start()
                socket.onText { _, text async in await connection.handle(text) }
                socket.onBinary { _, _ async in await connection.handle("") }
                socket.onClose.whenComplete { _ in Task { await connection.close() } }
                if let runID = request.query[String.self, at: "run_id"], !runID.isEmpty {
                    await connection.subscribe(runID)
                }
            }
        }
    }
}
