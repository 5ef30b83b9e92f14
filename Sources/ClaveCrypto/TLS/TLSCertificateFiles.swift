import COpenSSL
import Foundation

/// A PEM certificate chain and its private key, read and checked the way `clave serve
/// --tls-cert --tls-key` needs them: both readable, the key the certificate's, the
/// certificate valid now, and each certificate in the chain issued by the next.
///
/// `clave serve` refuses to start on any fault (one line naming the file and what to do);
/// `clave check` prints the same facts and the days left.
public struct TLSCertificateFiles: Sendable, Equatable {
    public var certificateChain: String
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    /// What a valid pair looks like.
    public struct Summary: Sendable, Equatable {
        /// The leaf's subject, one line (`CN=clave.example.co`).
        public var subject: String
        /// The leaf's issuer, one line.
        public var issuer: String
        /// Certificates in the chain file, the leaf included.
        public var chainLength: Int
        /// Whole days until the leaf expires (0 on its last day).
        public var daysLeft: Int
        /// The DNS names and IP addresses the leaf is for.
        public var names: [String]
    }

    /// Reads and checks both files at `now`; a fault is `TLSError.configuration` with a
    /// sentence an operator can act on.
    public func check(now: Date = Date()) throws(TLSError) -> Summary {
        let chain = try Self.readCertificates(certificateChain)
        defer { chain.forEach { X509_free($0) } }
        let key = try Self.readKey(privateKey)
        defer { EVP_PKEY_free(key) }
        let leaf = chain[0]
        guard X509_check_private_key(leaf, key) == 1 else {
            ERR_clear_error()
            throw .configuration("--tls-key \(privateKey) is not the key of the certificate in --tls-cert \(certificateChain)")
        }
        var time = time_t(now.timeIntervalSince1970)
        guard X509_cmp_time(X509_get0_notBefore(leaf), &time) < 0 else {
            throw .configuration("the certificate in \(certificateChain) is not valid yet (from \(Self.text(X509_get0_notBefore(leaf))))")
        }
        guard X509_cmp_time(X509_get0_notAfter(leaf), &time) > 0 else {
            throw .configuration("the certificate in \(certificateChain) expired on \(Self.text(X509_get0_notAfter(leaf))): renew it")
        }
        for index in chain.indices.dropLast() where X509_check_issued(chain[index + 1], chain[index]) != X509_V_OK {
            throw .configuration("certificate \(index + 2) in \(certificateChain) did not issue certificate \(index + 1): "
                                 + "the file must hold the leaf first, then each issuer in order")
        }
        var days: Int32 = 0
        var seconds: Int32 = 0
        guard let nowTime = ASN1_TIME_set(nil, time) else { throw .configuration(TLSErrorQueue.drain()) }
        defer { ASN1_TIME_free(nowTime) }
        _ = ASN1_TIME_diff(&days, &seconds, nowTime, X509_get0_notAfter(leaf))
        return Summary(subject: Self.name(X509_get_subject_name(leaf)), issuer: Self.name(X509_get_issuer_name(leaf)),
                       chainLength: chain.count, daysLeft: Int(days), names: Self.subjectAltNames(leaf))
    }

    /// Whether the chain verifies up to a trust anchor: this machine's store (what most
    /// clients trust), or `caFile`'s certificates. Nil when it does; else the reason.
    public func chainProblem(caFile: String? = nil) -> String? {
        guard let chain = try? Self.readCertificates(certificateChain) else { return "cannot read \(certificateChain)" }
        defer { chain.forEach { X509_free($0) } }
        guard let store = X509_STORE_new(), let context = X509_STORE_CTX_new(), let untrusted = OPENSSL_sk_new_null() else {
            return "out of memory"
        }
        defer {
            X509_STORE_CTX_free(context)
            X509_STORE_free(store)
            OPENSSL_sk_free(untrusted)
        }
        if let caFile {
            _ = X509_STORE_load_file(store, caFile)
        } else {
            _ = X509_STORE_set_default_paths(store)
        }
        for certificate in chain.dropFirst() { _ = OPENSSL_sk_push(untrusted, UnsafeRawPointer(certificate)) }
        guard X509_STORE_CTX_init(context, store, chain[0], untrusted) == 1 else { return TLSErrorQueue.drain() }
        defer { ERR_clear_error() }
        if X509_verify_cert(context) == 1 { return nil }
        return String(cString: X509_verify_cert_error_string(Int(X509_STORE_CTX_get_error(context))))
    }

    private static func readCertificates(_ path: String) throws(TLSError) -> [OpaquePointer] {
        guard let bio = BIO_new_file(path, "r") else {
            ERR_clear_error()
            throw .configuration("cannot read --tls-cert \(path): \(String(cString: strerror(errno)))")
        }
        defer { BIO_free(bio) }
        var chain: [OpaquePointer] = []
        while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) { chain.append(certificate) }
        ERR_clear_error()  // the end of the file reads as "no start line"
        guard !chain.isEmpty else { throw .configuration("--tls-cert \(path) holds no PEM certificate") }
        return chain
    }

    private static func readKey(_ path: String) throws(TLSError) -> OpaquePointer {
        guard let bio = BIO_new_file(path, "r") else {
            ERR_clear_error()
            throw .configuration("cannot read --tls-key \(path): \(String(cString: strerror(errno)))")
        }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            ERR_clear_error()
            throw .configuration("--tls-key \(path) holds no unencrypted PEM private key")
        }
        return key
    }

    private static func name(_ name: OpaquePointer?) -> String {
        guard let name else { return "?" }
        var buffer = [CChar](repeating: 0, count: 512)
        _ = X509_NAME_oneline(name, &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func text(_ time: UnsafePointer<ASN1_TIME>?) -> String {
        guard let time, let bio = BIO_new(BIO_s_mem()) else { return "?" }
        defer { BIO_free(bio) }
        ASN1_TIME_print(bio, time)
        return memoryText(bio)
    }

    private static func memoryText(_ bio: OpaquePointer) -> String {
        var pointer: UnsafeMutablePointer<CChar>?
        let count = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)
        guard count > 0, let pointer else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    private static func subjectAltNames(_ certificate: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var result: [String] = []
        for index in 0..<OPENSSL_sk_num(names) {
            guard let entry = OPENSSL_sk_value(names, index)?.assumingMemoryBound(to: GENERAL_NAME.self) else { continue }
            if entry.pointee.type == GEN_DNS, let text = entry.pointee.d.dNSName {
                result.append(String(decoding: UnsafeBufferPointer(start: ASN1_STRING_get0_data(text), count: Int(ASN1_STRING_length(text))), as: UTF8.self))
            } else if entry.pointee.type == GEN_IPADD, let ip = entry.pointee.d.iPAddress {
                let bytes = Array(UnsafeBufferPointer(start: ASN1_STRING_get0_data(ip), count: Int(ASN1_STRING_length(ip))))
                result.append(bytes.count == 4 ? bytes.map(String.init).joined(separator: ".") : "IPv6")
            }
        }
        return result
    }
}
