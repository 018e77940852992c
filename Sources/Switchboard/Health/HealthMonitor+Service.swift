import ServiceLifecycle

/// A `HealthMonitor` in a `ServiceGroup` probes until the group shuts down gracefully.
extension HealthMonitor: Service {}
