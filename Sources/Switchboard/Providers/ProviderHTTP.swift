import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A wire type whose whole tree names its snake_case keys in `CodingKeys`, so it decodes without
/// `convertFromSnakeCase`.
protocol ExplicitWireKeys: Decodable {}

/// Building requests and reading bodies, the same way for every adapter.
enum ProviderHTTP {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// For ``ExplicitWireKeys`` types: converting every key costs more than the rest of decoding.
    static let explicitKeysDecoder = JSONDecoder()

    static func decoder<T>(for type: T.Type) -> JSONDecoder {
        type is any ExplicitWireKeys.Type ? explicitKeysDecoder : decoder
    }

    static func request(
        url: String, method: HTTPMethod, headers: [(String, String)], body: JSONValue? = nil
    ) -> ProviderRequest {
        var request = ProviderRequest(url: url, method: method)
        request.headers.add(name: "user-agent", value: "Switchboard/0.1")
        request.headers.add(name: "accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            var bytes: [UInt8] = []
            body.write(into: &bytes)
            request.headers.add(name: "content-type", value: "application/json")
            request.body = ByteBuffer(bytes: bytes)
        }
        return request
    }

    /// Decodes a provider body; a body that is not the documented shape is `invalidResponse`.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer, provider: ProviderID) throws -> T {
        do {
            return try buffer.withUnsafeReadableBytes { bytes in try decode(T.self, from: bytes) }
        } catch {
            let preview = String(buffer: buffer).prefix(200)
            throw ProviderError(
                kind: .invalidResponse, provider: provider,
                message: "could not read the provider's \(T.self) response: \(preview)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, provider: ProviderID) throws -> T {
        do {
            var text = text
            return try text.withUTF8 { utf8 in try decode(T.self, from: UnsafeRawBufferPointer(utf8)) }
        } catch {
            throw ProviderError(
                kind: .invalidResponse, provider: provider,
                message: "malformed stream event: \(text.prefix(200))")
        }
    }

    /// A ``JSONReadable`` type's own reader first; `JSONDecoder` for every other type, and for a body
    /// the reader turns down.
    private static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        if let value = JSONReader.value(T.self, from: bytes) { return value }
        return try decoder(for: T.self).decode(T.self, from: Data(bytes))
    }

    /// The body of a streamed error response, read up to a small limit.
    static func collectErrorBody(_ response: HTTPClientResponse) async -> ByteBuffer {
        (try? await response.body.collect(upTo: 1024 * 1024)) ?? ByteBuffer()
    }
}
