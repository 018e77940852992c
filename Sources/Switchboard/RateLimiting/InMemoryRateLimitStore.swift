import Synchronization

/// Buckets in this process's memory, behind one lock: the store for a single process.
public final class InMemoryRateLimitStore: RateLimitStore {
    private let states = Mutex<[RateLimitKey: RateLimitBucketState]>([:])

    public init() {}

    public func acquire(
        _ demand: RateLimitDemand, for key: RateLimitKey, limits: RateLimits, now: Duration
    ) async throws -> RateLimitAdmission {
        states.withLock { states in
            if states[key] == nil {
                states[key] = RateLimitBucketState(limits: limits, now: now)
            } else {
                states[key]!.configure(limits, now: now)
            }
            return states[key]!.acquire(demand, now: now)
        }
    }

    public func release(
        _ demand: RateLimitDemand, usedTokens: Int?, for key: RateLimitKey, now: Duration
    ) async throws {
        states.withLock { $0[key]?.release(demand, usedTokens: usedTokens, now: now) }
    }

    public func learn(_ snapshot: RateLimitSnapshot, for key: RateLimitKey, now: Duration) async throws {
        states.withLock { states in
            if states[key] == nil { states[key] = RateLimitBucketState(limits: RateLimits(), now: now) }
            states[key]!.learn(snapshot, now: now)
        }
    }

    public func pause(_ key: RateLimitKey, until: Duration, now: Duration) async throws {
        states.withLock { states in
            if states[key] == nil { states[key] = RateLimitBucketState(limits: RateLimits(), now: now) }
            states[key]!.pause(until: until, now: now)
        }
    }

    public func status(of key: RateLimitKey, now: Duration) async throws -> RateLimitBucketStatus? {
        states.withLock { $0[key]?.status(key: key, now: now) }
    }

    public func statuses(now: Duration) async throws -> [RateLimitBucketStatus] {
        states.withLock { states in
            var result: [RateLimitBucketStatus] = []
            for key in states.keys { result.append(states[key]!.status(key: key, now: now)) }
            return result
        }
    }
}
