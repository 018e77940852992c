/// An Ollama error to answer with: status and message.
struct OllamaFailure: Error {
    var status: Int
    var message: String

    var plan: ResponsePlan { OllamaWire.error(status: status, message: message) }
}
