/// One provider and model a request may be sent to, and why it was chosen.
public struct RoutingCandidate: Hashable, Sendable, CustomStringConvertible {
    public var reference: ModelReference
    public var locality: Locality
    public var reason: String
    /// Tried next when this candidate answers that the request does not fit its context window.
    public var contextFallbacks: [RoutingCandidate]
    /// Tried next when this candidate refuses the content.
    public var contentFilterFallbacks: [RoutingCandidate]

    public init(
        reference: ModelReference, locality: Locality, reason: String, contextFallbacks: [RoutingCandidate] = [],
        contentFilterFallbacks: [RoutingCandidate] = []
    ) {
        self.reference = reference
        self.locality = locality
        self.reason = reason
        self.contextFallbacks = contextFallbacks
        self.contentFilterFallbacks = contentFilterFallbacks
    }

    public var description: String { "\(reference) (\(locality)): \(reason)" }
}

/// A provider that was not planned, and why.
public struct SkippedCandidate: Hashable, Sendable, CustomStringConvertible {
    public var reference: ModelReference
    public var reason: String

    public init(reference: ModelReference, reason: String) {
        self.reference = reference
        self.reason = reason
    }

    public var description: String { "\(reference): \(reason)" }
}

/// The ordered candidates one request will try, with the reason for each choice and each exclusion.
public struct RoutingPlan: Hashable, Sendable {
    public var taskType: TaskType
    /// Why the request has this task type (given by the caller, or the heuristic's reason).
    public var taskReason: String
    /// Whether the request may only go to local providers, and why.
    public var sensitivity: String?
    public var candidates: [RoutingCandidate]
    public var skipped: [SkippedCandidate]

    public init(
        taskType: TaskType, taskReason: String, sensitivity: String?, candidates: [RoutingCandidate],
        skipped: [SkippedCandidate]
    ) {
        self.taskType = taskType
        self.taskReason = taskReason
        self.sensitivity = sensitivity
        self.candidates = candidates
        self.skipped = skipped
    }
}
