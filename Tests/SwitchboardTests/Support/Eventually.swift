import Testing

/// Yields until `condition` holds; records an issue if it never does.
func eventually(_ what: String, _ condition: () async throws -> Bool) async rethrows {
    for _ in 0..<200_000 {
        if try await condition() { return }
        await Task.yield()
    }
    Issue.record("gave up waiting for \(what)")
}
