import PlaytestServices

/// The map pictures of the pages, drawn once when what they show can no longer change: a map's findings with the
/// paths of its newest completed test run, or a completed run's paths and route (a failed or stopped run may be
/// retried). A page viewed again then reads no steps and draws nothing.
struct MapPictures: Sendable {
    struct Drawn: Sendable {
        let picture: MapPicture
        /// The overlay layers drawn, for the viewer's toggles.
        let layers: [String]
    }

    private let kept = RecentCache<Drawn>(capacity: 32)

    /// The picture kept for `key`; else drawn, and kept when there is a key (nil: it may still change).
    func picture(key: String?, draw: () async throws -> Drawn) async throws -> Drawn {
        if let key, let drawn = await kept.get(key) { return drawn }
        let drawn = try await draw()
        if let key { await kept.put(drawn, for: key) }
        return drawn
    }
}
