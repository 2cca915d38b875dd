// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Transfert",
    platforms: [.macOS(.v14)],
    products: [
        .library(
            name: "TransfertKit", targets: ["TransfertModel", "TransfertFormats", "TransfertStorage", "TransfertKit"]),
        .library(name: "TransfertPortal", targets: ["TransfertPortal"]),
        .library(name: "TransfertConsole", targets: ["TransfertConsole"]),
        .executable(name: "transfert", targets: ["transfert"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // Already under Hummingbird: named here for the portal's connection handlers (timeouts, limits).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        // The PostgreSQL backend's client: the wire protocol in Swift, no C library to install or link.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Values only: establishments, zones, journal entries, locks, windows, moves, problems, progress.
        // Depends on nothing of ours: every other target may use them.
        .target(name: "TransfertModel"),
        // What goes into and comes out of files: schemas and the MySQL dialect, dumps, ZIP both ways, the
        // manifest (CSV and JSON), SACoche's bundles, and the row protocols a dump reads from and restores into.
        .target(
            name: "TransfertFormats",
            dependencies: [
                "TransfertModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                "CDeflate",
                "CZlibInflate",
            ]
        ),
        // The seam to database engines: the registry and the establishment databases on SQLite, MariaDB and
        // PostgreSQL. The only target that imports GRDB, MariaDB Connector/C or PostgresNIO.
        .target(
            name: "TransfertStorage",
            dependencies: [
                "TransfertModel",
                "TransfertFormats",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API GRDB links against: dumps read column bytes without copies.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                "CMariaDB",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The workflows: hosting, export, verify, import, moves, maintenance, mail, audit.
        .target(
            name: "TransfertKit",
            dependencies: [
                "TransfertModel",
                "TransfertFormats",
                "TransfertStorage",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Mustache", package: "swift-mustache"),
                // The operations log (`log/transfert.log`) is written through swift-log.
                .product(name: "Logging", package: "swift-log"),
                "CCurlShim",
                "CResolv",
            ],
            // The default application profile, compiled into the binary: `init` finds it wherever the binary
            // runs. Samples/school-profile.yaml is a link to this one file.
            resources: [.embedInCode("Resources/school-profile.yaml")]
        ),
        // The portal users see (`transfert serve`): HTTP through Hummingbird, kept out of TransfertKit so
        // that the library and its other users do not carry SwiftNIO.
        .target(
            name: "TransfertPortal",
            dependencies: [
                "TransfertModel",
                "TransfertKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The connection's own pipeline: timeouts, the cap, HTTP/1's connection rules.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The webmaster's console (`transfert console`): signed-in pages over every workflow, jobs run by the
        // `transfert` binary itself. Beside the portal, for the same reason: SwiftNIO stays out of the library.
        .target(
            name: "TransfertConsole",
            dependencies: [
                "TransfertModel",
                "TransfertFormats",
                "TransfertStorage",
                "TransfertKit",
                // The portal's own words, for the maintenance preview (what users see).
                "TransfertPortal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Assets/console.css"), .embedInCode("Assets/console.js")]
        ),
        // MariaDB Connector/C, the client of the MariaDB backend (Debian: libmariadb-dev).
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]
        ),
        // libdeflate, which deflates the export's SQL chunks on several cores (Debian: libdeflate-dev).
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // zlib, which inflates bundle entries as a stream, counting the compressed bytes each piece of output
        // took, so a ZIP's ratios are measured, not believed (Debian: zlib1g-dev).
        .systemLibrary(
            name: "CZlibInflate",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // libcurl, the SMTP client that delivers letters (Debian: libcurl4-openssl-dev).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        // Typed wrappers over libcurl's variadic curl_easy_setopt/getinfo, which Swift cannot call.
        .target(
            name: "CCurlShim",
            dependencies: ["CCurl"],
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // sqlite3_config, which Swift cannot call (variadic): SQLite's allocator statistics turned off
        // before the first connection, a mutex less on every malloc of a restore.
        .target(
            name: "CSQLiteTuning",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // One DNS question through the C library's resolver (MX, A, AAAA), for `import --check-mail-domains`.
        .target(
            name: "CResolv",
            linkerSettings: [.linkedLibrary("resolv")]
        ),
        .executableTarget(
            name: "transfert",
            dependencies: [
                "TransfertModel",
                "TransfertFormats",
                "TransfertStorage",
                "TransfertKit",
                "TransfertPortal",
                "TransfertConsole",
                "CSQLiteTuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The command line builds the operations log's and the portal's loggers (`Loggers`).
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What both test targets share: a throwaway MariaDB server started on loopback.
        .target(
            name: "TransfertTestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "TransfertKitTests",
            dependencies: [
                "TransfertModel",
                "TransfertFormats",
                "TransfertStorage",
                "TransfertKit",
                "TransfertPortal",
                "TransfertConsole",
                "TransfertTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Drives the real `transfert` binary (built by `make test`) and checks what it writes with
        // independent tools: sqlite3, unzip, Python's zipfile, csv and email modules.
        .testTarget(
            name: "TransfertEndToEndTests",
            dependencies: ["TransfertTestSupport"]
        ),
    ]
)
