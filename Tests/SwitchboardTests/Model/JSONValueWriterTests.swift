import Foundation
import Switchboard
import Testing

@Suite("JSONValue writer")
struct JSONValueWriterTests {
    /// What Foundation writes for the same value, the output ``JSONValue/jsonString()`` promises.
    private func foundation(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("writes exactly what JSONEncoder writes: numbers, escapes, key order, nesting")
    func matchesFoundation() throws {
        var controls = ""
        for scalar in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        let value: JSONValue = [
            "numbers": [1.0, 0.1, 1e21, 1e-7, -0.0, 0.30000000000000004, 1e16, 123456789.123, 2.5e-10, 100],
            "integers": [0, -1, 9_223_372_036_854_775_807],
            "text": .string("a/b\"c\\d \u{7f}é😀\u{2028}" + controls),
            "é": "precomposed", "e\u{301}x": "decomposed", "f": "ascii", "B": true, "a10": false, "a2": nil,
            "nested": ["empty": [:], "list": [[], ["x": [1, "two", nil]]]],
        ]
        #expect(value.jsonString() == (try foundation(value)))
        for scalar: JSONValue in [nil, true, 42, 2.5, "plain", [], [:]] {
            #expect(scalar.jsonString() == (try foundation(scalar)))
        }
    }

    @Test("round-trips through the parser")
    func roundTrips() throws {
        let value: JSONValue = ["tool": ["name": "lookup", "arguments": ["city": "Zürich", "days": 3, "hot": 31.5]]]
        #expect(try JSONValue.parse(value.jsonString()) == value)
    }
}
