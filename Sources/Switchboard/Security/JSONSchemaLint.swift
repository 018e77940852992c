/// Checks that a JSON Schema sent to a provider (tool parameters, a response format) is sane before
/// anything is sent: known types, well-formed `properties`, `required`, `items`, `enum` and
/// combinators, only local `$ref`s, bounded depth.
enum JSONSchemaLint {
    /// The deepest nesting accepted.
    static let maximumDepth = 32

    /// The first problem in `schema` as (field path, problem), or `nil` when it is sane.
    static func problem(in schema: JSONValue, path: String) -> (field: String, problem: String)? {
        check(schema, root: schema, path: path, depth: 0)
    }

    private static func check(
        _ schema: JSONValue, root: JSONValue, path: String, depth: Int
    ) -> (field: String, problem: String)? {
        guard depth <= maximumDepth else { return (path, "the schema nests deeper than \(maximumDepth) levels") }
        if case .bool = schema, depth > 0 { return nil }
        guard case .object(let rules) = schema else { return (path, "a schema must be a JSON object") }
        if let type = rules["type"] {
            let names: [JSONValue] =
                switch type {
                case .array(let list): list
                default: [type]
                }
            for name in names {
                guard case .string(let text) = name, JSONSchemaValidator.types.contains(text) else {
                    return ("\(path).type", "\(name.jsonString()) is not a JSON Schema type")
                }
            }
            if names.isEmpty { return ("\(path).type", "an empty list of types allows nothing") }
        }
        var propertyNames: Set<String> = []
        if let properties = rules["properties"] {
            guard case .object(let members) = properties else {
                return ("\(path).properties", "must be an object mapping names to schemas")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                propertyNames.insert(name)
                if let problem = check(member, root: root, path: "\(path).properties.\(name)", depth: depth + 1) {
                    return problem
                }
            }
        }
        if let required = rules["required"] {
            guard case .array(let names) = required else { return ("\(path).required", "must be a list of names") }
            for name in names {
                guard case .string(let text) = name else {
                    return ("\(path).required", "\(name.jsonString()) is not a property name")
                }
                if rules["properties"] != nil, !propertyNames.contains(text),
                    rules["additionalProperties"] == .bool(false)
                {
                    return ("\(path).required", "requires '\(text)', which properties does not define")
                }
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            guard let sub = rules[key] else { continue }
            if case .bool = sub { continue }
            if case .array(let tuple) = sub, key == "items" {
                for (index, item) in tuple.enumerated() {
                    if let problem = check(item, root: root, path: "\(path).items[\(index)]", depth: depth + 1) {
                        return problem
                    }
                }
                continue
            }
            if let problem = check(sub, root: root, path: "\(path).\(key)", depth: depth + 1) { return problem }
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            guard let list = rules[key] else { continue }
            guard case .array(let alternatives) = list, !alternatives.isEmpty else {
                return ("\(path).\(key)", "must be a non-empty list of schemas")
            }
            for (index, alternative) in alternatives.enumerated() {
                if let problem = check(alternative, root: root, path: "\(path).\(key)[\(index)]", depth: depth + 1) {
                    return problem
                }
            }
        }
        if let values = rules["enum"] {
            guard case .array(let list) = values, !list.isEmpty else {
                return ("\(path).enum", "must be a non-empty list of values")
            }
        }
        if let reference = rules["$ref"] {
            guard case .string(let text) = reference, JSONSchemaValidator.resolve(text, in: root) != nil else {
                return (
                    "\(path).$ref", "only references inside the schema (#/$defs/…) are allowed, and they must exist"
                )
            }
        }
        for key in ["$defs", "definitions"] {
            guard case .object(let definitions)? = rules[key] else { continue }
            for (name, definition) in definitions.sorted(by: { $0.key < $1.key }) {
                if let problem = check(definition, root: root, path: "\(path).\(key).\(name)", depth: depth + 1) {
                    return problem
                }
            }
        }
        return nil
    }
}
