import ClaveCrypto
import Foundation

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding (`n,,`):
/// the only password method this client accepts, because the password never crosses the wire
/// and the server proves it knows the verifier too.
///
/// Three steps: send ``clientFirstMessage``, answer the server-first message with
/// ``clientFinalMessage(serverFirst:)``, check the server-final message with
/// ``verifyServerFinal(_:)``. Pure apart from the nonce, which tests pass in.
///
/// The password is used as its UTF-8 bytes, without SASLprep: PostgreSQL does the same for a
/// password SASLprep would reject, and the two agree for every ASCII password.
public struct SCRAMSHA256Client: Sendable {
    /// Bounds on what the server may ask for.
    public struct Limits: Sendable, Equatable {
        /// The most PBKDF2 iterations accepted. Default 1,000,000: PostgreSQL's default is
        /// 4,096; a server asking for far more would make every connect a CPU burn.
        public var maximumIterations: Int
        public init(maximumIterations: Int = 1_000_000) { self.maximumIterations = maximumIterations }
    }

    public let limits: Limits
    private let password: [UInt8]
    private let clientNonce: String
    private let clientFirstBare: String
    private var expectedServerSignature: [UInt8]?

    /// `username` is sent in the SCRAM message; PostgreSQL ignores it (the startup message
    /// named the user) and libpq sends it empty, as this client does by default.
    /// `clientNonce` is ``randomNonce()`` outside tests.
    public init(username: String = "", password: String, clientNonce: String, limits: Limits = Limits()) {
        self.limits = limits
        self.password = Array(password.utf8)
        let nonce = clientNonce
        self.clientNonce = nonce
        let escaped = username.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
        self.clientFirstBare = "n=\(escaped),r=\(nonce)"
    }

    /// 18 random bytes in base64 (no comma, as the nonce must not hold one).
    public static func randomNonce() throws(PostgresError) -> String {
        do {
            return Data(try SecureRandom.bytes(18)).base64EncodedString()
        } catch {
            throw .authentication("no random bytes for the SCRAM nonce: \(error)")
        }
    }

    /// `n,,n=user,r=nonce`: no channel binding, no authorization identity.
    public var clientFirstMessage: String { "n,," + clientFirstBare }

    /// The client-final message (with the proof) for the server-first message.
    public mutating func clientFinalMessage(serverFirst: String) throws(PostgresError) -> String {
        let attributes = try Self.attributes(serverFirst)
        guard let nonce = attributes["r"], nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw .authentication("SCRAM server nonce does not extend the client's")
        }
        guard let saltText = attributes["s"], let salt = Data(base64Encoded: saltText), !salt.isEmpty else {
            throw .authentication("SCRAM server-first message has no valid salt")
        }
        guard let iterationText = attributes["i"], let iterations = Int(iterationText), iterations > 0 else {
            throw .authentication("SCRAM server-first message has no valid iteration count")
        }
        guard iterations <= limits.maximumIterations else {
            throw .authentication("SCRAM iteration count \(iterations) is above the limit of \(limits.maximumIterations)")
        }
        guard attributes["m"] == nil else { throw .authentication("SCRAM server asks for an unsupported extension") }
        guard let salted = PBKDF2SHA256.derive(password: password, salt: Array(salt), iterations: iterations) else {
            throw .authentication("SCRAM key derivation failed")
        }
        // "biws" is base64("n,,"): the GS2 header, repeated as the channel-binding attribute.
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientKey = HMACSHA256.authenticate(Array("Client Key".utf8), key: salted)
        let storedKey = SHA256.hash(clientKey)
        let clientSignature = HMACSHA256.authenticate(authMessage, key: storedKey)
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        let serverKey = HMACSHA256.authenticate(Array("Server Key".utf8), key: salted)
        expectedServerSignature = HMACSHA256.authenticate(authMessage, key: serverKey)
        return "\(withoutProof),p=\(Data(proof).base64EncodedString())"
    }

    /// Checks the server's signature: a server that does not know the verifier fails here,
    /// even if it then says AuthenticationOk.
    public func verifyServerFinal(_ serverFinal: String) throws(PostgresError) {
        let attributes = try Self.attributes(serverFinal)
        if let error = attributes["e"] { throw .authentication("SCRAM server error: \(error)") }
        guard let expected = expectedServerSignature else { throw .authentication("SCRAM server-final before server-first") }
        guard let text = attributes["v"], let signature = Data(base64Encoded: text),
              ConstantTime.equals(Array(signature), expected) else {
            throw .authentication("SCRAM server signature does not verify: the server does not know this password")
        }
    }

    /// `a=value,b=value` into a dictionary; a repeated or malformed attribute is an error.
    private static func attributes(_ message: String) throws(PostgresError) -> [Character: String] {
        var out: [Character: String] = [:]
        for part in message.split(separator: ",", omittingEmptySubsequences: false) {
            guard part.count >= 2, let key = part.first, part.dropFirst().first == "=", out[key] == nil else {
                throw .authentication("SCRAM message is malformed")
            }
            out[key] = String(part.dropFirst(2))
        }
        return out
    }
}
