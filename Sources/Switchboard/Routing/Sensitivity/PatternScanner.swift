/// One family of sensitive-data patterns, found in a single left-to-right pass over a text's bytes.
protocol PatternScanner: Sendable {
    /// What every match of this scanner is.
    var kind: SensitiveDataKind { get }
    /// Every match in `text`, in order, not overlapping.
    func matches(in text: ScannedText) -> [PatternMatch]
}

/// Where a scanner found something, and how to show it without showing it.
struct PatternMatch: Hashable, Sendable {
    /// Byte offsets into the scanned text's UTF-8.
    var range: Range<Int>
    var redactedExcerpt: String
}
