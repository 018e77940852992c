import Yams

extension ConfigurationFileParser {
    /// The `validation` and `structured_output` sections:
    ///
    /// ```yaml
    /// validation:
    ///   max_prompt_bytes: 8MB
    ///   max_messages: 500
    ///   max_images: 10
    ///   max_image_bytes: 5MB
    ///   max_tools: 64
    /// structured_output: { validate: true, retry: true }
    /// ```
    func validation(_ top: [String: Node], into configuration: inout SwitchboardConfiguration) throws {
        if let node = top["validation"] {
            let settings = try mapping(
                node, path: "validation",
                allowed: ["max_prompt_bytes", "max_messages", "max_images", "max_image_bytes", "max_tools"])
            var limits = ValidationLimits()
            if let value = settings["max_prompt_bytes"] {
                limits.maxPromptBytes = Int(try byteSize(value, path: "validation.max_prompt_bytes"))
            }
            if let value = settings["max_image_bytes"] {
                limits.maxImageBytes = Int(try byteSize(value, path: "validation.max_image_bytes"))
            }
            if let value = settings["max_messages"] {
                limits.maxMessages = try positiveInt(value, path: "validation.max_messages")
            }
            if let value = settings["max_images"] {
                limits.maxImages = try positiveInt(value, path: "validation.max_images", allowZero: true)
            }
            if let value = settings["max_tools"] {
                limits.maxTools = try positiveInt(value, path: "validation.max_tools", allowZero: true)
            }
            configuration.validation = limits
        }
        if let node = top["structured_output"] {
            let settings = try mapping(node, path: "structured_output", allowed: ["validate", "retry"])
            if let value = settings["validate"] {
                configuration.structuredOutput.validates = try bool(value, path: "structured_output.validate")
            }
            if let value = settings["retry"] {
                configuration.structuredOutput.retriesOnce = try bool(value, path: "structured_output.retry")
            }
        }
    }
}
