/// Bounds-checked little-endian reads from a byte array. Every read returns nil instead of trapping.
struct LittleEndianReader: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    @inline(__always)
    func uint16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    @inline(__always)
    func int16(at offset: Int) -> Int16? {
        uint16(at: offset).map { Int16(bitPattern: $0) }
    }

    @inline(__always)
    func int32(at offset: Int) -> Int32? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        let value = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        return Int32(bitPattern: value)
    }

    /// An 8-byte, NUL-padded lump or texture name. Non-printable bytes become `?`.
    func name8(at offset: Int) -> String? {
        guard offset >= 0, offset <= bytes.count - 8 else { return nil }
        var scalars = String.UnicodeScalarView()
        for index in offset..<(offset + 8) {
            let byte = bytes[index]
            if byte == 0 { break }
            scalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "?")
        }
        return String(scalars)
    }
}
