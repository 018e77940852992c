import ArgumentParser
import Foundation
import Switchboard
import SwitchboardGateway

/// `switchboard gateway …`: manage the gateway.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Manage the gateway's virtual keys.",
        subcommands: [GatewayKeysCommand.self])
}

/// `switchboard gateway keys create|list|revoke`.
struct GatewayKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the gateway's virtual keys (stored hashed in the data directory).",
        subcommands: [Create.self, List.self, Revoke.self])

    static func store() throws -> GatewayKeyStore {
        let environment = ProcessInfo.processInfo.environment
        return GatewayKeyStore(dataDirectory: SwitchboardConfiguration.defaultDataDirectory(environment: environment))
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print it once; only its hash is kept.")

        @Argument(help: "A name for the key (the program or team using it).")
        var name: String

        @Option(name: .customLong("model"), help: "A model the key may use (repeatable; 'gpt-4o*' matches a prefix).")
        var models: [String] = []

        @Option(name: .long, help: "The feature its requests are attributed to.")
        var feature: String?

        @Option(name: .long, help: "The user its requests are attributed to.")
        var user: String?

        @Option(name: .long, help: "The component its requests are attributed to (default: the key's name).")
        var component: String?

        @Option(name: .long, help: "Requests per minute for this key; over it the gateway answers 429.")
        var rpm: Int?

        @Option(name: .long, help: "Tokens per minute for this key; over it the gateway answers 429.")
        var tpm: Int?

        @Option(
            name: .long,
            help: "A hard spending limit in US dollars (e.g. 25 or 0.50); a request that could pass it gets 429.")
        var budget: String?

        @Option(name: .long, help: "The period the budget is for: daily, monthly or total.")
        var budgetPeriod: UsagePeriod = .monthly

        func validate() throws {
            if let budget, Self.microdollars(budget) == nil {
                throw ValidationError("--budget must be an amount in US dollars, like 25 or 0.50")
            }
        }

        /// Whole microdollars of `text`, a non-negative decimal amount of dollars with at most six places.
        static func microdollars(_ text: String) -> Int64? {
            guard let dollars = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), dollars >= 0,
                text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") })
            else { return nil }
            let money = Money(dollars: dollars)
            guard money.picodollars % 1_000_000 == 0 else { return nil }
            return money.picodollars / 1_000_000
        }

        func run() async throws {
            let output = TerminalOutput(environment: ProcessInfo.processInfo.environment)
            var generator = SystemRandomNumberGenerator()
            let created: (key: VirtualKey, secret: String)
            do {
                created = try GatewayKeysCommand.store().create(
                    name: name, allowedModels: models, feature: feature, user: user, component: component,
                    requestsPerMinute: rpm, tokensPerMinute: tpm, budgetMicrodollars: budget.flatMap(Self.microdollars),
                    budgetPeriod: budget == nil ? nil : budgetPeriod, now: Date(), using: &generator)
            } catch let error as GatewayKeyStoreError {
                throw UsageError(description: error.message)
            }
            output.write(created.secret + "\n")
            output.writeError("created key \(created.key.id) '\(created.key.name)'; the key is shown only once\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            let output = TerminalOutput(environment: ProcessInfo.processInfo.environment)
            let keys = try GatewayKeysCommand.store().list()
            if json {
                let values: [JSONValue] = keys.map { key in
                    [
                        "id": .string(key.id), "name": .string(key.name), "prefix": .string(key.displayPrefix),
                        "models": .array(key.allowedModels.map(JSONValue.string)),
                        "feature": key.feature.map(JSONValue.string) ?? .null,
                        "user": key.user.map(JSONValue.string) ?? .null,
                        "active": .bool(key.isActive),
                        "budget_usd": key.budgetMicrodollars.map {
                            .string(Money(microdollars: $0).plainDecimalString())
                        } ?? .null,
                        "budget_period": key.budgetMicrodollars == nil
                            ? .null : .string((key.budgetPeriod ?? .monthly).rawValue),
                    ]
                }
                output.write(JSONValue.array(values).jsonString() + "\n")
                return
            }
            if keys.isEmpty {
                output.write("no keys\n")
                return
            }
            for key in keys {
                let models = key.allowedModels.isEmpty ? "all models" : key.allowedModels.joined(separator: ",")
                let state = key.isActive ? "active" : "revoked"
                let budget = key.budgetMicrodollars.map {
                    "  budget \(Money(microdollars: $0)) \((key.budgetPeriod ?? .monthly).rawValue)"
                }
                output.write(
                    "\(key.id)  \(key.name)  \(key.displayPrefix)…  \(models)  \(state)\(budget ?? "")\n")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key by id or name; a running gateway refuses it at once.")

        @Argument(help: "The key's id (vk_…) or name.")
        var key: String

        func run() async throws {
            let output = TerminalOutput(environment: ProcessInfo.processInfo.environment)
            do {
                let revoked = try GatewayKeysCommand.store().revoke(key, now: Date())
                output.write("revoked \(revoked.id) '\(revoked.name)'\n")
            } catch let error as GatewayKeyStoreError {
                throw UsageError(description: error.message)
            }
        }
    }
}
