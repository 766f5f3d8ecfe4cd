import PlaytestCore

extension OpenAPIDocument {
    /// One operation of the document.
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var parameters: [Parameter] = []
        var body: Body?
        var responses: [Int: Response]
        /// Callable without credentials (`security: []`); every other operation also answers 401 and 403.
        var isPublic: Bool

        init(_ method: String, _ path: String, _ summary: String, parameters: [Parameter] = [], body: Body? = nil,
             public isPublic: Bool = false, responses: [Int: Response]) {
            self.isPublic = isPublic
            self.method = method
            self.path = path
            self.summary = summary
            self.parameters = parameters
            self.body = body
            self.responses = responses
        }

        /// The path as Vapor registers it: `{id}` becomes `:id`.
        var vaporPath: String {
            let parts = path.split(separator: "/").map { part -> String in
                part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
            }
            return "/" + parts.joined(separator: "/")
        }

        var json: JSONValue {
            var answers = responses
            answers[429] = answers[429] ?? .error
            if isPublic {
                answers[401] = answers[401] ?? .error
            } else {
                answers[401] = answers[401] ?? .error
                answers[403] = answers[403] ?? .error
                // A page asked for by a browser that is not signed in is sent to the sign-in page.
                if method == "get", !path.hasPrefix("/api/") { answers[303] = answers[303] ?? .empty }
            }
            var operation: [String: JSONValue] = [
                "summary": .string(summary),
                "operationId": .string(method + path.replacingOccurrences(of: "/", with: "_")),
                "responses": .object(Dictionary(uniqueKeysWithValues: answers.map { (String($0.key), $0.value.json) })),
            ]
            if isPublic { operation["security"] = [] }
            if !parameters.isEmpty { operation["parameters"] = .array(parameters.map(\.json)) }
            if let body { operation["requestBody"] = body.json }
            return .object(operation)
        }
    }

    struct Parameter {
        var json: JSONValue

        static func path(_ name: String) -> Parameter {
            Parameter(json: ["name": .string(name), "in": "path", "required": true, "schema": Schema.string])
        }

        static func header(_ name: String, _ schema: JSONValue) -> Parameter {
            Parameter(json: ["name": .string(name), "in": "header", "required": false, "schema": schema])
        }

        static func query(_ name: String, _ schema: JSONValue, explode: Bool = false) -> Parameter {
            var json: [String: JSONValue] = ["name": .string(name), "in": "query", "required": false, "schema": schema]
            if explode { json["explode"] = true }
            return Parameter(json: .object(json))
        }
    }

    struct Body {
        var json: JSONValue

        /// A JSON body of this inline schema.
        static func schema(_ schema: JSONValue) -> Body {
            Body(json: ["required": true, "content": ["application/json": ["schema": schema]]])
        }

        static func json(_ component: String) -> Body {
            Body(json: ["required": true, "content": ["application/json": ["schema": Schema.ref(component)]]])
        }

        /// A JSON body that may also be left out.
        static func optionalJSON(_ schema: JSONValue) -> Body {
            Body(json: ["required": false, "content": ["application/json": ["schema": schema]]])
        }

        /// An HTML form's fields (`application/x-www-form-urlencoded`).
        static func form(_ properties: [String: JSONValue], required: [String]) -> Body {
            Body(json: ["required": true, "content": ["application/x-www-form-urlencoded": [
                "schema": ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string))],
            ]]])
        }

        static func multipart(_ properties: [String: JSONValue], required: [String]) -> Body {
            Body(json: ["required": true, "content": ["multipart/form-data": [
                "schema": ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string))],
            ]]])
        }
    }

    struct Response {
        var json: JSONValue

        static func json(_ component: String) -> Response {
            json(schema: Schema.ref(component))
        }

        static func json(schema: JSONValue) -> Response {
            Response(json: ["description": "JSON", "content": ["application/json": .object(["schema": schema])]])
        }

        /// `{"error": {"code", "message"}}`.
        static let error = json("Error")
        static let empty = Response(json: ["description": "No body"])

        /// A page (HTML) or, from the checks before the route (credentials, CSRF), a JSON error.
        static let pageOrError = Response(json: ["description": "HTML page, or a JSON error", "content": [
            "text/html": ["schema": Schema.string], "application/json": ["schema": Schema.ref("Error")],
        ]])

        static func text(_ type: String) -> Response {
            Response(json: ["description": .string(type), "content": .object([type: ["schema": Schema.string]])])
        }

        static func binary(_ types: String...) -> Response {
            let content = Dictionary(uniqueKeysWithValues: types.map { ($0, ["schema": ["type": "string", "format": "binary"]] as JSONValue) })
            return Response(json: ["description": "The file", "content": .object(content)])
        }
    }
}
