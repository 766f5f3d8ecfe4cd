import Foundation
import PlaytestCore
import PlaytestStorage

/// A player's profile as the API shows it.
public struct PlayerProfileView: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    /// `human`, or `agent` for an agent recorded as a player.
    public var kind: String
    public var totalExperiencesPlayed: Int
    public var totalPlaytimeSeconds: Int
    public var totalDistanceMeters: Double
    public var accountLevel: Int
    public var stats: JSONValue
    public var createdAt: Date
    public var updatedAt: Date

    init(_ r: PlayerProfileRecord) {
        id = r.id
        userID = r.userID
        kind = r.kind
        totalExperiencesPlayed = r.totalExperiencesPlayed
        totalPlaytimeSeconds = r.totalPlaytimeSeconds
        totalDistanceMeters = r.totalDistanceMeters
        accountLevel = r.accountLevel
        stats = r.stats
        createdAt = r.createdAt
        updatedAt = r.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, userID = "user_id", kind, totalExperiencesPlayed = "total_experiences_played", totalPlaytimeSeconds = "total_playtime_seconds"
        case totalDistanceMeters = "total_distance_meters", accountLevel = "account_level", stats, createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One experience's progress: its state and version (the ETag).
public struct ExperienceView: Sendable, Hashable, Codable {
    public var experienceID: String
    public var version: Int
    public var startedAt: Date?
    public var completedAt: Date?
    public var lastPlayedAt: Date?
    public var playtimeSeconds: Int
    public var completionPercentage: Double
    public var currentLocation: String?
    public var state: JSONValue

    init(_ r: ExperienceProgressRecord) {
        experienceID = r.experienceID
        version = r.version
        startedAt = r.startedAt
        completedAt = r.completedAt
        lastPlayedAt = r.lastPlayedAt
        playtimeSeconds = r.playtimeSeconds
        completionPercentage = r.completionPercentage
        currentLocation = r.currentLocation
        state = r.state
    }

    /// The strong ETag of this version.
    public var etag: String { "\"\(version)\"" }

    enum CodingKeys: String, CodingKey {
        case experienceID = "experience_id", version, startedAt = "started_at", completedAt = "completed_at", lastPlayedAt = "last_played_at"
        case playtimeSeconds = "playtime_seconds", completionPercentage = "completion_percentage", currentLocation = "current_location", state
    }
}

/// An event as a client sends it.
public struct ProgressEventInput: Sendable, Hashable, Codable {
    public var eventType: String
    public var contentID: String?
    public var data: JSONValue?
    public var locationLat: Double?
    public var locationLng: Double?
    public var timestamp: Date?
    /// Makes a repeated append a no-op.
    public var clientEventID: String?

    public init(eventType: String, contentID: String? = nil, data: JSONValue? = nil, locationLat: Double? = nil, locationLng: Double? = nil,
                timestamp: Date? = nil, clientEventID: String? = nil) {
        self.eventType = eventType
        self.contentID = contentID
        self.data = data
        self.locationLat = locationLat
        self.locationLng = locationLng
        self.timestamp = timestamp
        self.clientEventID = clientEventID
    }

    enum CodingKeys: String, CodingKey {
        case eventType = "event_type", contentID = "content_id", data, locationLat = "location_lat", locationLng = "location_lng", timestamp
        case clientEventID = "client_event_id"
    }
}

/// A stored event.
public struct ProgressEventView: Sendable, Hashable, Codable {
    public var id: String
    public var eventType: String
    public var contentID: String?
    public var data: JSONValue
    public var locationLat: Double?
    public var locationLng: Double?
    public var timestamp: Date
    public var clientEventID: String?

    init(_ r: ProgressEventRecord) {
        id = r.id
        eventType = r.eventType
        contentID = r.contentID
        data = r.data
        locationLat = r.locationLat
        locationLng = r.locationLng
        timestamp = r.timestamp
        clientEventID = r.clientEventID
    }

    enum CodingKeys: String, CodingKey {
        case id, eventType = "event_type", contentID = "content_id", data, locationLat = "location_lat", locationLng = "location_lng", timestamp
        case clientEventID = "client_event_id"
    }
}

/// What an append stored: the new events (a repeated client id is not among them) and the experience after them.
public struct AppendedEvents: Sendable, Hashable, Codable {
    public var stored: [ProgressEventView]
    public var duplicates: Int
    public var experience: ExperienceView
}

/// A page of an experience's history, oldest first; `next` is the cursor of the page after it.
public struct ProgressHistory: Sendable, Hashable, Codable {
    public var experienceID: String
    public var events: [ProgressEventView]
    public var next: String?

    enum CodingKeys: String, CodingKey { case experienceID = "experience_id", events, next }
}

/// "Download my data": everything held about a player.
public struct PlayerExport: Sendable, Hashable, Codable {
    public var profile: PlayerProfileView?
    public var experiences: [ExperienceView]
    public var events: [String: [ProgressEventView]]
    public var exportedAt: Date

    enum CodingKeys: String, CodingKey { case profile, experiences, events, exportedAt = "exported_at" }
}

/// `GET /progress/session`: where the player is, to resume (`source`: `live` from Redis, `sql` rebuilt from the newest
/// experience).
public struct PlayerSessionView: Sendable, Hashable, Codable {
    public var experienceID: String
    public var location: String?
    public var sessionStart: String?
    public var lastActivity: String?
    public var source: String

    enum CodingKeys: String, CodingKey {
        case experienceID = "current_experience", location = "current_location", sessionStart = "session_start"
        case lastActivity = "last_activity", source
    }
}

/// `GET /progress/leaderboard`: an experience's distance board and the caller's standing on it.
public struct DistanceBoardView: Sendable, Hashable, Codable {
    /// How many leaders a board rebuilt from SQL holds in Redis.
    static let held = 1000

    public var experienceID: String
    public var entries: [DistanceEntry]
    /// nil when the caller has no distance in the experience.
    public var you: DistanceStanding?

    enum CodingKeys: String, CodingKey {
        case experienceID = "experience_id", entries, you
    }
}

public struct DistanceEntry: Sendable, Hashable, Codable {
    public var rank: Int
    public var userID: String
    public var distance: Double
    public var isYou: Bool

    enum CodingKeys: String, CodingKey {
        case rank, userID = "user_id", distance = "distance_meters", isYou = "is_you"
    }
}

public struct DistanceStanding: Sendable, Hashable, Codable {
    public var rank: Int
    public var distance: Double

    enum CodingKeys: String, CodingKey {
        case rank, distance = "distance_meters"
    }
}
