import Logging
import PlaytestServices
import Vapor

/// The Vapor application for `playtest serve`, started on an address and shut down on request.
public final class HTTPServer: Sendable {
    let app: Application

    /// Builds and configures the app, then starts listening. Throws when the address is taken.
    public init(services: Services, metrics: PlaytestMetrics, options: ServerOptions, logger: Logger) async throws {
        let configuration = services.configuration
        app = try await Application.make(Environment(name: "production", arguments: ["playtest"]))
        app.logger = logger
        app.http.server.configuration.hostname = configuration.host
        app.http.server.configuration.port = configuration.port
        do {
            try configurePlaytest(app, services: services, metrics: metrics, options: options)
            try await app.server.start(address: .hostname(configuration.host, port: configuration.port))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Stops accepting connections and releases the app.
    public func shutdown() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}
