import ClaveCrypto

extension CheckCommand {
    /// Certificates due within this many days are a warning: time to renew (ACME clients renew
    /// at 30 days left, so a certificate this close to its end means renewal is not running).
    static let renewalWarningDays = 21

    /// `--tls-cert`/`--tls-key` checked as `clave serve` would at start, plus what an operator
    /// wants to know before a client finds out: days left and whether the chain verifies.
    static func tlsCheck(_ settings: ServeConfiguration) -> CheckResult {
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
        if let problem = files.chainProblem() {
            return CheckResult(.warn, "tls", detail + "; the chain does not verify against this machine's trust store (\(problem)): "
                               + "clients must trust its issuer themselves, or add the intermediate certificates to --tls-cert")
        }
        return CheckResult(.ok, "tls", detail)
    }
}
