import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The parts of S3's XML answers the blob store reads: error documents and ListObjectsV2 pages.
struct S3XML: Sendable {
    struct Object: Sendable, Hashable {
        var key: String
        var size: Int64
    }

    /// Text of leaf elements outside `<Contents>`, by element name (the last one wins).
    var fields: [String: String] = [:]
    /// Each `<Contents>` entry of a listing.
    var objects: [Object] = []

    /// Parses `data`; throws when it is not well-formed XML.
    static func parse(_ data: Data) throws(BlobError) -> S3XML {
        let collector = S3XMLCollector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        guard parser.parse() else {
            let reason = parser.parserError.map { String(describing: $0) } ?? "unknown error"
            throw .engine("S3 answered with XML that cannot be parsed (\(reason))")
        }
        return collector.result
    }

    /// An error document's `Code` and `Message`, when the body is one.
    static func errorDetails(_ data: Data) -> (code: String, message: String)? {
        guard !data.isEmpty, let parsed = try? parse(data), let code = parsed.fields["Code"] else { return nil }
        return (code, parsed.fields["Message"] ?? "")
    }
}

/// An `XMLParserDelegate` that gathers leaf text; used by one parse on one thread.
private final class S3XMLCollector: NSObject, XMLParserDelegate {
    var result = S3XML()
    private var path: [String] = []
    private var text = ""
    private var hadChild: [Bool] = []
    private var current: S3XML.Object?

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if !hadChild.isEmpty { hadChild[hadChild.count - 1] = true }
        path.append(elementName)
        hadChild.append(false)
        text = ""
        if elementName == "Contents" { current = S3XML.Object(key: "", size: 0) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        let wasLeaf = hadChild.popLast() == false
        path.removeLast()
        if elementName == "Contents", let object = current {
            result.objects.append(object)
            current = nil
        } else if wasLeaf, current != nil, path.last == "Contents" {
            if elementName == "Key" { current?.key = text }
            if elementName == "Size" { current?.size = Int64(text) ?? 0 }
        } else if wasLeaf, current == nil {
            result.fields[elementName] = text
        }
        text = ""
    }
}
