import ClaveCrypto
import ClaveHTTPS
import ClaveLog
import Foundation
import HTTPCore

extension ServeConfiguration {
    /// `--tls-cert FILE --tls-key FILE` (`CLAVE_TLS_CERT`, `CLAVE_TLS_KEY`): both or neither;
    /// `--redirect-http PORT` (`CLAVE_REDIRECT_HTTP`) only with them.
    static func tlsOptions(_ arguments: inout Arguments) throws -> (files: TLSCertificateFiles?, redirectPort: Int?) {
        let certificate = arguments.option("tls-cert"), key = arguments.option("tls-key")
        var redirect: Int?
        if arguments.option("redirect-http") != nil {
            redirect = try arguments.integer("redirect-http", default: 0, in: 0...65535)
        }
        switch (certificate, key) {
        case (nil, nil):
            guard redirect == nil else {
                throw CLIError("--redirect-http needs --tls-cert and --tls-key: it sends plain HTTP clients to the HTTPS port")
            }
            return (nil, nil)
        case (let certificate?, let key?):
            return (TLSCertificateFiles(certificateChain: certificate, privateKey: key), redirect)
        default:
            throw CLIError("--tls-cert and --tls-key go together: the certificate chain (PEM) and its private key")
        }
    }

    /// The TLS context for `--tls-cert`/`--tls-key`, nil without them. An unreadable,
    /// mismatched, expired or out-of-order pair stops start-up with one line (status 2).
    func makeTLSContext() throws -> TLSServerContext? {
        guard let tls else { return nil }
        do {
            return try TLSServerContext(files: tls)
        } catch {
            throw CLIError("HTTPS: \(Self.reason(error))")
        }
    }

    static func reason(_ error: TLSError) -> String {
        if case .configuration(let detail) = error { return detail }
        return error.description
    }

    /// SIGHUP: reads the certificate and key again for new handshakes; open connections keep
    /// theirs. A bad new pair keeps the old one and logs why.
    static func reloadCertificate(_ context: TLSServerContext?, logger: Logger) {
        guard let context else {
            logger.info("SIGHUP: nothing to reload (no --tls-cert)")
            return
        }
        do {
            let summary = try context.reload()
            logger.info("TLS certificate reloaded", ["subject": summary.subject, "days_left": String(summary.daysLeft)])
        } catch {
            logger.error("TLS certificate not reloaded; the previous one stays in use",
                         ["cert": context.files.certificateChain, "error": reason(error)])
        }
    }
}
