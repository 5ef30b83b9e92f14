import HTTPCore

extension Arguments {
    /// `--trusted-proxy CIDR` (repeatable), else `CLAVE_TRUSTED_PROXIES` (comma-separated): the
    /// reverse proxies whose `Forwarded` / `X-Forwarded-For` name the client. IPv4 and IPv6,
    /// blocks (`10.0.0.0/8`) or single addresses (`127.0.0.1`). Default none. A value that is
    /// neither stops start-up with one line (exit status 2).
    mutating func trustedProxies() throws -> TrustedProxies {
        var texts = options("trusted-proxy")
        if texts.isEmpty, let variable = option("trusted-proxy", environmentVariable: "CLAVE_TRUSTED_PROXIES") {
            texts = variable.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        do {
            return try TrustedProxies(texts)
        } catch {
            throw CLIError("--trusted-proxy: \(error)")
        }
    }
}
