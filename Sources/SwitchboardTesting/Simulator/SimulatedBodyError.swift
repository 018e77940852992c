/// A request body the simulator rejects, with the provider's error response.
struct SimulatedBodyError: Error {
    var plan: ResponsePlan
}
