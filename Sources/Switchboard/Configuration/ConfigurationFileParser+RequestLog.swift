import Foundation
import Yams

extension ConfigurationFileParser {
    /// The `request_log:` section.
    ///
    /// ```yaml
    /// request_log:
    ///   file: ${SWITCHBOARD_HOME}/requests.jsonl   # omit to log through swift-log at info
    ///   max_size: 10MB
    ///   retain: 5
    ///   include_content: false                     # prompts and answers, redacted
    /// ```
    func requestLog(_ node: Node) throws -> RequestLogConfiguration {
        let settings = try mapping(
            node, path: "request_log", allowed: ["file", "max_size", "retain", "include_content"])
        var log = RequestLogConfiguration()
        if let value = settings["file"] {
            log.file = try expandingEnvironment(
                try string(value, path: "request_log.file"), path: "request_log.file", node: value)
        }
        if let value = settings["max_size"] { log.maximumBytes = try byteSize(value, path: "request_log.max_size") }
        if let value = settings["retain"] {
            log.retainedFiles = try positiveInt(value, path: "request_log.retain", allowZero: true)
        }
        if let value = settings["include_content"] {
            log.includesContent = try bool(value, path: "request_log.include_content")
        }
        return log
    }
}
