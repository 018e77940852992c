import Foundation

/// The disk the installed models use, against the policy's quota.
public struct LocalModelStorage: Hashable, Sendable {
    /// One installed model's share.
    public struct Entry: Hashable, Sendable {
        /// The full model name (`name:tag`).
        public var model: String
        /// Bytes on disk.
        public var size: Int64
        /// When Switchboard last used it, else when Ollama last modified it; what pruning goes by.
        public var lastUsed: Date?
        /// Whether the policy requires it (pruning never removes it).
        public var isRequired: Bool

        /// Creates an entry.
        public init(model: String, size: Int64, lastUsed: Date?, isRequired: Bool) {
            self.model = model
            self.size = size
            self.lastUsed = lastUsed
            self.isRequired = isRequired
        }
    }

    /// Every installed model, largest first.
    public var models: [Entry]
    /// The most disk the policy allows; `nil` for no limit.
    public var quota: Int64?

    /// Creates a report.
    public init(models: [Entry], quota: Int64?) {
        self.models = models
        self.quota = quota
    }

    /// Bytes all installed models use.
    public var totalSize: Int64 { models.reduce(0) { $0 + $1.size } }
}

/// The models pruning would remove to bring the total under the quota: least recently used first,
/// never a required model.
public struct LocalModelPrunePlan: Hashable, Sendable {
    /// The models to remove, in removal order (least recently used first).
    public var removals: [LocalModelStorage.Entry]
    /// Bytes used before pruning.
    public var totalBefore: Int64
    /// The quota; `nil` when the policy sets none (then nothing is removed).
    public var quota: Int64?

    /// Creates a plan.
    public init(removals: [LocalModelStorage.Entry], totalBefore: Int64, quota: Int64?) {
        self.removals = removals
        self.totalBefore = totalBefore
        self.quota = quota
    }

    /// Bytes used after the removals.
    public var totalAfter: Int64 { totalBefore - removals.reduce(0) { $0 + $1.size } }

    /// Whether the removals bring the total within the quota (false when the required models alone exceed it).
    public var meetsQuota: Bool { quota.map { totalAfter <= $0 } ?? true }
}
