import Foundation
import PlaytestCore

/// JSON for the text columns, in the platform's one convention (`PlaytestJSON`).
public enum StoredJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        do {
            return try PlaytestJSON.string(value)
        } catch {
            throw RunStoreError.unencodable(String(describing: error))
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String, table: String) throws -> T {
        do {
            return try PlaytestJSON.decode(type, from: text)
        } catch {
            throw RunStoreError.corruptRow(table: table, detail: String(describing: error))
        }
    }
}
