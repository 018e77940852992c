import Synchronization

/// Holds requests to the limits of each provider, model and API key: token buckets for requests
/// and tokens per minute, a concurrency limit, and what the provider's rate-limit headers say —
/// and queues a request instead of failing it when its resource is exhausted.
///
/// Waiting requests are served by priority, then first come, first served. The queue per resource
/// is bounded (``RateLimitConfiguration/maxQueue``): when it is full, a request ranking after every
/// waiting one fails at once with `overloaded`, and a higher-priority one displaces the last waiter,
/// which fails with `overloaded`. A request past its deadline fails with `queueTimeout`; cancelling
/// the waiting task takes it out of the queue and throws `CancellationError`.
///
/// All time comes from ``clock``: buckets refill lazily when read, and a waiting queue sleeps on the
/// clock until its first request could go, or until a release or new headers change the picture.
/// ``RateLimitedProvider`` applies a limiter to every call of a provider.
public final class RateLimiter: Sendable {
    public let configuration: RateLimitConfiguration
    public let store: any RateLimitStore
    public let clock: PolicyClock
    /// Estimates a request's input tokens for its reservation; corrected by the reported usage.
    public let estimator: any TokenEstimator

    private struct Waiting: Sendable {
        let demand: RateLimitDemand
        let limits: RateLimits
        let enqueuedAt: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// This process's side of one resource: its queue and the task that will try the queue again.
    private struct Resource: Sendable {
        var queue: RateLimitQueue<Waiting>
        var isPumping = false
        var pumpsAgain = false
        var timer: Task<Void, Never>?
        /// Why the first waiter is waiting, for error messages.
        var reason = ""
        let metrics: RateLimitMetrics
    }

    private let resources = Mutex<[RateLimitKey: Resource]>([:])
    private let nextWaiterID = Atomic<UInt64>(0)

    public init(
        configuration: RateLimitConfiguration = .init(), store: any RateLimitStore = InMemoryRateLimitStore(),
        clock: PolicyClock = .continuous, estimator: any TokenEstimator = CharacterRatioTokenEstimator()
    ) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.estimator = estimator
    }

    // MARK: Acquiring

    /// Waits until `request` may be sent to `key`'s resource, reserving its worst-case tokens, with the
    /// priority and queue deadline of its metadata.
    public func acquire(for request: ChatRequest, key: RateLimitKey) async throws -> RateLimitPermit {
        let tokens = estimator.worstCaseTokens(
            for: request, provider: key.provider, defaultMaxOutput: configuration.defaultMaxOutputTokens)
        return try await acquire(
            RateLimitDemand(tokens: tokens), for: key, priority: request.metadata.priority,
            maxWait: request.metadata.maxQueueWait)
    }

    /// Waits until `demand` may be taken from `key`'s resource and takes it.
    ///
    /// - Parameter maxWait: how long to wait at most; `nil` uses the configuration's ``RateLimitConfiguration/maxQueueWait``.
    /// - Throws: ``ProviderError`` `queueTimeout` or `overloaded` (status `nil`), `CancellationError`, or
    ///   what the store throws.
    public func acquire(
        _ demand: RateLimitDemand, for key: RateLimitKey, priority: RequestPriority = .normal,
        maxWait: Duration? = nil
    ) async throws -> RateLimitPermit {
        let limits = configuration.limits(provider: key.provider, model: key.model)
        let othersWait = resources.withLock { $0[key].map { !$0.queue.isEmpty } ?? false }
        if !othersWait, case .granted = try await store.acquire(demand, for: key, limits: limits, now: clock.now) {
            return RateLimitPermit(key: key, demand: demand)
        }
        return try await wait(for: demand, key: key, limits: limits, priority: priority, maxWait: maxWait)
    }

    private func wait(
        for demand: RateLimitDemand, key: RateLimitKey, limits: RateLimits, priority: RequestPriority,
        maxWait: Duration?
    ) async throws -> RateLimitPermit {
        let id = nextWaiterID.add(1, ordering: .relaxed).newValue
        let enqueuedAt = clock.now
        let deadline = (maxWait ?? configuration.maxQueueWait).map { enqueuedAt + $0 }
        if let deadline, deadline <= enqueuedAt {
            throw queueTimeout(key, waited: .zero, reason: "the request may not wait")
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let waiter = RateLimitQueue<Waiting>.Waiter(
                    id: id, priority: priority, deadline: deadline,
                    payload: Waiting(demand: demand, limits: limits, enqueuedAt: enqueuedAt, continuation: continuation)
                )
                let (admission, metrics, depth) = resources.withLock {
                    resources -> (RateLimitQueue<Waiting>.Admission?, RateLimitMetrics?, Int) in
                    if Task.isCancelled { return (nil, nil, 0) }
                    if resources[key] == nil { resources[key] = resource(key, metrics: RateLimitMetrics(key: key)) }
                    let admission = resources[key]!.queue.enqueue(waiter)
                    return (admission, resources[key]!.metrics, resources[key]!.queue.count)
                }
                metrics?.queueDepth.record(depth)
                switch admission {
                case nil:
                    continuation.resume(throwing: CancellationError())
                case .rejected:
                    metrics?.rejected("overloaded")
                    continuation.resume(throwing: overloaded(key))
                case .queuedDisplacing(let displaced):
                    metrics?.rejected("overloaded")
                    displaced.payload.continuation.resume(throwing: overloaded(key))
                    schedulePump(key)
                case .queued:
                    schedulePump(key)
                }
            }
        } onCancel: {
            let removed = resources.withLock { $0[key]?.queue.remove(id: id) }
            guard let removed else { return }
            removed.payload.continuation.resume(throwing: CancellationError())
            schedulePump(key)
        }
        let waited = clock.now - enqueuedAt
        resources.withLock { $0[key]?.metrics }?.waitDuration.recordNanoseconds(waited.nanoseconds)
        return RateLimitPermit(key: key, demand: demand, waited: waited)
    }

    // MARK: Releasing and learning

    /// Gives back the permit's concurrency slot and corrects its token reservation to `usedTokens`
    /// (`nil` keeps the reservation, for a request whose usage is unknown).
    public func release(_ permit: RateLimitPermit, usedTokens: Int? = nil) async throws {
        try await store.release(permit.demand, usedTokens: usedTokens, for: permit.key, now: clock.now)
        try await changed(permit.key)
    }

    /// Applies what a response's rate-limit headers said to `key`'s resource.
    public func learn(_ snapshot: RateLimitSnapshot, for key: RateLimitKey) async throws {
        try await store.learn(snapshot, for: key, now: clock.now)
        try await changed(key)
    }

    /// Lets nothing through to `key`'s resource for `duration` (after a 429).
    public func pause(_ key: RateLimitKey, for duration: Duration) async throws {
        let now = clock.now
        try await store.pause(key, until: now + duration, now: now)
        try await changed(key)
    }

    /// Requests waiting in this process's queue for `key`'s resource now.
    public func queueDepth(for key: RateLimitKey) -> Int {
        resources.withLock { $0[key]?.queue.count ?? 0 }
    }

    /// The state of every resource used so far, and of every configured one, with this process's
    /// queue depths; sorted by provider, model and key.
    public func statuses() async throws -> [RateLimitBucketStatus] {
        let now = clock.now
        var statuses = try await store.statuses(now: now)
        for (provider, entry) in configuration.providers {
            let configured: [String?] = [nil] + entry.models.keys.sorted()
            for model in configured
            where !statuses.contains(where: { $0.key.provider == provider && $0.key.model == model }) {
                let key = RateLimitKey(provider: provider, model: model)
                var state = RateLimitBucketState(
                    limits: configuration.limits(provider: provider, model: model), now: now)
                statuses.append(state.status(key: key, now: now))
            }
        }
        let depths = resources.withLock { $0.mapValues(\.queue.count) }
        for index in statuses.indices { statuses[index].waiting = depths[statuses[index].key] ?? 0 }
        return statuses.sorted { $0.key.description < $1.key.description }
    }

    /// Records the resource's metrics and lets its first waiter try again.
    private func changed(_ key: RateLimitKey) async throws {
        var (metrics, waiting) = resources.withLock { resources -> (RateLimitMetrics?, Int) in
            guard let resource = resources[key] else { return (nil, 0) }
            return (resource.metrics, resource.queue.count)
        }
        if waiting > 0 { schedulePump(key) }
        if metrics == nil {
            // The first time for this resource: make its metrics once, outside the lock.
            let made = RateLimitMetrics(key: key)
            metrics = resources.withLock { resources in
                if resources[key] == nil { resources[key] = resource(key, metrics: made) }
                return resources[key]!.metrics
            }
        }
        if var status = try await store.status(of: key, now: clock.now) {
            status.waiting = waiting
            metrics?.record(status)
        }
    }

    // MARK: Serving the queue

    private func resource(_ key: RateLimitKey, metrics: RateLimitMetrics) -> Resource {
        Resource(queue: RateLimitQueue(capacity: configuration.maxQueue), metrics: metrics)
    }

    private func schedulePump(_ key: RateLimitKey) {
        let starts = resources.withLock { resources -> Bool in
            guard resources[key] != nil else { return false }
            if resources[key]!.isPumping {
                resources[key]!.pumpsAgain = true
                return false
            }
            resources[key]!.isPumping = true
            return true
        }
        if starts { Task { await self.pump(key) } }
    }

    /// Admits waiters from the head of `key`'s queue while the store grants them, fails those past
    /// their deadline, then sets a timer for when the head could go or the next deadline passes.
    private func pump(_ key: RateLimitKey) async {
        while true {
            let now = clock.now
            let (head, expired, reason) = resources.withLock { resources in
                let expired = resources[key]?.queue.removeExpired(now: now) ?? []
                return (resources[key]?.queue.first, expired, resources[key]?.reason ?? "")
            }
            for waiter in expired {
                resources.withLock { $0[key]?.metrics }?.rejected("queue_timeout")
                waiter.payload.continuation.resume(
                    throwing: queueTimeout(key, waited: now - waiter.payload.enqueuedAt, reason: reason))
            }
            var retryAt: Duration?
            if let head {
                let waiting = head.payload
                do {
                    switch try await store.acquire(waiting.demand, for: key, limits: waiting.limits, now: now) {
                    case .granted:
                        let taken = resources.withLock { $0[key]?.queue.remove(id: head.id) }
                        if let taken {
                            taken.payload.continuation.resume()
                        } else {
                            // Cancelled while the store granted it: give the capacity back.
                            try? await store.release(waiting.demand, usedTokens: 0, for: key, now: clock.now)
                        }
                        continue
                    case .denied(let time, let why):
                        retryAt = time
                        resources.withLock { $0[key]?.reason = why }
                    }
                } catch {
                    resources.withLock { $0[key]?.queue.remove(id: head.id) }?.payload.continuation.resume(
                        throwing: error)
                    continue
                }
            }
            let (runsAgain, depth, metrics) = resources.withLock {
                resources -> (Bool, Int, RateLimitMetrics?) in
                guard resources[key] != nil else { return (false, 0, nil) }
                if resources[key]!.pumpsAgain {
                    resources[key]!.pumpsAgain = false
                    return (true, 0, nil)
                }
                resources[key]!.isPumping = false
                resources[key]!.timer?.cancel()
                resources[key]!.timer = nil
                let queue = resources[key]!.queue
                if let wake = [retryAt, queue.earliestDeadline].compactMap({ $0 }).min(), !queue.isEmpty {
                    resources[key]!.timer = makeTimer(for: key, at: wake)
                }
                return (false, queue.count, resources[key]!.metrics)
            }
            if !runsAgain {
                metrics?.queueDepth.record(depth)
                return
            }
        }
    }

    private func makeTimer(for key: RateLimitKey, at time: Duration) -> Task<Void, Never> {
        Task { [clock] in
            do {
                try await clock.sleep(for: time - clock.now)
            } catch {
                return
            }
            self.schedulePump(key)
        }
    }

    // MARK: Errors

    private func overloaded(_ key: RateLimitKey) -> ProviderError {
        var error = ProviderError(
            kind: .overloaded, provider: key.provider,
            message: "the local rate-limit queue for \(key) is full (\(configuration.maxQueue) waiting) and this "
                + "request would be served after all of them; it was not sent")
        error.shouldRetry = false
        return error
    }

    private func queueTimeout(_ key: RateLimitKey, waited: Duration, reason: String) -> ProviderError {
        ProviderError(
            kind: .queueTimeout, provider: key.provider,
            message: "waited \(waited.formattedSeconds) in the rate-limit queue for \(key) and reached its deadline"
                + (reason.isEmpty ? "" : " (limited by \(reason))") + "; it was not sent")
    }
}
