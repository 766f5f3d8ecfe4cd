import PlaytestServices
import Vapor

/// `GET /ws`: the live hub. `?run_id=` subscribes at once; more runs with `{"type":"subscribe","run_id":…}`.
struct LiveController {
    let live: RunLiveState
    let reports: RunReports

    func register(on routes: any RoutesBuilder) {
        routes.webSocket("ws", maxFrameSize: .init(integerLiteral: 1 << 16)) { request, socket async in
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
