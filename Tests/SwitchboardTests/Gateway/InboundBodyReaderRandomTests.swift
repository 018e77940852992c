import Foundation
import Testing

@testable import Switchboard
@testable import SwitchboardGateway

/// Generated chat requests read by the gateway's hand-written reader and by `JSONDecoder`: whenever
/// the reader accepts one, `JSONDecoder` must read the same value (see ``JSONReaderRandomTests``).
@Suite struct InboundBodyReaderRandomTests {
    typealias Generator = JSONReaderRandomTests.Generator

    static func double(_ generator: inout Generator) -> String {
        generator.chance(90)
            ? generator.pick(["0", "1", "0.7", "-0.5", "1e-3", "2E2", "0.30000000000000004", "-0", "12.5e-1"])
            : generator.pick(["1e400", ".5", "1.e2", "\"0.7\""])
    }

    static func content(_ generator: inout Generator) -> String {
        switch Int.random(in: 0..<7, using: &generator.random) {
        case 0: return generator.string()
        case 1, 2: return generator.string()
        case 3: return "null"
        case 4, 5:
            return generator.array { generator in
                generator.object([
                    ("type", generator.pick(["\"text\"", "\"image_url\"", "null"])), ("text", generator.string()),
                    ("image_url", generator.object([("url", generator.string()), ("detail", "\"low\"")])),
                ])
            }
        default: return generator.scalar()
        }
    }

    static func message(_ generator: inout Generator) -> String {
        generator.object([
            ("role", generator.chance(97) ? generator.pick(["\"user\"", "\"system\"", "\"assistant\""]) : "null"),
            ("content", content(&generator)),
            (
                "tool_calls",
                generator.array { generator in
                    generator.object([
                        ("id", generator.string()), ("type", "\"function\""),
                        (
                            "function",
                            generator.object([("name", generator.string()), ("arguments", generator.string())])
                        ),
                    ])
                }
            ),
            ("tool_call_id", generator.value("string", depth: 0)),
        ])
    }

    static func body(_ generator: inout Generator) -> String {
        let stop = generator.chance(50) ? generator.string() : generator.array { $0.string() }
        return generator.object([
            ("model", generator.value("string", depth: 0)),
            ("messages", generator.chance(95) ? generator.array { message(&$0) } : generator.scalar()),
            ("stream", generator.chance(90) ? generator.pick(["true", "false", "null"]) : "1"),
            ("stream_options", generator.object([("include_usage", generator.pick(["true", "false", "null"]))])),
            ("temperature", double(&generator)), ("top_p", double(&generator)),
            ("max_tokens", generator.value("int", depth: 0)), ("seed", generator.number()),
            ("stop", stop), ("user", generator.value("string", depth: 0)), ("n", generator.value("int", depth: 0)),
            ("tools", generator.chance(80) ? "null" : "[]"),
            ("metadata", generator.unknown(depth: 0)),
        ])
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func whateverTheReaderAcceptsJSONDecoderReadsTheSame(seed: UInt64) throws {
        var generator = Generator(random: SeededGenerator(seed: seed))
        var accepted = 0
        for _ in 0..<3000 {
            let text = Self.body(&generator)
            guard let fast = try? InboundBodyReaderTests.fast(text) else { continue }
            accepted += 1
            let reference = try? InboundBodyReaderTests.reference(text)
            let same = reference.map { String(reflecting: $0) } == String(reflecting: fast)
            #expect(same, "\(text)")
            if !same { return }
        }
        #expect(accepted > 100)
    }
}
