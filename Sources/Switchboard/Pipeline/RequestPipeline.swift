/// Stages composed in order in front of a terminal handler that calls a provider.
struct RequestPipeline: Sendable {
    let complete: ChatHandler
    let stream: StreamHandler

    init(stages: [any ChatMiddleware], complete: @escaping ChatHandler, stream: @escaping StreamHandler) {
        var completeHandler = complete
        var streamHandler = stream
        for stage in stages.reversed() {
            let nextComplete = completeHandler
            let nextStream = streamHandler
            completeHandler = { request, context in
                try await stage.complete(request, context: context, next: nextComplete)
            }
            streamHandler = { request, context in
                try await stage.stream(request, context: context, next: nextStream)
            }
        }
        self.complete = completeHandler
        self.stream = streamHandler
    }
}
