// swift-tools-version: 6.1
// The floor under the gateway's CPU cost: a Hummingbird server that forwards each chat request to the
// provider with AsyncHTTPClient and does nothing else. `Scripts/gateway-load.sh` measures it next to the
// gateway when run with FLOOR=1. Its own package, so neither `swift build` nor `swift test` builds it.
import PackageDescription

let package = Package(
    name: "FrameworkFloor",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "FrameworkFloor",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        )
    ]
)
