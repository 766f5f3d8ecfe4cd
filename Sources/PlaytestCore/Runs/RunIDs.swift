import Foundation

/// Ids of rows about runs: a prefix naming the kind (`test`, `train`, `art`, `ckpt`) and 16 hex digits.
public enum RunIDs {
    public static func make(_ prefix: String) -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }
}
