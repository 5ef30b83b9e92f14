// swift-tools-version:6.0
import PackageDescription

/// Clave: password recovery for three Colombian portals.
///
/// No package dependencies, by design: only Foundation, Dispatch, the toolchain's test
/// libraries, and SQLite and OpenSSL through system library targets (see shared/DESIGN.md).
let package = Package(
    name: "Clave",
    products: [
        .executable(name: "clave", targets: ["clave"]),
    ],
    targets: [
        // System libraries: module maps only.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // Glibc headers the Glibc module does not export (epoll, eventfd, signalfd): no library.
        .systemLibrary(name: "CLinux"),

        // Libraries, arrows pointing one way.
        .target(name: "ClaveLog"),
        .target(name: "HTTPCore", dependencies: ["ClaveLog", "CLinux"]),
        .target(name: "ClaveCrypto", dependencies: ["COpenSSL"]),
        .target(name: "UserStore", dependencies: ["CSQLite", "ClaveCrypto", "ClaveLog"]),
        .target(name: "Mailer", dependencies: ["ClaveCrypto", "UserStore", "ClaveLog"]),
        .target(name: "Templates"),
        .target(name: "CaptchaImage"),
        .target(
            name: "RecoveryFlows",
            dependencies: ["HTTPCore", "UserStore", "Mailer", "ClaveCrypto", "Templates", "CaptchaImage", "ClaveLog"]
        ),
        .executableTarget(
            name: "clave",
            dependencies: ["HTTPCore", "UserStore", "Mailer", "ClaveCrypto", "RecoveryFlows", "ClaveLog"]
        ),

        // Fuzz targets: libFuzzer entry points when built with -DFUZZING, corpus replayers otherwise.
        .executableTarget(name: "fuzz-http-request", dependencies: ["HTTPCore"], path: "Fuzz/HTTPRequest"),
        .executableTarget(name: "fuzz-form", dependencies: ["HTTPCore"], path: "Fuzz/Form"),
        .executableTarget(name: "fuzz-cookie", dependencies: ["HTTPCore"], path: "Fuzz/Cookie"),

        // Tests, in three layers (shared/STYLE.md).
        .target(name: "TestSupport", dependencies: ["HTTPCore"], path: "Tests/TestSupport"),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore", "TestSupport"]),
        .testTarget(name: "ClaveCryptoTests", dependencies: ["ClaveCrypto"]),
        .testTarget(name: "UserStoreTests", dependencies: ["UserStore", "ClaveCrypto", "TestSupport"]),
        .testTarget(name: "MailerTests", dependencies: ["Mailer", "UserStore", "ClaveCrypto", "TestSupport"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates"]),
        .testTarget(name: "CaptchaImageTests", dependencies: ["CaptchaImage"]),
        .testTarget(name: "ClaveCLITests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// The HTTP fuzz targets keep their seed corpora (data, not sources) in Fuzz/NAME/corpus.
for target in package.targets where ["fuzz-http-request", "fuzz-form", "fuzz-cookie"].contains(target.name) {
    target.exclude.append("corpus")
}
