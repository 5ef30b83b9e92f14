import COpenSSL

/// How a TLS client checks the server it talks to.
public struct TLSClientConfiguration: Sendable, Equatable {
    /// A PEM file of CA certificates to trust instead of the system's, or nil for the system
    /// store (`SSL_CTX_set_default_verify_paths`). Tests and private relays use it.
    public var caFile: String?
    /// Whether to check the chain and the host name. Always true outside tests that show
    /// what happens when it is off; there is no flag for it in the CLI.
    public var verifyPeer: Bool

    /// System trust store and verification on, unless told otherwise.
    public init(caFile: String? = nil, verifyPeer: Bool = true) {
        self.caFile = caFile
        self.verifyPeer = verifyPeer
    }
}

/// An OpenSSL client context (`SSL_CTX`): TLS 1.2 or later, peer verification on, trust
/// anchors from the system or a CA file. Made once and shared by every connection.
public final class TLSClientContext: @unchecked Sendable {
    // SSL_CTX is reference counted and safe to share once configured (OpenSSL 3 threads doc).
    let context: OpaquePointer
    /// The trust settings the context was made with.
    public let configuration: TLSClientConfiguration

    /// Makes the context; fails when the CA file cannot be loaded.
    public init(configuration: TLSClientConfiguration = TLSClientConfiguration()) throws(TLSError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .configuration(TLSErrorQueue.drain())
        }
        self.context = context
        self.configuration = configuration
        // RFC 8996: TLS 1.0 and 1.1 are deprecated.
        SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        if configuration.verifyPeer {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            let loaded: Int32
            if let caFile = configuration.caFile {
                loaded = SSL_CTX_load_verify_locations(context, caFile, nil)
            } else {
                loaded = SSL_CTX_set_default_verify_paths(context)
            }
            guard loaded == 1 else {
                throw .configuration("cannot load trust anchors from \(configuration.caFile ?? "the system store"): \(TLSErrorQueue.drain())")
            }
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
    }

    deinit { SSL_CTX_free(context) }
}

/// libssl's thread-local error queue, read out as one line and cleared.
enum TLSErrorQueue {
    static func drain() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "unknown error" : messages.joined(separator: "; ")
    }
}
