import ServiceLifecycle

/// An `Outbox` in a `ServiceGroup` drains whenever the connection returns, until the group shuts down gracefully.
extension Outbox: Service {}
