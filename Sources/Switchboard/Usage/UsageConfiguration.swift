import Foundation

/// How an ``LLMClient`` prices, records and limits usage.
public struct UsageConfiguration: Sendable {
    /// Where ledger rows are kept.
    public enum LedgerKind: String, Hashable, Sendable, CaseIterable {
        /// No ledger: usage is only counted in memory by the ``UsageTracker``.
        case none
        /// Rows in memory (``InMemoryUsageStore``), lost at exit.
        case memory
        /// Rows in the embedded SQLite database (``SQLiteUsageStore``) at ``ledgerPath``.
        case sqlite
    }

    /// The time zone days and months are counted in.
    public var timeZone: TimeZone
    /// `.none` for a configuration built in code; `.sqlite` when loaded with ``SwitchboardConfiguration/load(environment:currentDirectory:)``.
    public var ledger: LedgerKind
    /// The SQLite file; `nil` means `<dataDirectory>/usage.sqlite`.
    public var ledgerPath: String?
    /// A store of your own (PostgreSQL, …); overrides ``ledger``.
    public var store: (any UsageStore)?
    /// The prices costs are computed from: the bundled table with the configuration's rows on top.
    public var prices: PriceTable
    public var budgets: BudgetConfiguration
    /// The wall clock days and months are read from.
    public var wallClock: WallClock
    /// How long a ledger row waits for others to share its write: one transaction per request costs
    /// more than the request itself at a few hundred requests a second. Shutdown writes at once.
    public var ledgerWriteDelay: Duration = .milliseconds(100)

    public init(
        timeZone: TimeZone = .current, ledger: LedgerKind = .none, ledgerPath: String? = nil,
        store: (any UsageStore)? = nil, prices: PriceTable = .bundled, budgets: BudgetConfiguration = .init(),
        wallClock: WallClock = .system
    ) {
        self.timeZone = timeZone
        self.ledger = ledger
        self.ledgerPath = ledgerPath
        self.store = store
        self.prices = prices
        self.budgets = budgets
        self.wallClock = wallClock
    }
}
