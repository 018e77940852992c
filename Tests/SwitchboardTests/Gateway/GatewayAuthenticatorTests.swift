import HTTPTypes
import Testing

@testable import SwitchboardGateway

/// How a key is read from the headers each SDK sends.
@Suite struct GatewayAuthenticatorTests {
    func key(_ fields: [(String, String)]) -> String? {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return GatewayAuthenticator.presentedKey(headers)
    }

    @Test func readsTheBearerKeyInAnyCaseWithoutSurroundingSpaces() {
        #expect(key([("authorization", "Bearer sbk-abc")]) == "sbk-abc")
        #expect(key([("authorization", "bearer sbk-abc")]) == "sbk-abc")
        #expect(key([("authorization", "BEARER   sbk-abc \t")]) == "sbk-abc")
    }

    @Test func prefersXAPIKeyAsAnthropicSendsIt() {
        #expect(key([("x-api-key", "sbk-anthropic"), ("authorization", "Bearer other")]) == "sbk-anthropic")
    }

    @Test func findsNoKeyInOtherSchemesOrEmptyValues() {
        #expect(key([]) == nil)
        #expect(key([("authorization", "Basic dXNlcjpwYXNz")]) == nil)
        #expect(key([("authorization", "Bearer    ")]) == nil)
        #expect(key([("authorization", "Bearer")]) == nil)
        #expect(key([("authorization", "Bearerx sbk-abc")]) == nil)
        #expect(key([("x-api-key", "")]) == nil)
    }
}
