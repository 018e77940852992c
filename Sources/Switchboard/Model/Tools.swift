/// A function the model may call.
public struct ToolDefinition: Hashable, Sendable {
    public var name: String
    public var description: String?
    /// A JSON Schema object describing the arguments.
    public var parameters: JSONValue
    /// Asks providers that support it to follow the schema exactly.
    public var strict: Bool?

    public init(name: String, description: String? = nil, parameters: JSONValue, strict: Bool? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
    }
}

/// Whether and which tool the model must call.
public enum ToolChoice: Hashable, Sendable {
    case auto
    case none
    /// The model must call some tool.
    case required
    /// The model must call this tool.
    case tool(String)
}

/// The shape of the model's answer.
public enum ResponseFormat: Hashable, Sendable {
    case text
    /// Any valid JSON object.
    case json
    /// JSON that follows `schema`.
    case jsonSchema(name: String, schema: JSONValue, strict: Bool = true)
}
