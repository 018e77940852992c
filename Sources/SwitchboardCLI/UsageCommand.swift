import ArgumentParser
import Foundation
import Switchboard

/// `switchboard usage`: requests, tokens, cost, cache savings and error rate from the usage ledger.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Report requests, tokens, cost, cache savings and error rate from the usage ledger.",
        discussion: """
            Reads <data directory>/usage.sqlite (SWITCHBOARD_HOME). Days are calendar days in usage.time_zone. \
            Costs of models without a price are not guessed: such rows are counted as UNPRICED.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @Option(name: .long, help: "Group by provider, model, feature, user or day.")
    var by: String = "provider"

    @Option(name: .long, help: "First day to include, like 2026-11-01.")
    var since: String?

    @Option(name: .long, help: "Last day to include, like 2026-11-30.")
    var until: String?

    @Option(name: .long, help: "table, json or csv.")
    var format: Format = .table

    @Option(name: .long, help: "How many of the most expensive features and prompts to list.")
    var top: Int = 5

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard UsageReport.Grouping(rawValue: by) != nil else {
            throw ValidationError("--by must be one of: provider, model, feature, user, day")
        }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() async throws {
        let environment = CommandEnvironment(verbose: global.verbose)
        let configuration = try environment.loadConfiguration()
        let calendar = PeriodCalendar(timeZone: configuration.usage.timeZone)
        func day(_ text: String?, option: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = calendar.date(fromDay: text) else {
                throw UsageError(description: "\(option) '\(text)' is not a day like 2026-11-01")
            }
            return date
        }
        let lower = try day(since, option: "--since")
        let upper = try day(until, option: "--until").map { calendar.start(of: .daily, containing: $0 + 36 * 3600) }
        let path = configuration.usage.ledgerPath ?? SQLiteUsageStore.path(dataDirectory: configuration.dataDirectory)
        let records: [UsageRecord]
        if FileManager.default.fileExists(atPath: path) {
            records = try await SQLiteUsageStore(path: path).records(since: lower, until: upper)
        } else {
            records = []
        }
        let report = UsageReport(
            records: records, by: UsageReport.Grouping(rawValue: by) ?? .provider, calendar: calendar, top: top)
        let output = environment.output
        switch format {
        case .table: output.write(UsageReportRenderer.table(report))
        case .json: output.write(UsageReportRenderer.json(report, since: since, until: until).jsonString() + "\n")
        case .csv: output.write(UsageReportRenderer.csv(report))
        }
    }
}
