import Foundation
import Yams

extension ConfigurationFileParser {
    /// The `usage:` section: the time zone days and months are counted in, where the ledger is kept, and
    /// how long a row waits to share its write with others.
    ///
    /// ```yaml
    /// usage: { time_zone: Europe/Berlin, ledger: sqlite, write_delay: 100ms }
    /// ```
    func usage(_ node: Node, into usage: inout UsageConfiguration) throws {
        let settings = try mapping(node, path: "usage", allowed: ["time_zone", "ledger", "write_delay"])
        if let value = settings["time_zone"] {
            let name = try string(value, path: "usage.time_zone")
            guard let zone = TimeZone(identifier: name) else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "usage.time_zone", file: file, line: value.line,
                    message: "'\(name)' is not a time zone; use an IANA name like Europe/Berlin or UTC")
            }
            usage.timeZone = zone
        }
        if let value = settings["ledger"] {
            usage.ledger = try choice(
                value, path: "usage.ledger", what: "a ledger", choices: "sqlite, memory or none")
        }
        if let value = settings["write_delay"] {
            usage.ledgerWriteDelay = try durationOrZero(value, path: "usage.write_delay")
        }
    }
}
