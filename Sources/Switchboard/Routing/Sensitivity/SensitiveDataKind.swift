/// A kind of personal or secret data that must not leave the machine.
///
/// The kinds are a struct, not an enum, so a custom ``SensitivityClassifier`` can add its own kinds
/// (`SensitiveDataKind(rawValue: "medicalRecord")`) and new built-in kinds do not break a caller's `switch`.
public struct SensitiveDataKind: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    /// A stable name for the kind, safe to log.
    public var rawValue: String

    /// A kind with the given name; use the static members for the built-in kinds.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// An e-mail address (`local@domain.tld`).
    public static let emailAddress = SensitiveDataKind(rawValue: "emailAddress")
    /// A telephone number in international (E.164) or a common national format.
    public static let phoneNumber = SensitiveDataKind(rawValue: "phoneNumber")
    /// A payment card number that passes the Luhn check and has a known issuer prefix.
    public static let paymentCard = SensitiveDataKind(rawValue: "paymentCard")
    /// An International Bank Account Number with a valid ISO 13616 checksum and length.
    public static let iban = SensitiveDataKind(rawValue: "iban")
    /// A government identifier of a person (US Social Security number, UK National Insurance number).
    public static let nationalIdentifier = SensitiveDataKind(rawValue: "nationalIdentifier")
    /// A credential: an API key or token, a private key, a JSON Web Token.
    public static let secret = SensitiveDataKind(rawValue: "secret")
}
