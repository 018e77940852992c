import Foundation
import Testing

@testable import Switchboard

/// Thousands of generated completion bodies — members absent, null, of the wrong type, named twice;
/// strings with escapes and non-ASCII text; numbers of every form; unknown nested members; random
/// whitespace and the odd syntax error — each read by the hand-written reader and by `JSONDecoder`.
/// Whenever the reader accepts a document, `JSONDecoder` must read the same value from it.
@Suite struct JSONReaderRandomTests {
    struct Generator {
        var random: SeededGenerator

        mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

        mutating func pick<T>(_ choices: [T]) -> T { choices.randomElement(using: &random)! }

        mutating func space() -> String { chance(20) ? pick([" ", "\n", "\t ", "\r\n  "]) : "" }

        mutating func string() -> String {
            let pieces = [
                "a", "Hello", " ", "é", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\ud83d\\ude00", "\\t", "{", "]",
            ]
            let broken = ["\\x", "\\ud83d", "\t", "\\u12"]
            var text = ""
            for _ in 0..<Int.random(in: 0..<6, using: &random) { text += pick(pieces) }
            if chance(3) { text += pick(broken) }
            return "\"" + text + "\""
        }

        mutating func number() -> String {
            pick([
                "0", "7", "-3", "42", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1.5",
                "1e3", "-0", "01", "2.", "1E-2", "-",
            ])
        }

        mutating func scalar() -> String {
            switch Int.random(in: 0..<5, using: &random) {
            case 0: string()
            case 1: number()
            case 2: pick(["true", "false"])
            case 3: "null"
            default: chance(50) ? "[" + space() + "]" : "{}"
            }
        }

        mutating func unknown(depth: Int) -> String {
            guard depth < 3, chance(40) else { return scalar() }
            if chance(50) {
                let items = (0..<Int.random(in: 0..<3, using: &random)).map { _ in unknown(depth: depth + 1) }
                return "[" + items.joined(separator: "," + space()) + (chance(2) ? "," : "") + "]"
            }
            return object([("x", unknown(depth: depth + 1)), ("y", scalar())])
        }

        /// One member's value: mostly of its own kind, sometimes null or another kind.
        mutating func value(_ kind: String, depth: Int) -> String {
            if chance(8) { return "null" }
            if chance(8) { return scalar() }
            switch kind {
            case "string": return string()
            case "int": return pick(["0", "3", "12", "-1", "150000", "1.0", "2e1"])
            case "choices": return array { $0.choice(depth: depth) }
            case "usage":
                return object([
                    ("prompt_tokens", value("int", depth: depth)), ("completion_tokens", value("int", depth: depth)),
                    ("prompt_tokens_details", object([("cached_tokens", value("int", depth: depth))])),
                    ("completion_tokens_details", object([("reasoning_tokens", value("int", depth: depth))])),
                ])
            case "message":
                return object([
                    ("role", string()), ("content", value("string", depth: depth)),
                    ("refusal", value("string", depth: depth)),
                    ("tool_calls", array { $0.toolCall(depth: depth) }),
                ])
            default: return unknown(depth: depth)
            }
        }

        mutating func choice(depth: Int) -> String {
            object([
                ("index", value("int", depth: depth)), ("message", value("message", depth: depth)),
                ("delta", value("message", depth: depth)), ("finish_reason", value("string", depth: depth)),
            ])
        }

        mutating func toolCall(depth: Int) -> String {
            object([
                ("index", value("int", depth: depth)), ("id", value("string", depth: depth)),
                ("function", object([("name", string()), ("arguments", value("string", depth: depth))])),
            ])
        }

        mutating func array(_ element: (inout Generator) -> String) -> String {
            let items = (0..<Int.random(in: 0..<3, using: &random)).map { _ in element(&self) }
            return "[" + space() + items.joined(separator: space() + "," + space()) + space() + "]"
        }

        /// An object with some of `members` (shuffled, sometimes twice) and sometimes unknown ones.
        mutating func object(_ members: [(String, String)]) -> String {
            var chosen = members.filter { _ in chance(75) }
            if chance(5), let twice = members.randomElement(using: &random) { chosen.append(twice) }
            if chance(30) { chosen.append(("extra_\(Int.random(in: 0..<3, using: &random))", unknown(depth: 0))) }
            chosen.shuffle(using: &random)
            let body = chosen.map { "\"\($0.0)\"" + space() + ":" + space() + $0.1 }.joined(separator: "," + space())
            return "{" + space() + body + (chance(2) ? "," : "") + space() + "}"
        }

        mutating func completion() -> String {
            let members = [
                ("id", value("string", depth: 0)), ("model", value("string", depth: 0)),
                ("object", "\"chat.completion.chunk\""), ("created", "1727346182"),
                ("choices", value("choices", depth: 0)), ("usage", value("usage", depth: 0)),
            ]
            return space() + object(members) + space()
        }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func whateverTheReaderAcceptsJSONDecoderReadsTheSame(seed: UInt64) throws {
        var generator = Generator(random: SeededGenerator(seed: seed))
        var accepted = 0
        for _ in 0..<1500 {
            let text = generator.completion()
            guard let fast = try? JSONReaderTests.fast(text) else { continue }
            accepted += 1
            let reference = try? JSONReaderTests.reference(text)
            let same = reference.map { String(reflecting: $0) } == String(reflecting: fast)
            #expect(same, "\(text)")
            if !same { return }
        }
        // The generator must exercise the reader: a good share of documents is read, not turned down.
        #expect(accepted > 150)
    }
}
