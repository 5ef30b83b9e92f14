import Foundation

/// A throw-away certificate authority for HTTPS tests, made with the `openssl` command in a
/// temporary folder (no private key is ever committed): a CA certificate a client can trust
/// (`--cacert`, `cafile=`, Chromium's NSS database) and leaf certificates it issues, valid now
/// or on the dates a test asks for (an expired one, say).
///
/// ```swift
/// let authority = try TestCertificateAuthority()
/// let server = try authority.issue()            // localhost and 127.0.0.1, valid for two days
/// // clave serve --tls-cert server.chainPath --tls-key server.keyPath
/// // curl --cacert authority.certificatePath https://127.0.0.1:PORT/
/// ```
public final class TestCertificateAuthority: @unchecked Sendable {
    /// What ``issue(name:hosts:startDate:endDate:)`` made.
    public struct Issued: Sendable {
        /// The leaf alone.
        public let leafPath: String
        /// The leaf then the CA certificate: what `--tls-cert` takes.
        public let chainPath: String
        public let keyPath: String
    }

    public let folder: TemporaryDirectory
    /// The CA certificate (PEM), to trust.
    public let certificatePath: String
    public let keyPath: String
    private let configurationPath: String
    private let lock = NSLock()

    /// A new CA (P-256), valid for two days.
    public init(commonName: String = "Clave Test CA") throws {
        folder = try TemporaryDirectory(prefix: "clave-test-ca")
        certificatePath = folder.path("ca.pem")
        keyPath = folder.path("ca-key.pem")
        configurationPath = folder.path("ca.cnf")
        let dir = folder.url.path
        let configuration = """
        [ca]
        default_ca = test
        [test]
        database = \(dir)/index.txt
        new_certs_dir = \(dir)
        serial = \(dir)/serial
        default_md = sha256
        policy = anything
        copy_extensions = copy
        unique_subject = no
        x509_extensions = leaf
        [anything]
        commonName = supplied
        [leaf]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature,keyEncipherment
        extendedKeyUsage = serverAuth
        authorityKeyIdentifier = keyid
        subjectKeyIdentifier = hash

        """
        try configuration.write(toFile: configurationPath, atomically: true, encoding: .utf8)
        try "".write(toFile: folder.path("index.txt"), atomically: true, encoding: .utf8)
        try "01\n".write(toFile: folder.path("serial"), atomically: true, encoding: .utf8)
        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                          "-subj", "/CN=\(commonName)", "-addext", "basicConstraints=critical,CA:TRUE",
                          "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                          "-keyout", keyPath, "-out", certificatePath])
    }

    /// A leaf for `hosts` (DNS names or IPv4 addresses), signed by this CA. Dates are
    /// `YYYYMMDDHHMMSSZ`; by default from an hour ago for two days. `keyType` is `ec` (P-256)
    /// or `rsa` (2048 bits).
    public func issue(name: String = "server", hosts: [String] = ["localhost", "127.0.0.1"],
                      startDate: String? = nil, endDate: String? = nil, keyType: String = "ec") throws -> Issued {
        try lock.withLock {
            let key = folder.path("\(name)-key.pem"), request = folder.path("\(name).csr")
            let leaf = folder.path("\(name).pem"), chain = folder.path("\(name)-chain.pem")
            let names = hosts.map { $0.allSatisfy { $0.isNumber || $0 == "." } ? "IP:\($0)" : "DNS:\($0)" }.joined(separator: ",")
            let keyOptions = keyType == "rsa" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
            try Self.openssl(["req", "-new"] + keyOptions + ["-nodes", "-subj", "/CN=\(hosts.first ?? "localhost")",
                              "-addext", "subjectAltName=\(names)", "-keyout", key, "-out", request])
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyyMMddHHmmss'Z'"
            formatter.timeZone = TimeZone(identifier: "UTC")
            let start = startDate ?? formatter.string(from: Date().addingTimeInterval(-3600))
            let end = endDate ?? formatter.string(from: Date().addingTimeInterval(2 * 86_400))
            try Self.openssl(["ca", "-batch", "-notext", "-config", configurationPath, "-cert", certificatePath,
                              "-keyfile", keyPath, "-in", request, "-out", leaf, "-startdate", start, "-enddate", end])
            let pem = try String(contentsOfFile: leaf, encoding: .utf8) + String(contentsOfFile: certificatePath, encoding: .utf8)
            try pem.write(toFile: chain, atomically: true, encoding: .utf8)
            return Issued(leafPath: leaf, chainPath: chain, keyPath: key)
        }
    }

    /// Runs `openssl` with `arguments`; a failure throws with its standard error.
    @discardableResult
    public static func openssl(_ arguments: [String], input: String? = nil) throws -> ChildProcess.Result {
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["openssl"] + arguments, input: input, timeout: 60)
        guard result.status == 0 else {
            throw PeerError("openssl \(arguments.first ?? "") failed: \(result.standardError)")
        }
        return result
    }
}
