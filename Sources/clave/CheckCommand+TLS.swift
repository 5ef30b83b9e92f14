import ClaveCrypto
import Foundation

extension CheckCommand {
    /// Certificates due within this many days are a warning: time to renew (ACME clients renew
    /// at 30 days left, so a certificate this close to its end means renewal is not running).
    static let renewalWarningDays = 21

    /// `--tls-cert`/`--tls-key` checked as `clave serve` would at start, plus what an operator
    /// wants to know before a client finds out: days left and whether the chain verifies
    /// (against this machine's trust store, or the CA certificates in `caFile`: `--tls-ca`).
    static func tlsCheck(_ settings: ServeConfiguration, caFile: String? = nil) -> CheckResult {
        guard let files = settings.tls else {
            return CheckResult(.skip, "tls", "no --tls-cert: HTTPS comes from a proxy in front of clave")
        }
        let summary: TLSCertificateFiles.Summary
        do {
            summary = try files.check()
        } catch {
            return CheckResult(.fail, "tls", ServeConfiguration.reason(error) + " (clave serve would refuse to start)")
        }
        let detail = "\(summary.subject) for \(summary.names.joined(separator: ", ")), issued by \(summary.issuer), "
            + "chain of \(summary.chainLength); expires in \(summary.daysLeft) days"
        if summary.daysLeft < renewalWarningDays {
            return CheckResult(.warn, "tls", detail + ": renew it now")
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            return CheckResult(.fail, "tls", detail + "; --tls-ca \(caFile) cannot be read")
        }
        let trust = caFile.map { "the CA certificates in \($0)" } ?? "this machine's trust store"
        if let problem = files.chainProblem(caFile: caFile) {
            return CheckResult(.warn, "tls", detail + "; the chain does not verify against \(trust) (\(problem)): "
                               + "clients must trust its issuer themselves, or add the intermediate certificates to --tls-cert")
        }
        return CheckResult(.ok, "tls", detail + "; the chain verifies against \(trust)")
    }
}
