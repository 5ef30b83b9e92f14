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
        .target(name: "ClaveTime"),
        .target(name: "HTTPCore", dependencies: ["ClaveLog", "ClaveTime", "CLinux"]),
        .target(name: "ClaveCrypto", dependencies: ["COpenSSL"]),
        // HTTPS: HTTPCore's connection security made of ClaveCrypto's TLS server context.
        .target(name: "ClaveHTTPS", dependencies: ["HTTPCore", "ClaveCrypto"]),
        // Blocking TCP client sockets with timeouts, shared by the SMTP and PostgreSQL clients.
        .target(name: "ClaveSocket"),
        // The PostgreSQL wire protocol (v3) over our own sockets and OpenSSL: codec, state
        // machines, connection, pool (README "PostgreSQL client").
        .target(name: "PostgresClient", dependencies: ["ClaveCrypto", "ClaveLog", "ClaveSocket"]),
        .target(name: "UserStore", dependencies: ["CSQLite", "ClaveCrypto", "ClaveLog", "ClaveTime", "PostgresClient"]),
        .target(name: "Mailer", dependencies: ["ClaveCrypto", "ClaveSocket", "UserStore", "ClaveLog", "ClaveTime"]),
        .target(name: "Templates"),
        .target(name: "CaptchaImage"),
        .target(name: "CaptchaAudio"),
        .target(
            name: "RecoveryFlows",
            dependencies: ["HTTPCore", "UserStore", "ClaveCrypto", "Templates", "CaptchaImage", "CaptchaAudio", "ClaveLog", "ClaveTime"]
        ),
        .executableTarget(
            name: "clave",
            dependencies: ["HTTPCore", "UserStore", "Mailer", "ClaveCrypto", "ClaveHTTPS", "RecoveryFlows", "ClaveLog", "CLinux"]
        ),

        // Fuzz targets: libFuzzer entry points when built with -DFUZZING, corpus replayers otherwise.
        .target(name: "FuzzSupport", path: "Fuzz/Support"),
        .executableTarget(name: "fuzz-http-request", dependencies: ["HTTPCore", "FuzzSupport"], path: "Fuzz/HTTPRequest"),
        .executableTarget(name: "fuzz-form", dependencies: ["HTTPCore", "FuzzSupport"], path: "Fuzz/Form"),
        .executableTarget(name: "fuzz-cookie", dependencies: ["HTTPCore", "FuzzSupport"], path: "Fuzz/Cookie"),
        .executableTarget(name: "fuzz-forwarded", dependencies: ["HTTPCore", "FuzzSupport"], path: "Fuzz/Forwarded"),
        .executableTarget(name: "fuzz-template", dependencies: ["Templates", "FuzzSupport"], path: "Fuzz/Template", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-smtp-reply", dependencies: ["Mailer", "FuzzSupport"], path: "Fuzz/SMTPReply", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-tls-records", dependencies: ["ClaveCrypto", "FuzzSupport"], path: "Fuzz/TLSRecords", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-postgres-messages", dependencies: ["PostgresClient", "FuzzSupport"], path: "Fuzz/PostgresMessages", exclude: ["corpus"]),
        // `make bench` mail figures (scripts/bench.d/mail.sh, against a local aiosmtpd).
        .executableTarget(name: "bench-mail", dependencies: ["Mailer"], path: "Benchmarks/Mail"),

        // Tests, in three layers (shared/STYLE.md).
        .target(name: "TestSupport", dependencies: ["HTTPCore", "RecoveryFlows", "UserStore", "Mailer", "ClaveCrypto", "ClaveHTTPS", "ClaveLog", "ClaveTime"], path: "Tests/TestSupport"),
        .testTarget(name: "ClaveLogTests", dependencies: ["ClaveLog"]),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore", "ClaveTime", "ClaveHTTPS", "ClaveCrypto", "TestSupport"]),
        .testTarget(name: "ClaveCryptoTests", dependencies: ["ClaveCrypto", "TestSupport"]),
        .testTarget(name: "UserStoreTests", dependencies: ["UserStore", "ClaveCrypto", "ClaveLog", "ClaveTime", "TestSupport"]),
        .testTarget(name: "MailerTests", dependencies: ["Mailer", "UserStore", "ClaveCrypto", "ClaveTime", "TestSupport"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates", "TestSupport"]),
        .testTarget(name: "CaptchaImageTests", dependencies: ["CaptchaImage", "TestSupport"]),
        .testTarget(name: "CaptchaAudioTests", dependencies: ["CaptchaAudio", "TestSupport"]),
        .testTarget(name: "ClaveCLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "ClaveCrypto", "ClaveLog", "TestSupport"]),
        .testTarget(name: "RecoveryFlowsTests", dependencies: ["RecoveryFlows", "CaptchaAudio", "HTTPCore", "UserStore", "Mailer", "ClaveCrypto", "ClaveTime", "TestSupport"]),
        // The crash test's child process: dies by SIGKILL inside a write transaction.
        .executableTarget(name: "store-crash-helper", dependencies: ["UserStore"], path: "Tests/StoreCrashHelper"),
        // `make bench` store figures (scripts/bench.d/store.sh, release build).
        .executableTarget(name: "bench-store", dependencies: ["UserStore", "PostgresClient", "ClaveCrypto"], path: "Benchmarks/Store"),
        // PostgreSQL client round trips against a given server (bench-postgres URL).
        .executableTarget(name: "bench-postgres", dependencies: ["PostgresClient"], path: "Benchmarks/Postgres"),
    ],
    swiftLanguageModes: [.v6]
)

// The HTTP fuzz targets keep their seed corpora (data, not sources) in Fuzz/NAME/corpus.
for target in package.targets where ["fuzz-http-request", "fuzz-form", "fuzz-cookie", "fuzz-forwarded"].contains(target.name) {
    target.exclude.append("corpus")
}
