import NIOCore
import Testing

@testable import Switchboard

/// Google RPC errors map to the kinds a caller acts on (wire reference §4.6, §4.7).
@Suite struct GeminiErrorMappingTests {
    static func map(_ status: Int, _ json: String) -> ProviderError {
        GeminiErrorMapper.error(
            status: status, body: ByteBuffer(string: json), provider: .gemini,
            secrets: ["AIzaSyTestKey0000000000000000"])
    }

    @Test func invalidKeyIsA400ThatMeansAuthentication() {
        let error = Self.map(
            400,
            #"""
            {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
              "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                           "domain": "googleapis.com"}]}}
            """#)
        #expect(error.kind == .authentication)
        #expect(error.status == 400)
        #expect(error.providerErrorCode == "API_KEY_INVALID")
        #expect(!error.isRetryable)
    }

    @Test func rateLimitCarriesRetryInfo() {
        let error = Self.map(
            429,
            #"""
            {"error": {"code": 429, "message": "You exceeded your current quota.", "status": "RESOURCE_EXHAUSTED",
              "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                           "violations": [{"quotaId": "GenerateContentPaidTierInputTokensPerModelPerMinute"}]},
                          {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.203608125s"}]}}
            """#)
        #expect(error.kind == .rateLimited)
        #expect(error.retryAfter == .milliseconds(1204))
    }

    @Test func perDayQuotaIsNotFixedByWaiting() {
        let error = Self.map(
            429,
            #"""
            {"error": {"code": 429, "message": "Quota exceeded.", "status": "RESOURCE_EXHAUSTED",
              "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                           "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel"}]},
                          {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}]}}
            """#)
        #expect(error.kind == .quotaExceeded)
        #expect(error.retryAfter == .seconds(37))
    }

    @Test(arguments: [
        (400, "INVALID_ARGUMENT", "Invalid JSON payload received.", ProviderError.Kind.invalidRequest),
        (
            400, "INVALID_ARGUMENT",
            "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).", .contextTooLong
        ),
        (400, "FAILED_PRECONDITION", "User location is not supported for the API use.", .permissionDenied),
        (403, "PERMISSION_DENIED", "denied", .permissionDenied),
        (404, "NOT_FOUND", "models/nope is not found", .notFound),
        (500, "INTERNAL", "An internal error has occurred.", .server),
        (503, "UNAVAILABLE", "The model is overloaded.", .overloaded),
        (504, "DEADLINE_EXCEEDED", "Deadline exceeded.", .timeout),
    ])
    func statuses(status: Int, rpcStatus: String, message: String, kind: ProviderError.Kind) {
        let error = Self.map(
            status, #"{"error": {"code": \#(status), "message": "\#(message)", "status": "\#(rpcStatus)"}}"#)
        #expect(error.kind == kind)
        #expect(error.providerErrorType == rpcStatus)
    }

    @Test func arrayWrappedErrorsAreUnwrapped() {
        let error = Self.map(503, #"[{"error": {"code": 503, "message": "busy", "status": "UNAVAILABLE"}}]"#)
        #expect(error.kind == .overloaded)
        #expect(error.message == "busy")
    }

    @Test func keyInTheMessageIsRedacted() {
        let error = Self.map(
            400,
            #"{"error": {"code": 400, "message": "bad key AIzaSyTestKey0000000000000000", "status": "INVALID_ARGUMENT"}}"#
        )
        #expect(!error.description.contains("AIzaSyTestKey"))
    }
}
