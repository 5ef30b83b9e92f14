import ClaveCrypto
import COpenSSL
import Foundation

/// The server certificate the fuzzer handshakes with: a P-256 key and a self-signed
/// certificate made in-process at start (written to a temporary folder, since
/// ``TLSServerContext`` reads files), so no key is kept in the repository.
enum FuzzFixture {
    static let context: TLSServerContext = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clave-fuzz-tls-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let certificatePath = folder + "/cert.pem", keyPath = folder + "/key.pem"
        guard let parameters = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { trap("EVP_PKEY_CTX") }
        defer { EVP_PKEY_CTX_free(parameters) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(parameters) == 1, EVP_PKEY_CTX_set_group_name(parameters, "P-256") == 1,
              EVP_PKEY_generate(parameters, &key) == 1, let key else { trap("key generation") }
        guard let certificate = X509_new() else { trap("X509_new") }
        X509_set_version(certificate, 2)
        ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1)
        X509_gmtime_adj(X509_getm_notBefore(certificate), -3600)
        X509_gmtime_adj(X509_getm_notAfter(certificate), 86_400)
        X509_set_pubkey(certificate, key)
        let name = X509_get_subject_name(certificate)
        let commonName = Array("localhost".utf8)  // not NUL-terminated: the length is given
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, Int32(commonName.count), -1, 0)
        X509_set_issuer_name(certificate, name)
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { trap("X509_sign") }
        guard let certificateFile = BIO_new_file(certificatePath, "w"), let keyFile = BIO_new_file(keyPath, "w") else { trap("BIO_new_file") }
        PEM_write_bio_X509(certificateFile, certificate)
        PEM_write_bio_PrivateKey(keyFile, key, nil, nil, 0, nil, nil)
        BIO_free(certificateFile)
        BIO_free(keyFile)
        X509_free(certificate)
        EVP_PKEY_free(key)
        do {
            let context = try TLSServerContext(files: TLSCertificateFiles(certificateChain: certificatePath, privateKey: keyPath))
            try? FileManager.default.removeItem(atPath: folder)
            return context
        } catch {
            trap("fixture context: \(error)")
        }
    }()
}

/// The fuzzer's TLS client: OpenSSL over memory BIOs, not verifying (the fixture is self-signed).
final class FuzzClient {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer

    init() {
        context = SSL_CTX_new(TLS_client_method())!
        ssl = SSL_new(context)!
        input = BIO_new(BIO_s_mem())!
        output = BIO_new(BIO_s_mem())!
        BIO_ctrl(input, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        BIO_ctrl(output, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        SSL_set_bio(ssl, input, output)
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        _ = SSL_set_alpn_protos(ssl, alpn, UInt32(alpn.count))
        SSL_set_connect_state(ssl)
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    func handshakeDone() -> Bool {
        let done = SSL_do_handshake(ssl) == 1
        ERR_clear_error()
        return done
    }

    func receive(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { BIO_write(input, $0.baseAddress, Int32($0.count)) }
    }

    func takeOutput() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while case let n = buffer.withUnsafeMutableBytes({ BIO_read(output, $0.baseAddress, Int32($0.count)) }), n > 0 {
            bytes += buffer[0..<Int(n)]
        }
        return bytes
    }

    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
    }

    func read() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while case let n = buffer.withUnsafeMutableBytes({ SSL_read(ssl, $0.baseAddress, Int32($0.count)) }), n > 0 {
            bytes += buffer[0..<Int(n)]
        }
        ERR_clear_error()
        return bytes
    }
}
