/// One sighting of a defect, before clustering: a static check's finding in one version of a map, or something an
/// episode showed (a stuck spot, a death, the player outside the map), or where the planner says progression breaks.
public struct FindingObservation: Sendable, Hashable {
    public enum Source: String, Sendable, Codable, Hashable {
        /// The map's own checks (Map Analysis) or the progression planner: seen without playing.
        case map
        /// An episode of a test run.
        case play
    }

    /// snake_case: the static kinds (`missing_texture`) and the play kinds (``PlayFindingKind``).
    public var kind: String
    public var severity: FindingSeverity
    public var source: Source
    public var message: String
    public var x: Double
    public var y: Double
    public var sector: Int?
    public var line: Int?
    /// The episode and game tic it was seen at (play sightings).
    public var episode: Int?
    public var tic: Int?

    public init(kind: String, severity: FindingSeverity, source: Source, message: String, x: Double, y: Double,
                sector: Int? = nil, line: Int? = nil, episode: Int? = nil, tic: Int? = nil) {
        self.kind = kind
        self.severity = severity
        self.source = source
        self.message = message
        self.x = x
        self.y = y
        self.sector = sector
        self.line = line
        self.episode = episode
        self.tic = tic
    }

    /// A static check's finding, its kind in snake_case (`missingTexture` → `missing_texture`), the first line or
    /// sector it names kept as the place.
    public init(_ finding: Finding) {
        let line = finding.ids.first { $0.kind == .linedef }?.index
        let sector = finding.ids.first { $0.kind == .sector }?.index
        self.init(kind: Self.snakeCase(finding.kind.rawValue), severity: finding.severity, source: .map, message: finding.message,
                  x: finding.location.x, y: finding.location.y, sector: sector, line: line)
    }

    static func snakeCase(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }
}
