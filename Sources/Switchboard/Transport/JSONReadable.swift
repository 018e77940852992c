/// A wire type with a hand-written reader, tried before `JSONDecoder` (see ``JSONReader``).
package protocol JSONReadable: Decodable {
    /// Reads one value; throws for anything the type's `Decodable` conformance might read
    /// differently, so that `JSONDecoder` decides.
    init(reading json: inout JSONReader) throws
}
