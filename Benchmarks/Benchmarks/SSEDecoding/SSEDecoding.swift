// Throughput of ServerSentEventDecoder on a synthetic OpenAI Chat Completions stream.
//
// The input is a 4 MB (4 × 1,000,000 bytes) stream of `chat.completion.chunk` events shaped like the
// recorded streams in the wire reference (§2.4), delivered in 16 KB ByteBuffers as a network would.
// Each measurement decodes one 1,000,000-byte quarter of it with a decoder that carries on across
// quarters, so four measurements decode the whole stream once.
//
// Reading MB/s: the scaling factor is `.kilo` and one scaled iteration is 1,000 bytes (1 KB), so a
// measurement is exactly 1 MB. The `Throughput (# / s) (K)` column therefore reads directly in MB/s
// (thousands of KB per second), and `Time (wall clock)` is the time to decode 1 KB. Equivalently:
//     MB/s = 1,000,000 bytes / (wall-clock time of one measurement in µs)   [bytes per µs = MB/s]
//          = 1,000 / (wall-clock ns per scaled iteration)
// The setup also prints the numbers needed for this.

import Benchmark
import NIOCore
import Switchboard

/// Bytes decoded per measurement.
private let bytesPerMeasurement = 1_000_000
/// Quarters in the stream.
private let parts = 4
/// Size of each ByteBuffer handed to the decoder.
private let bufferSize = 16 * 1024

/// Builds `parts` event-aligned blocks of exactly `bytesPerMeasurement` bytes each.
private func makeStream() -> [[UInt8]] {
    let words = [
        "Hello", " there", "!", " The", " weather", " in", " New", " York", " City", " is", " sunny", ",",
        " with", " a", " high", " of", " 24", "°C", " and", " light", " winds", ".", " Café", " ☕", " 🌍", "\\n",
        " \\\"quoted\\\"", " 世界",
    ]
    var lines: [String] = []
    var conversation = 0
    var totalBytes = 0
    while totalBytes < parts * bytesPerMeasurement {
        conversation += 1
        let prefix =
            #"data: {"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTj\#(conversation)","object":"chat.completion.chunk","#
            + #""created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","#
        var events = [
            prefix + #""choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"#
                + #""logprobs":null,"finish_reason":null}]}"#
        ]
        for index in 0..<200 {
            let word = words[(index * 7 + conversation) % words.count]
            events.append(
                prefix
                    + #""choices":[{"index":0,"delta":{"content":"\#(word)"},"logprobs":null,"finish_reason":null}]}"#
            )
        }
        events.append(prefix + #""choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}"#)
        events.append(
            prefix + #""choices":[],"usage":{"prompt_tokens":79,"completion_tokens":200,"total_tokens":279,"#
                + #""completion_tokens_details":{"reasoning_tokens":0}}}"#
        )
        events.append("data: [DONE]")
        for event in events {
            let line = event + "\n\n"
            lines.append(line)
            totalBytes += line.utf8.count
        }
    }

    // Cut into event-aligned parts, each padded with a comment line to exactly `bytesPerMeasurement`.
    var result: [[UInt8]] = []
    var current: [UInt8] = []
    for line in lines {
        let bytes = Array(line.utf8)
        if current.count + bytes.count + 4 > bytesPerMeasurement {
            let padding = bytesPerMeasurement - current.count
            current += [0x3A] + [UInt8](repeating: 0x20, count: padding - 3) + [0x0A, 0x0A]
            result.append(current)
            current = []
            if result.count == parts { break }
        }
        current += bytes
    }
    precondition(result.count == parts && result.allSatisfy { $0.count == bytesPerMeasurement })
    return result
}

let benchmarks: @Sendable () -> Void = {
    let stream = makeStream()
    let buffers: [[ByteBuffer]] = stream.map { part in
        stride(from: 0, to: part.count, by: bufferSize).map { start in
            ByteBuffer(bytes: part[start..<min(part.count, start + bufferSize)])
        }
    }
    var eventsPerMeasurement = 0
    do {
        var decoder = ServerSentEventDecoder()
        var events: [ServerSentEvent] = []
        for buffer in buffers[0] { try! decoder.decode(buffer, into: &events) }
        eventsPerMeasurement = events.count
    }
    print(
        """
        SSEDecoding: stream \(parts * bytesPerMeasurement) bytes in \(buffers.joined().count) buffers of \
        \(bufferSize) bytes; each measurement decodes \(bytesPerMeasurement) bytes (~\(eventsPerMeasurement) \
        events). One scaled iteration = 1,000 bytes, so Throughput (# / s) (K) = MB/s, and \
        MB/s = 1,000 / (wall-clock ns per scaled iteration).
        """
    )

    Benchmark.defaultConfiguration.maxDuration = .seconds(5)
    Benchmark.defaultConfiguration.maxIterations = 10_000

    var decoder = ServerSentEventDecoder()
    var part = 0
    Benchmark(
        "SSE decode OpenAI stream, 16 KB buffers (throughput K = MB/s)",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal],
            warmupIterations: 20,
            scalingFactor: .kilo
        )
    ) { benchmark in
        var events: [ServerSentEvent] = []
        events.reserveCapacity(256)
        var count = 0
        for buffer in buffers[part] {
            try! decoder.decode(buffer, into: &events)
            count += events.count
            events.removeAll(keepingCapacity: true)
        }
        part = (part + 1) % parts
        blackHole(count)
    }
}
