// swift-tools-version: 6.1
// Benchmarks live in their own package so `swift test` at the repository root never builds them.
import PackageDescription

let package = Package(
    name: "SwitchboardBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // `name:` because a path dependency's identity is its directory name, which differs between
        // checkouts and worktrees; the name lets the target below say `package: "Switchboard"`.
        .package(name: "Switchboard", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "SSEDecoding",
            dependencies: [
                .product(name: "Switchboard", package: "Switchboard"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/SSEDecoding",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
