import HTTPTypes
import Hummingbird
import Switchboard

/// The response headers that say what served a request and what it cost.
enum ServedHeaders {
    static let provider = HTTPField.Name("x-switchboard-provider")!
    static let model = HTTPField.Name("x-switchboard-model")!
    static let attempts = HTTPField.Name("x-switchboard-attempts")!
    static let cost = HTTPField.Name("x-switchboard-cost-usd")!
    static let connectivity = HTTPField.Name(ConnectivityMode.headerName)!
    static let cache = HTTPField.Name("x-switchboard-cache")!
    static let requestID = HTTPField.Name("x-request-id")!

    /// The provider and model that answered, how many candidates were tried (skipped ones not counted;
    /// `nil` leaves the header out) and the exact cost in US dollars (left out when the price is unknown).
    static func fields(provider: ProviderID, model: String, attempts: Int?, cost: Money? = nil) -> HTTPFields {
        var fields: HTTPFields = [:]
        fields[self.provider] = provider.rawValue
        fields[self.model] = model
        if let attempts { fields[self.attempts] = String(max(1, attempts)) }
        if let cost { fields[self.cost] = cost.exactDecimalString }
        return fields
    }

    /// The headers of a whole answer, with `x-switchboard-cache: hit|miss` when the response cache was used.
    static func fields(for response: ChatResponse) -> HTTPFields {
        var fields = fields(
            provider: response.provider, model: response.model, attempts: tried(response.attempts),
            cost: response.cost?.total)
        if let cache = response.cache?.headerValue { fields[self.cache] = cache }
        return fields
    }

    /// The headers of a stream, sent with its first event: the cost is not known yet (it comes in the
    /// trailers, see ``trailers(for:)``).
    static func fields(for start: StreamStart) -> HTTPFields {
        fields(provider: start.provider, model: start.model, attempts: tried(start.earlierAttempts) + 1)
    }

    /// The trailers of a finished stream: its cost when known, and whether the cache answered it.
    static func trailers(for finish: StreamFinish?) -> HTTPFields? {
        var fields: HTTPFields = [:]
        if let cost = finish?.cost?.total { fields[self.cost] = cost.exactDecimalString }
        if let cache = finish?.cache?.headerValue { fields[self.cache] = cache }
        return fields.isEmpty ? nil : fields
    }

    private static func tried(_ attempts: [RequestAttempt]) -> Int {
        attempts.filter { !$0.skipped }.count
    }
}
