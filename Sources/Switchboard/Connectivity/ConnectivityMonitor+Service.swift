import ServiceLifecycle

/// A `ConnectivityMonitor` in a `ServiceGroup` runs recovery probes until the group shuts down gracefully.
extension ConnectivityMonitor: Service {}
