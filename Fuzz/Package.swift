// swift-tools-version:6.1
import Foundation
import PackageDescription

// libFuzzer targets, one small executable per parser, built only with
// `swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address` (scripts/fuzz does it).
//
// A package of their own because `-sanitize=fuzzer` links libFuzzer into every executable it builds: the main
// package's daemon, client and bench would all get it.

/// The main package's identity: a path dependency is known by its folder's name (main, a worktree's, a CI clone's).
let main = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()
let core = Target.Dependency.product(name: "DevSkyyCore", package: main)
let collect = Target.Dependency.product(name: "DevSkyyCollect", package: main)
let store = Target.Dependency.product(name: "DevSkyyStore", package: main)
let server = Target.Dependency.product(name: "DevSkyyServer", package: main)
let daemon = Target.Dependency.product(name: "DevSkyyDaemon", package: main)
let hummingbirdCore = Target.Dependency.product(name: "HummingbirdCore", package: "hummingbird")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")

let fuzzers: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-json", [core]),
    ("fuzz-jsonpath", [core, collect]),
    ("fuzz-prometheus", [core, collect]),
    ("fuzz-headers", [collect]),
    ("fuzz-config", [core, daemon]),
    ("fuzz-query", [core, server, hummingbirdCore]),
    ("fuzz-outbox", [core, store, logging]),
    ("fuzz-fastpath", [server, httpTypes]),
    ("fuzz-deliverable", [server]),
    ("fuzz-oauth", [core, server]),
]

let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "devskyy-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // libFuzzer's driver entry point, which no module declares for Swift.
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"], swiftSettings: settings),
    ]
        + fuzzers.map { fuzzer in
            .executableTarget(name: fuzzer.name, dependencies: ["FuzzSupport"] + fuzzer.dependencies, swiftSettings: settings)
        },
    swiftLanguageModes: [.v6]
)
