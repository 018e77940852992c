import Foundation
import Yams

/// Reads a `switchboard.yaml`, checking every key and type and naming the key path of any mistake.
///
/// ```yaml
/// default_provider: anthropic
/// timeouts: { connect: 10s, request: 10m, idle: 2m }
/// providers:
///   openai:
///     api_key: ${OPENAI_API_KEY}
///     default_model: gpt-4o-mini
///   anthropic:
///     api_key: ${ANTHROPIC_API_KEY}
///   local-vllm:
///     type: openai
///     base_url: http://127.0.0.1:8000/v1
/// ```
struct ConfigurationFileParser {
    let file: String
    let environment: [String: String]

    func parse(_ text: String) throws -> SwitchboardConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(kind: .invalidSyntax, keyPath: "", file: file, message: "not valid YAML: \(error)")
        }
        var configuration = SwitchboardConfiguration(
            dataDirectory: SwitchboardConfiguration.defaultDataDirectory(environment: environment))
        configuration.usage.ledger = .sqlite
        configuration.audit = AuditConfiguration()
        guard let root else { return configuration }
        let top = try mapping(
            root, path: "",
            allowed: [
                "default_provider", "timeouts", "providers", "data_directory", "routing", "resilience", "request_log",
                "usage", "pricing", "budgets", "rate_limits", "offline", "keys", "audit", "tls",
                "validation", "structured_output", "cache",
            ])
        if let node = top["routing"] { configuration.routing = try routing(node) }
        if let node = top["request_log"] { configuration.requestLog = try requestLog(node) }
        if let node = top["resilience"] { configuration.resilience = try resilience(node) }
        if let node = top["rate_limits"] { configuration.rateLimits = try rateLimits(node) }
        if let node = top["cache"] { configuration.cache = try cache(node) }
        configuration.usage.ledger = .sqlite
        if let node = top["usage"] { try usage(node, into: &configuration.usage) }
        if let node = top["pricing"] { configuration.usage.prices = try pricing(node) }
        if let node = top["budgets"] { configuration.usage.budgets = try budgets(node) }
        configuration.offline = try offline(top["offline"])
        try security(top, into: &configuration)
        try validation(top, into: &configuration)
        if let node = top["default_provider"] {
            configuration.defaultProvider = ProviderID(try string(node, path: "default_provider"))
        }
        if let node = top["data_directory"] {
            configuration.dataDirectory = try expandingEnvironment(
                try string(node, path: "data_directory"), path: "data_directory", node: node)
        }
        if let node = top["timeouts"] {
            let timeouts = try mapping(node, path: "timeouts", allowed: ["connect", "request", "idle"])
            if let value = timeouts["connect"] {
                configuration.transport.connectTimeout = try duration(value, path: "timeouts.connect")
            }
            if let value = timeouts["request"] {
                configuration.transport.requestTimeout = try duration(value, path: "timeouts.request")
            }
            if let value = timeouts["idle"] {
                configuration.transport.idleTimeout = try duration(value, path: "timeouts.idle")
            }
        }
        if let node = top["providers"] {
            guard case .mapping(let providers) = node else {
                throw wrongType(node, path: "providers", expected: "a mapping of provider names to settings")
            }
            for (key, value) in providers {
                let name = try string(key, path: "providers")
                configuration.providers.append(try provider(name: name, node: value, path: "providers.\(name)"))
            }
        }
        if let defaultProvider = configuration.defaultProvider,
            !configuration.providers.contains(where: { $0.id == defaultProvider }),
            ProviderKind(rawValue: defaultProvider.rawValue) == nil
        {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: "default_provider", file: file, line: top["default_provider"]?.line,
                message: "'\(defaultProvider)' is not a provider configured under providers")
        }
        return configuration
    }

    private static let commonKeys: Set<String> = [
        "type", "api_key", "api_keys", "base_url", "default_model", "embedding_model", "local",
    ]
    private static let keysByKind: [ProviderKind: Set<String>] = [
        .openAI: ["organization", "project", "legacy_max_tokens"],
        .anthropic: ["max_tokens", "version"],
        .gemini: [],
        .ollama: [
            "host", "keep_alive", "options", "models", "required_models", "storage_quota", "max_loaded_models",
            "max_loaded_memory", "update_interval",
        ],
    ]

    private func provider(name: String, node: Node, path: String) throws -> ProviderConfiguration {
        guard case .mapping(let raw) = node else { throw wrongType(node, path: path, expected: "a mapping") }
        let kind: ProviderKind
        if let typeNode = raw["type"] {
            let type = try string(typeNode, path: "\(path).type")
            guard let known = ProviderKind(rawValue: type) else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "\(path).type", file: file, line: typeNode.line,
                    message: "'\(type)' is not a provider type; use one of: "
                        + ProviderKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            kind = known
        } else if let known = ProviderKind(rawValue: name) {
            kind = known
        } else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: "\(path).type", file: file, line: node.line,
                message: "'\(name)' is not a built-in provider, so it needs a type ("
                    + ProviderKind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        let settings = try mapping(node, path: path, allowed: Self.commonKeys.union(Self.keysByKind[kind] ?? []))
        var provider = ProviderConfiguration(id: ProviderID(name), kind: kind)
        if let value = settings["api_key"] {
            provider.apiKey = APIKey(try secret(value, path: "\(path).api_key"))
        }
        if let value = settings["api_keys"] {
            provider.keys = try apiKeys(value, provider: ProviderID(name), path: path)
        }
        for key in ["base_url", "host"] {
            guard let value = settings[key] else { continue }
            var url = try expandingEnvironment(
                try string(value, path: "\(path).\(key)"), path: "\(path).\(key)", node: value)
            if kind == .ollama { url = OllamaConfiguration.normalizedHost(url) }
            do {
                _ = try BaseURL(url)
            } catch let error as ProviderError {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "\(path).\(key)", file: file, line: value.line, message: error.message
                )
            }
            provider.baseURL = url
        }
        if let value = settings["default_model"] {
            provider.defaultModel = try string(value, path: "\(path).default_model")
        }
        if let value = settings["embedding_model"] {
            provider.embeddingModel = try string(value, path: "\(path).embedding_model")
        }
        if let value = settings["organization"] {
            provider.organization = try string(value, path: "\(path).organization")
        }
        if let value = settings["project"] { provider.project = try string(value, path: "\(path).project") }
        if let value = settings["legacy_max_tokens"] {
            provider.usesLegacyMaxTokens = try bool(value, path: "\(path).legacy_max_tokens")
        }
        if let value = settings["max_tokens"] {
            provider.defaultMaxTokens = try positiveInt(value, path: "\(path).max_tokens")
        }
        if let value = settings["version"] { provider.version = try string(value, path: "\(path).version") }
        if let value = settings["local"] { provider.isLocal = try bool(value, path: "\(path).local") }
        if kind == .ollama { try readOllamaSettings(settings, into: &provider, path: path) }
        return provider
    }

    private func readOllamaSettings(
        _ settings: [String: Node], into provider: inout ProviderConfiguration, path: String
    ) throws {
        provider.ollamaOptions = try ollamaOptions(settings["options"], keepAlive: settings["keep_alive"], path: path)
        if let node = settings["models"] {
            guard case .mapping(let models) = node else {
                throw wrongType(node, path: "\(path).models", expected: "a mapping of model names to options")
            }
            for (key, value) in models {
                let model = try string(key, path: "\(path).models")
                let modelPath = "\(path).models.\(model)"
                let options = try mapping(
                    value, path: modelPath, allowed: Set(Self.ollamaOptionKeys.keys).union(["keep_alive"]))
                provider.ollamaModelOptions[model] = try ollamaOptions(
                    value, keepAlive: options["keep_alive"], path: modelPath, optionsAreInline: true)
            }
        }
        var policy = LocalModelPolicy()
        if let node = settings["required_models"] {
            guard case .sequence(let items) = node else {
                throw wrongType(node, path: "\(path).required_models", expected: "a list of model names")
            }
            policy.requiredModels = try items.map { try string($0, path: "\(path).required_models") }
        }
        if let node = settings["storage_quota"] {
            policy.storageQuota = try byteSize(node, path: "\(path).storage_quota")
        }
        if let node = settings["max_loaded_models"] {
            policy.maxLoadedModels = try positiveInt(node, path: "\(path).max_loaded_models")
        }
        if let node = settings["max_loaded_memory"] {
            policy.maxLoadedMemory = try byteSize(node, path: "\(path).max_loaded_memory")
        }
        if let node = settings["update_interval"] {
            policy.updateInterval = try duration(node, path: "\(path).update_interval")
        }
        provider.localModels = policy
    }

    private static let ollamaOptionKeys: [String: WritableKeyPath<OllamaOptions, Int?> & Sendable] = [
        "num_ctx": \.contextLength, "num_thread": \.threads, "num_gpu": \.gpuLayers,
    ]

    private func ollamaOptions(
        _ node: Node?, keepAlive: Node?, path: String, optionsAreInline: Bool = false
    ) throws -> OllamaOptions {
        var options = OllamaOptions()
        if let node {
            let optionsPath = optionsAreInline ? path : "\(path).options"
            let allowed = Set(Self.ollamaOptionKeys.keys).union(optionsAreInline ? ["keep_alive"] : [])
            let values = try mapping(node, path: optionsPath, allowed: allowed)
            for (key, keyPath) in Self.ollamaOptionKeys {
                guard let value = values[key] else { continue }
                options[keyPath: keyPath] = try positiveInt(
                    value, path: "\(optionsPath).\(key)", allowZero: key == "num_gpu")
            }
        }
        if let keepAlive { options.keepAlive = try string(keepAlive, path: "\(path).keep_alive") }
        return options
    }

    /// ```yaml
    /// routing:
    ///   classify_sensitivity: true
    ///   tasks:
    ///     simple: { localities: [local, external], preferred_models: [ollama/llama3.2] }
    ///     complex: { localities: [external], max_price: 5, max_latency: 20s }
    ///   prices: { openai/gpt-4o: 6.25 }
    /// ```
    func decimal(_ node: Node, path: String) throws -> Decimal {
        let text = try string(node, path: path)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value >= 0 else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: path, file: file, line: node.line, message: "'\(text)' is not a price")
        }
        return value
    }

    // MARK: Typed reads

    func mapping(_ node: Node, path: String, allowed: Set<String>) throws -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            throw wrongType(node, path: path, expected: "a mapping")
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            let name = try string(key, path: path)
            let keyPath = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                throw ConfigurationError(
                    kind: .unknownKey, keyPath: keyPath, file: file, line: key.line,
                    message: "unknown key; expected one of: \(allowed.sorted().joined(separator: ", "))")
            }
            result[name] = value
        }
        return result
    }

    func string(_ node: Node, path: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw wrongType(node, path: path, expected: "text") }
        return scalar.string
    }

    /// Text that must be one of `Choice`'s raw values; the error calls the value `what` ("a period") and
    /// lists `choices` ("daily, monthly or total").
    func choice<Choice: RawRepresentable<String>>(
        _ node: Node, path: String, what: String, choices: String
    ) throws -> Choice {
        let text = try string(node, path: path)
        guard let value = Choice(rawValue: text) else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: path, file: file, line: node.line,
                message: "'\(text)' is not \(what); use \(choices)")
        }
        return value
    }

    func int(_ node: Node, path: String) throws -> Int {
        guard case .scalar = node, let value = node.int else {
            throw wrongType(node, path: path, expected: "a whole number")
        }
        return value
    }

    func positiveInt(_ node: Node, path: String, allowZero: Bool = false) throws -> Int {
        let value = try int(node, path: path)
        guard value > 0 || (allowZero && value == 0) else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: path, file: file, line: node.line, message: "must be a positive number")
        }
        return value
    }

    func byteSize(_ node: Node, path: String) throws -> Int64 {
        let text = try string(node, path: path)
        guard let bytes = ByteSize.parse(text), bytes > 0 else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: path, file: file, line: node.line,
                message: "'\(text)' is not a size; write it like 500MB, 20GB or 8GiB")
        }
        return bytes
    }

    func bool(_ node: Node, path: String) throws -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw wrongType(node, path: path, expected: "true or false")
        }
        return value
    }

    /// A number of seconds, or a number with a unit: `500ms`, `10s`, `2m`, `1h`.
    func duration(_ node: Node, path: String) throws -> Duration {
        let text = try string(node, path: path).trimmingCharacters(in: .whitespaces)
        let parsed: Duration? =
            if let seconds = Double(text) {
                .milliseconds(Int64((seconds * 1000).rounded()))
            } else {
                RateLimitHeaders.goDuration(text)
            }
        guard let parsed, parsed > .zero else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: path, file: file, line: node.line,
                message: "'\(text)' is not a positive duration (use seconds, or 500ms, 10s, 2m, 1h)")
        }
        return parsed
    }

    /// ``duration(_:path:)``, or `0` for none.
    func durationOrZero(_ node: Node, path: String) throws -> Duration {
        if Double(try string(node, path: path).trimmingCharacters(in: .whitespaces)) == 0 { return .zero }
        return try duration(node, path: path)
    }

    /// A secret must be a whole `${NAME}` or `file:/path` reference, never the secret itself.
    func secret(_ node: Node, path: String) throws -> String {
        let text = try string(node, path: path).trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("file:") { return try fileSecret(String(text.dropFirst(5)), path: path, node: node) }
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count > 3 else {
            throw ConfigurationError(
                kind: .plainSecret, keyPath: path, file: file, line: node.line,
                message:
                    "secrets must not be written into the file; use a reference such as ${OPENAI_API_KEY} or file:/run/secrets/openai"
            )
        }
        return try expandingEnvironment(text, path: path, node: node)
    }

    /// Replaces each `${NAME}` with the environment variable's value.
    func expandingEnvironment(_ text: String, path: String, node: Node) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: path, file: file, line: node.line,
                    message: "unclosed ${ in environment reference")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name], !value.isEmpty else {
                throw ConfigurationError(
                    kind: .missingEnvironmentVariable, keyPath: path, file: file, line: node.line,
                    message: "refers to environment variable \(name), which is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    func wrongType(_ node: Node, path: String, expected: String) -> ConfigurationError {
        let found =
            switch node {
            case .scalar: "a single value"
            case .mapping: "a mapping"
            case .sequence: "a list"
            case .alias: "an alias"
            }
        return ConfigurationError(
            kind: .wrongType, keyPath: path, file: file, line: node.line,
            message: "expected \(expected), found \(found)")
    }
}

extension Node {
    /// The 1-based line the node starts on.
    var line: Int? { mark.map { $0.line } }
}
