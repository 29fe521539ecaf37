// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

// Shared state is locked with NIOLockedValueBox (NIOConcurrencyHelpers), a pthread mutex that ThreadSanitizer sees,
// rather than Synchronization's Mutex: on Linux that locks inside the uninstrumented standard library, so TSan reports
// every access it guards as a race (17 such reports in one `scripts/sanitize thread` run, all under a Mutex).
let package = Package(
    name: "devskyy-collector",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "devskyyd", targets: ["devskyyd"]),
        .executable(name: "devskyyctl", targets: ["devskyyctl"]),
        // For the fuzz targets' package (Fuzz/), which depends on this one by path.
        .library(name: "DevSkyyCore", targets: ["DevSkyyCore"]),
        .library(name: "DevSkyyCollect", targets: ["DevSkyyCollect"]),
        .library(name: "DevSkyyStore", targets: ["DevSkyyStore"]),
        .library(name: "DevSkyyServer", targets: ["DevSkyyServer"]),
        .library(name: "DevSkyyAuth", targets: ["DevSkyyAuth"]),
        .library(name: "DevSkyyDaemon", targets: ["DevSkyyDaemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        // Access tokens (issue 13): jwt-kit signs and checks HS256; swift-crypto (the major jwt-kit needs) hashes API keys.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    ],
    targets: [
        // C libraries, each wrapped once by the Swift module that owns it.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // glibc's allocator settings (malloc.h), which the Glibc module does not export.
        .systemLibrary(name: "CMalloc"),

        .target(name: "DevSkyyCore", swiftSettings: strict),
        .target(
            name: "DevSkyyCollect",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DevSkyyCore", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DevSkyyStore",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DevSkyyCore", "CHiredis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Credentials: JWTs, bcrypt, API keys, and the refresh families kept in Redis.
        .target(
            name: "DevSkyyAuth",
            dependencies: [
                "DevSkyyCore", "DevSkyyStore",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DevSkyySystemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "DevSkyyServer",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DevSkyyCore", "DevSkyyStore", "DevSkyyAuth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The daemon as a library, so tests can load configuration and wire services in-process.
        .target(
            name: "DevSkyyDaemon",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DevSkyyCore", "DevSkyyCollect", "DevSkyyStore", "DevSkyySystemd", "DevSkyyServer", "DevSkyyAuth", "CMalloc",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "devskyyd",
            dependencies: ["DevSkyyDaemon", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // Drivers for the benchmarks in bench/ (not installed).
        .executableTarget(
            name: "devskyy-bench",
            dependencies: [
                "DevSkyyCore", "DevSkyyStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "devskyyctl",
            dependencies: [
                "DevSkyyCore", "DevSkyyCollect", "DevSkyyAuth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DevSkyyTestSupport",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DevSkyyCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/DevSkyyTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "DevSkyyTests",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DevSkyyCore", "DevSkyyCollect", "DevSkyyStore", "DevSkyySystemd", "DevSkyyServer",
                "DevSkyyDaemon", "DevSkyyTestSupport", "DevSkyyAuth",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
