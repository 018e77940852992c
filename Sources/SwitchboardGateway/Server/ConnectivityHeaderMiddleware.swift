import HTTPTypes
import Hummingbird
import Switchboard

/// Adds `x-switchboard-connectivity` (online, degraded or offline) to every response, errors included,
/// so a caller can tell a local stand-in answer or an offline refusal from normal service.
struct ConnectivityHeaderMiddleware<Context: Hummingbird.RequestContext>: RouterMiddleware {
    let connectivity: ConnectivityMonitor

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[ServedHeaders.connectivity] = connectivity.mode.rawValue
        return response
    }
}
