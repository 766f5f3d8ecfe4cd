import Foundation
import PlaytestCore
@testable import PlaytestServer
import Testing
import VaporTesting

/// The OpenAPI document is the whole contract: every route the server registers is in it, and nothing else.
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("every registered route is documented, and every documented operation is registered")
    func everyRouteIsDocumented() async throws {
        try await withPlaytestApp { app, _ in
            let registered = Set(app.routes.all.map { route in
                "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
            })
            let documented = OpenAPIDocument.routes
            #expect(registered.subtracting(documented).isEmpty, "registered but not in the document: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered).sorted())")
            #expect(registered.count >= 35)
        }
    }

    @Test("GET /api/v1/openapi.json serves an OpenAPI 3.1 document whose references all resolve")
    func served() async throws {
        try await withPlaytestApp { app, _ in
            try await app.testing().test(.GET, "api/v1/openapi.json") { response in
                #expect(response.status == .ok && response.headers.contentType == .json)
                guard case .object(let document) = try JSONParser().parse(Array(response.body.readableBytesView)),
                      case .object(let components)? = document["components"], case .object(let schemas)? = components["schemas"],
                      case .object(let paths)? = document["paths"] else {
                    Issue.record("not an OpenAPI document")
                    return
                }
                #expect(document["openapi"] == "3.1.0")
                #expect(paths["/api/v1/testing/{id}/status"] != nil && paths["/api/v1/training/start"] != nil)
                var references: Set<String> = []
                Self.collectReferences(.object(document), into: &references)
                let missing = references.map { $0.replacingOccurrences(of: "#/components/schemas/", with: "") }.filter { schemas[$0] == nil }
                #expect(missing.isEmpty, "unresolved: \(missing.sorted())")
            }
        }
    }

    static func collectReferences(_ value: JSONValue, into references: inout Set<String>) {
        switch value {
        case .object(let object):
            if case .string(let reference)? = object["$ref"] { references.insert(reference) }
            for child in object.values { collectReferences(child, into: &references) }
        case .array(let items):
            for child in items { collectReferences(child, into: &references) }
        default:
            break
        }
    }
}
