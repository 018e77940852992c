import Logging
import Switchboard
import Testing

@testable import SwitchboardGateway

/// The gateway's logger, which Hummingbird logs through as well, redacts the provider keys the client holds.
@Suite struct GatewayLoggingTests {
    @Test func theGatewaysLogLinesCarryNoProviderKey() async throws {
        let key = "ck-CANARY-gateway-4f3e2d1c0b9a"
        let capture = LogCapture()
        let client = try LLMClient(
            configuration: SwitchboardConfiguration(providers: [
                ProviderConfiguration(
                    id: .openAI, kind: .openAI, apiKey: APIKey(key), baseURL: "http://127.0.0.1:9/v1")
            ]))
        let gateway = Gateway(
            client: client, authenticator: GatewayAuthenticator(store: nil, adminKey: nil), logger: capture.logger())
        var logger = gateway.logger
        logger[metadataKey: "upstream"] = "Bearer \(key)"
        logger.warning("request failed: 401 for \(key)", metadata: ["header": "\(key)"])
        try await client.shutdown()
        #expect(capture.all.count == 1)
        #expect(capture.all.allSatisfy { !$0.contains(key) })
        #expect(capture.all.allSatisfy { $0.contains("request failed") && $0.contains("upstream") })
    }
}
