import HTTPTypes
import Hummingbird
import Switchboard
import Tracing

extension Gateway {
    /// Every route the gateway serves.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        if activeTracer(InstrumentationSystem.tracer) != nil {
            // A server span per request, continuing the caller's `traceparent`; the pipeline's spans nest in it.
            router.add(middleware: TracingMiddleware())
        }
        router.add(middleware: ConnectivityHeaderMiddleware(connectivity: client.connectivity))
        router.get("/health") { _, _ in Self.json(["status": "ok"]) }
        router.get("/ready") { _, _ in await self.readiness() }
        router.get("/metrics") { _, _ in self.prometheusExposition() }

        router.post("/v1/chat/completions") { request, _ in await self.openAIChatCompletions(request) }
        router.post("/v1/embeddings") { request, _ in await self.openAIEmbeddings(request) }
        router.get("/v1/models") { request, _ in
            // Both SDKs list models here; Anthropic's always sends `anthropic-version`.
            if request.headers[HTTPField.Name("anthropic-version")!] != nil {
                return await self.anthropicModels(request)
            }
            return await self.openAIModels(request)
        }

        router.post("/v1/messages") { request, _ in await self.anthropicMessages(request) }
        router.post("/v1/messages/count_tokens") { request, _ in await self.anthropicCountTokens(request) }

        router.post("/api/chat") { request, _ in await self.ollamaChat(request) }
        router.post("/api/generate") { request, _ in await self.ollamaGenerate(request) }
        router.post("/api/embed") { request, _ in await self.ollamaEmbed(request) }
        router.get("/api/tags") { request, _ in await self.ollamaTags(request) }
        router.get("/api/version") { _, _ in Self.json(["version": .string(self.configuration.version)]) }
        router.get("/") { _, _ in
            Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "Switchboard is running")))
        }
        return router
    }
}

extension Gateway {
    /// `GET /metrics`: the registry in the Prometheus text format (version 0.0.4).
    func prometheusExposition() -> Response {
        guard let metrics else {
            return Response(
                status: .notFound,
                body: ResponseBody(byteBuffer: ByteBuffer(string: "metrics are not enabled in this gateway\n")))
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
    }
}
