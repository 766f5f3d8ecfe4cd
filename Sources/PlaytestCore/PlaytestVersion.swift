/// The platform's version, reported by `playtest --version` and `/api/v1/health`.
public enum PlaytestVersion {
    public static let current = "0.1.0"
}
