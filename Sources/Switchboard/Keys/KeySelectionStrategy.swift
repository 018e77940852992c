/// How a ``KeyPool`` spreads requests over its usable keys.
public enum KeySelectionStrategy: String, Hashable, Sendable, CaseIterable {
    /// Always the primary key (the most recently activated); the others only when it is rejected,
    /// rate limited or out of scope. The default: it keeps one key's rate limits and cache warm.
    case failover
    /// Each request the next usable key in turn.
    case roundRobin = "round_robin"
    /// Smooth weighted round robin by ``ManagedKey/weight``: deterministic, so a key of weight 3 gets
    /// exactly three of every four requests beside a key of weight 1.
    case weighted
}
