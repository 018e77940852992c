/// A small JSON Schema checker: enough of the standard for tool parameters and structured output.
///
/// Understands `type` (one or a list; `integer` is a whole number), `properties`, `required`,
/// `additionalProperties` (true, false or a schema), `items`, `enum`, `const`, `minItems`/`maxItems`,
/// `minLength`/`maxLength`, `minimum`/`maximum`, `anyOf` and local `$ref`s to `#/$defs/…` or
/// `#/definitions/…`. Other keywords are ignored, never failed on.
public enum JSONSchemaValidator {
    /// One place `value` does not match.
    public struct Violation: Hashable, Sendable, CustomStringConvertible {
        /// Where, like `$.items[2].price`.
        public var path: String
        public var problem: String

        public var description: String { "\(path): \(problem)" }
    }

    /// The JSON Schema types.
    static let types: Set<String> = ["object", "array", "string", "number", "integer", "boolean", "null"]

    /// Every place `value` breaks `schema` (at most `limit`), in document order.
    public static func violations(of value: JSONValue, against schema: JSONValue, limit: Int = 20) -> [Violation] {
        var found: [Violation] = []
        check(value, schema, root: schema, path: "$", into: &found, limit: limit, depth: 0)
        return found
    }

    private static func check(
        _ value: JSONValue, _ schema: JSONValue, root: JSONValue, path: String, into found: inout [Violation],
        limit: Int, depth: Int
    ) {
        guard found.count < limit, depth < 64, case .object(let rules) = schema else { return }
        func fail(_ problem: String) { found.append(Violation(path: path, problem: problem)) }
        if case .string(let reference)? = rules["$ref"], let target = resolve(reference, in: root) {
            check(value, target, root: root, path: path, into: &found, limit: limit, depth: depth + 1)
        }
        if let expected = rules["type"] {
            let allowed: [String] =
                switch expected {
                case .string(let type): [type]
                case .array(let list): list.compactMap { if case .string(let type) = $0 { type } else { nil } }
                default: []
                }
            if !allowed.isEmpty, !allowed.contains(where: { matches(value, type: $0) }) {
                fail("expected \(allowed.joined(separator: " or ")), found \(typeName(value))")
                return
            }
        }
        if case .array(let options)? = rules["enum"], !options.contains(where: { same($0, value) }) {
            fail("must be one of \(JSONValue.array(options).jsonString())")
        }
        if let constant = rules["const"], !same(constant, value) { fail("must be \(constant.jsonString())") }
        if case .array(let alternatives)? = rules["anyOf"] {
            let matchesOne = alternatives.contains { alternative in
                violations(of: value, against: inlined(alternative, root: root), limit: 1).isEmpty
            }
            if !matchesOne { fail("matches none of the anyOf alternatives") }
        }
        switch value {
        case .object(let members):
            let properties: [String: JSONValue] =
                if case .object(let properties)? = rules["properties"] { properties } else { [:] }
            if case .array(let required)? = rules["required"] {
                for case .string(let name) in required where members[name] == nil {
                    fail("missing required property '\(name)'")
                }
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let memberPath = path + "." + name
                if let propertySchema = properties[name] {
                    check(
                        member, propertySchema, root: root, path: memberPath, into: &found, limit: limit,
                        depth: depth + 1)
                } else if let additional = rules["additionalProperties"] {
                    if additional == .bool(false) {
                        found.append(Violation(path: memberPath, problem: "is not an allowed property"))
                    } else {
                        check(
                            member, additional, root: root, path: memberPath, into: &found, limit: limit,
                            depth: depth + 1)
                    }
                }
            }
        case .array(let elements):
            if let minimum = number(rules["minItems"]), Double(elements.count) < minimum {
                fail("needs at least \(Int(minimum)) items, has \(elements.count)")
            }
            if let maximum = number(rules["maxItems"]), Double(elements.count) > maximum {
                fail("allows at most \(Int(maximum)) items, has \(elements.count)")
            }
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() {
                    check(
                        element, items, root: root, path: "\(path)[\(index)]", into: &found, limit: limit,
                        depth: depth + 1)
                }
            }
        case .string(let text):
            if let minimum = number(rules["minLength"]), Double(text.count) < minimum {
                fail("needs at least \(Int(minimum)) characters")
            }
            if let maximum = number(rules["maxLength"]), Double(text.count) > maximum {
                fail("allows at most \(Int(maximum)) characters")
            }
        case .number, .integer:
            let value = number(value) ?? 0
            if let minimum = number(rules["minimum"]), value < minimum { fail("must be at least \(minimum)") }
            if let maximum = number(rules["maximum"]), value > maximum { fail("must be at most \(maximum)") }
        default:
            break
        }
    }

    private static func inlined(_ schema: JSONValue, root: JSONValue) -> JSONValue {
        guard case .object(let rules) = schema, case .string(let reference)? = rules["$ref"],
            let target = resolve(reference, in: root)
        else { return schema }
        return target
    }

    static func resolve(_ reference: String, in root: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for part in reference.dropFirst(2).split(separator: "/") {
            guard case .object(let members)? = node else { return nil }
            node = members[String(part)]
        }
        return node
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .number(let number): number
        case .integer(let integer): Double(integer)
        default: nil
        }
    }

    private static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = number(lhs), let right = number(rhs) { return left == right }
        return lhs == rhs
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number), ("number", .integer), ("integer", .integer):
            return true
        case ("integer", .number(let number)): return number.rounded() == number && number.isFinite
        default: return false
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer: "integer"
        case .number(let number): number.rounded() == number ? "integer" : "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }
}
