import Hummingbird
import Switchboard

extension Gateway {
    /// `GET /ready`: 200 when at least one provider answers its health check, else 503; the body lists each.
    func readiness() async -> Response {
        let providers = client.providers
        let logger = self.logger
        let results = await withTaskGroup(of: ProviderHealth.self) { group in
            for provider in providers {
                group.addTask { await provider.health(logger: logger) }
            }
            var results: [ProviderHealth] = []
            for await health in group { results.append(health) }
            return results.sorted { $0.provider.rawValue < $1.provider.rawValue }
        }
        let ready = results.contains { $0.status != .unavailable }
        let body: JSONValue = [
            "status": ready ? "ready" : "unavailable",
            "providers": .array(
                results.map {
                    ["provider": .string($0.provider.rawValue), "status": .string($0.status.rawValue)]
                }),
        ]
        return Self.json(body, status: ready ? .ok : .serviceUnavailable)
    }
}
