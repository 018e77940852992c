import HTTPTypes
import Hummingbird
import Switchboard

/// The response headers that say what served a request.
enum ServedHeaders {
    static let provider = HTTPField.Name("x-switchboard-provider")!
    static let model = HTTPField.Name("x-switchboard-model")!
    static let attempts = HTTPField.Name("x-switchboard-attempts")!
    static let requestID = HTTPField.Name("x-request-id")!

    /// The provider and model that answered and how many candidates were tried (skipped ones not counted).
    static func fields(provider: ProviderID, model: String, attempts: [RequestAttempt]?) -> HTTPFields {
        var fields: HTTPFields = [:]
        fields[self.provider] = provider.rawValue
        fields[self.model] = model
        if let attempts {
            fields[self.attempts] = String(max(1, attempts.filter { !$0.skipped }.count))
        }
        return fields
    }
}
