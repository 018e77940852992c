import Crypto
import Foundation

/// The hash chain that makes the audit trail tamper-evident.
///
/// `hash(n) = SHA-256(hash(n-1) as 64 hex digits ‖ canonical(n))`, with 64 zeros before the first
/// entry. The canonical form is `v1` followed by the sequence number, the time in milliseconds since
/// 1970 and each field of the event, every field escaped (`\` → `\\`, `|` → `\|`, absent → `\0`)
/// and joined by `|`. Editing, inserting, deleting or reordering an entry breaks the chain at that
/// point; deleting entries at the end is caught by the store's head record (the last sequence and hash).
public enum AuditChain {
    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical form of an entry numbered `sequence` holding `event`.
    public static func canonical(sequence: Int64, event: AuditEvent) -> String {
        func field(_ value: String?) -> String {
            guard let value else { return "\\0" }
            guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "|") }) else {
                return value
            }
            return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
        }
        let fields: [String?] = [
            "v1", String(sequence), String(milliseconds(event.date)), event.action.rawValue,
            event.provider?.rawValue, event.model, event.keyName, event.keyFingerprint, event.component,
            event.feature, event.user, event.outcome, event.detail,
        ]
        return fields.map(field).joined(separator: "|")
    }

    /// The hash of an entry numbered `sequence` holding `event`, after `previousHash`.
    public static func hash(previousHash: String, sequence: Int64, event: AuditEvent) -> String {
        let digest = Crypto.SHA256.hash(data: Array((previousHash + canonical(sequence: sequence, event: event)).utf8))
        return digest.lowercaseHex
    }

    /// Chains `events` after the entry (`sequence`, `hash`), or after the genesis when `after` is `nil`.
    public static func chain(_ events: [AuditEvent], after head: AuditHead?) -> [AuditEntry] {
        var sequence = head?.sequence ?? 0
        var previous = head?.hash ?? genesis
        return events.map { event in
            sequence += 1
            var stored = event
            stored.date = Date(timeIntervalSince1970: Double(milliseconds(event.date)) / 1000)
            let hash = hash(previousHash: previous, sequence: sequence, event: stored)
            defer { previous = hash }
            return AuditEntry(sequence: sequence, event: stored, previousHash: previous, hash: hash)
        }
    }

    /// Checks every entry (all of them, in order) against the chain and `head`.
    public static func verify(_ entries: [AuditEntry], head: AuditHead?) -> AuditVerification {
        var problems: [AuditVerification.Problem] = []
        var previousSequence: Int64 = 0
        var previousHash = genesis
        for entry in entries {
            if entry.sequence != previousSequence + 1 {
                problems.append(
                    .init(
                        sequence: entry.sequence,
                        description: entry.sequence > previousSequence + 1
                            ? "entries \(previousSequence + 1)…\(entry.sequence - 1) are missing (deleted)"
                            : "entry \(entry.sequence) repeats or reorders a sequence number (inserted)"))
            }
            if entry.previousHash != previousHash {
                problems.append(
                    .init(
                        sequence: entry.sequence,
                        description:
                            "entry \(entry.sequence) does not chain to the entry before it (an entry was inserted or deleted)"
                    ))
            }
            if hash(previousHash: entry.previousHash, sequence: entry.sequence, event: entry.event) != entry.hash {
                problems.append(
                    .init(
                        sequence: entry.sequence,
                        description: "entry \(entry.sequence) does not match its hash (edited)"))
            }
            previousSequence = entry.sequence
            previousHash = entry.hash
        }
        if let head {
            if head.sequence != previousSequence || head.hash != previousHash {
                problems.append(
                    .init(
                        sequence: head.sequence,
                        description:
                            "the trail ends at entry \(previousSequence) but its head record says \(head.sequence) "
                            + "(entries at the end were deleted or added)"))
            }
        } else if !entries.isEmpty {
            problems.append(.init(sequence: previousSequence, description: "the trail has entries but no head record"))
        }
        return AuditVerification(entryCount: entries.count, problems: problems)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

/// The last entry of a trail: its sequence number and hash.
public struct AuditHead: Hashable, Sendable {
    public var sequence: Int64
    public var hash: String

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}

/// What ``AuditStore/verify()`` found.
public struct AuditVerification: Hashable, Sendable, CustomStringConvertible {
    /// One place the chain is broken.
    public struct Problem: Hashable, Sendable {
        public var sequence: Int64
        public var description: String
    }

    public var entryCount: Int
    public var problems: [Problem]

    /// Whether no entry was edited, inserted or deleted.
    public var isIntact: Bool { problems.isEmpty }

    public var description: String {
        isIntact
            ? "audit trail intact: \(entryCount) entries"
            : "audit trail TAMPERED: " + problems.map(\.description).joined(separator: "; ")
    }
}
