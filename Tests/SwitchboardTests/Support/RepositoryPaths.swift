import Foundation

/// Paths in the checkout the tests run from.
enum RepositoryPaths {
    /// The package root, found from this file's location.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// OpenAI's OpenAPI spec: `OPENAI_OPENAPI_SPEC`, else `../shared/reference/specs/openai-openapi.json`.
    static var openAISpec: String {
        ProcessInfo.processInfo.environment["OPENAI_OPENAPI_SPEC"]
            ?? URL(fileURLWithPath: root).deletingLastPathComponent()
            .appendingPathComponent("shared/reference/specs/openai-openapi.json").path
    }

    /// The built `switchboard` executable, next to the test bundle.
    static var switchboardExecutable: String {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [
            bundle.appendingPathComponent("switchboard").path, root + "/.build/debug/switchboard",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }
}
