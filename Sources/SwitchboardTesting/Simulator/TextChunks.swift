extension String {
    /// The string cut into pieces of at most `size` characters (at least one character each).
    func simulatorChunks(of size: Int) -> [String] {
        var pieces: [String] = []
        var start = startIndex
        while start < endIndex {
            let end = index(start, offsetBy: Swift.max(1, size), limitedBy: endIndex) ?? endIndex
            pieces.append(String(self[start..<end]))
            start = end
        }
        return pieces
    }
}
