import ArgumentParser
import Foundation
import Logging
import Switchboard

/// The `switchboard` command.
struct SwitchboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "One interface to OpenAI, Anthropic, Gemini and local models.",
        discussion: """
            Providers come from the environment (OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, \
            ANTHROPIC_BASE_URL, GEMINI_API_KEY, GEMINI_BASE_URL, OLLAMA_HOST) and from switchboard.yaml (SWITCHBOARD_CONFIG, ./switchboard.yaml, \
            $XDG_CONFIG_HOME/switchboard/config.yaml).

            Exit codes: 0 success, 1 internal failure, 2 usage error, 3 no provider configured or invalid \
            configuration, 4 provider error, 5 network error, timeout or offline, 130 interrupted.
            """,
        subcommands: [
            AskCommand.self, ModelsCommand.self, StatusCommand.self, LocalCommand.self, UsageCommand.self,
            DemoCommand.self, ServeCommand.self, SimulateCommand.self, GatewayCommand.self, OutboxCommand.self,
            KeysCommand.self, AuditCommand.self, CacheCommand.self,
        ]
    )
}

/// Options every command that talks to providers takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .long, help: "Log each request to stderr (never prompts, answers or keys).")
    var verbose = false

    @Flag(
        name: .long,
        help: "Write each request's JSON log line, with its prompt and answer (keys redacted), to stderr.")
    var debug = false
}

/// What commands share while running.
struct CommandEnvironment {
    let output: TerminalOutput
    let environment: [String: String]
    let logger: Logger

    /// Debug mode from `--debug` (`SWITCHBOARD_DEBUG=1` also turns it on).
    let debug: Bool

    init(verbose: Bool, debug: Bool = false) {
        self.debug = debug
        environment = ProcessInfo.processInfo.environment
        output = TerminalOutput(environment: environment)
        var logger = Logger(label: "switchboard") { label in
            StreamLogHandler.standardError(label: label)
        }
        logger.logLevel = verbose ? .debug : .critical
        self.logger = logger
    }

    func loadConfiguration() throws -> SwitchboardConfiguration {
        var configuration = try SwitchboardConfiguration.load(environment: environment)
        if debug { configuration.debug = true }
        return configuration
    }
}
