import Foundation
import Switchboard

/// `switchboard usage` output in its three formats.
enum UsageReportRenderer {
    static func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }

    static func table(_ report: UsageReport) -> String {
        let header = [
            report.grouping.rawValue.uppercased(), "REQUESTS", "TOKENS", "COST", "UNPRICED", "CACHE SAVINGS",
            "ERROR RATE",
        ]
        let rows = (report.lines + [report.total]).map { line in
            [
                line.key == "total" && line == report.total ? "TOTAL" : line.key, "\(line.requests)",
                "\(line.usage.totalTokens)", line.cost.formatted(), "\(line.unpricedRows)",
                line.cacheSavings.formatted(), percent(line.errorRate),
            ]
        }
        var text = aligned([header] + rows)
        if report.total.cacheHits > 0 {
            let hitLines = report.lines.filter { $0.cacheHits > 0 }
            text +=
                "\n"
                + aligned(
                    [["RESPONSE CACHE", "HITS", "SAVED"]]
                        + hitLines.map { [$0.key, "\($0.cacheHits)", $0.responseCacheSavings.formatted()] }
                        + [["TOTAL", "\(report.total.cacheHits)", report.total.responseCacheSavings.formatted()]])
        }
        for (title, lines) in [
            ("MOST EXPENSIVE FEATURES", report.topFeatures), ("MOST EXPENSIVE PROMPTS", report.topPrompts),
        ]
        where !lines.isEmpty {
            text +=
                "\n"
                + aligned(
                    [[title, "REQUESTS", "TOKENS", "COST"]]
                        + lines.map { [$0.key, "\($0.requests)", "\($0.usage.totalTokens)", $0.cost.formatted()] })
        }
        return text
    }

    static func csv(_ report: UsageReport) -> String {
        var text =
            "\(report.grouping.rawValue),requests,failed_requests,input_tokens,cache_read_tokens,cache_write_tokens,"
            + "output_tokens,reasoning_tokens,total_tokens,cost_usd,unpriced_rows,cache_savings_usd,error_rate\n"
        for line in report.lines {
            let fields: [String] = [
                field(line.key), "\(line.requests)", "\(line.failedRequests)", "\(line.usage.inputTokens)",
                "\(line.usage.cacheReadTokens)", "\(line.usage.cacheWriteTokens)", "\(line.usage.outputTokens)",
                "\(line.usage.reasoningTokens)", "\(line.usage.totalTokens)", line.cost.exactDecimalString,
                "\(line.unpricedRows)", line.cacheSavings.exactDecimalString, String(format: "%.4f", line.errorRate),
            ]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    static func json(_ report: UsageReport, since: String?, until: String?) -> JSONValue {
        func object(_ line: UsageReport.Line) -> JSONValue {
            [
                "key": .string(line.key), "requests": .integer(line.requests),
                "failed_requests": .integer(line.failedRequests), "input_tokens": .integer(line.usage.inputTokens),
                "cache_read_tokens": .integer(line.usage.cacheReadTokens),
                "cache_write_tokens": .integer(line.usage.cacheWriteTokens),
                "output_tokens": .integer(line.usage.outputTokens),
                "reasoning_tokens": .integer(line.usage.reasoningTokens),
                "total_tokens": .integer(line.usage.totalTokens), "cost_usd": .string(line.cost.exactDecimalString),
                "unpriced_rows": .integer(line.unpricedRows),
                "cache_savings_usd": .string(line.cacheSavings.exactDecimalString),
                "error_rate": .number(line.errorRate), "cache_hits": .integer(line.cacheHits),
                "response_cache_savings_usd": .string(line.responseCacheSavings.exactDecimalString),
            ]
        }
        return [
            "by": .string(report.grouping.rawValue), "since": since.map(JSONValue.string) ?? .null,
            "until": until.map(JSONValue.string) ?? .null, "rows": .array(report.lines.map(object)),
            "total": object(report.total), "top_features": .array(report.topFeatures.map(object)),
            "top_prompts": .array(report.topPrompts.map(object)),
        ]
    }

    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func aligned(_ rows: [[String]]) -> String {
        let widths = rows.reduce(into: [Int](repeating: 0, count: rows.first?.count ?? 0)) { widths, row in
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
