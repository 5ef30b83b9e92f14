import ClaveLog
import Foundation
import PostgresClient
import TestSupport

/// The shared server and a database of the suite's own, with configurations for each case.
struct PostgresLiveDatabase {
    let peer: PostgresPeer
    let database: String

    init(_ prefix: String, peer: PostgresPeer? = nil) throws {
        self.peer = try peer ?? PostgresPeer.shared()
        database = try self.peer.createDatabase(prefix)
    }

    func configuration(user: String = PostgresPeer.testUser, password: String = PostgresPeer.testPassword,
                       host: String = "localhost", sslMode: PostgresSSLMode = .verifyFull, caFile: String? = nil,
                       logger: Logger = Logger(label: "postgres")) -> PostgresConfiguration {
        PostgresConfiguration(host: host, port: peer.port, user: user, password: password, database: database,
                              sslMode: sslMode, sslRootCertificate: caFile ?? peer.caFile, connectTimeout: 10,
                              ioTimeout: 30, logger: logger)
    }

    func connect(_ configuration: PostgresConfiguration? = nil) throws -> PostgresConnection {
        try PostgresConnection.connect(configuration ?? self.configuration())
    }
}
