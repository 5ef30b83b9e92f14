import ClaveCrypto
import Foundation

/// What DKIM signing needs: the signing domain (`d=`), the selector (`s=`) under which the
/// public key is published at `selector._domainkey.domain`, and the private key.
public struct DKIMConfiguration: Sendable {
    /// The signing domain, `d=`: the domain receivers credit (aligned with From for DMARC).
    public var domain: String
    /// The selector, `s=`: the key is published at `selector._domainkey.domain`.
    public var selector: String
    /// The private key that signs.
    public var signer: RSASigner
    /// Header fields signed, in order, each oversigned: listed in `h=` once more than the
    /// message holds it, so none can be added after signing (RFC 6376 §8.15,
    /// `DKIMHeaderSelection`). RFC 6376 §5.4.1: From is required; the others are the ones
    /// whose change or addition would alter what the reader sees or how the message is handled.
    public var signedHeaders: [String]

    /// The fields signed unless told otherwise. Reply-To and Cc are absent from our mail and
    /// signed as null fields, so an added one (answers sent elsewhere, a copy to a stranger)
    /// breaks the signature; the MIME fields decide how the body is read.
    public static let defaultSignedHeaders = [
        "From", "To", "Subject", "Date", "Message-ID", "Reply-To", "Cc",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted",
    ]

    /// Checks that domain and selector are DNS names and that From is signed.
    public init(domain: String, selector: String, signer: RSASigner,
                signedHeaders: [String] = DKIMConfiguration.defaultSignedHeaders) throws(MailError) {
        let allowed = { (text: String) in
            !text.isEmpty && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x2E || byte == 0x5F
            }
        }
        guard allowed(domain), allowed(selector) else {
            throw .invalidConfiguration("DKIM domain and selector must be DNS labels")
        }
        guard signedHeaders.contains(where: { $0.lowercased() == "from" }) else {
            throw .invalidConfiguration("DKIM must sign From (RFC 6376 §5.4)")
        }
        self.domain = domain
        self.selector = selector
        self.signer = signer
        self.signedHeaders = signedHeaders
    }

    /// Loads the PEM key at `keyPath`.
    public init(domain: String, selector: String, keyPath: String) throws {
        let pem = try String(contentsOfFile: keyPath, encoding: .utf8)
        try self.init(domain: domain, selector: selector, signer: RSASigner(pem: pem))
    }
}

/// Adds a `DKIM-Signature` (RFC 6376, `a=rsa-sha256`, `c=relaxed/relaxed`) to a message, so
/// receivers can tie it to our domain and stop sending it to spam.
public struct DKIMSigner: Sendable {
    /// Domain, selector, key and signed fields.
    public let configuration: DKIMConfiguration

    /// A signer for `configuration`.
    public init(configuration: DKIMConfiguration) {
        self.configuration = configuration
    }

    /// `message` with its DKIM-Signature header first (RFC 6376 §5.6).
    public func sign(_ message: MIMEMessage, at date: Date) throws -> MIMEMessage {
        let bodyHash = SHA256.hash(DKIMCanonicalization.relaxedBody(Array(message.body.utf8)))
        let selection = DKIMHeaderSelection(oversigning: configuration.signedHeaders, in: message.headers)
        let timestamp = Int(date.timeIntervalSince1970)
        let timeAndNames = "\tt=\(timestamp); h="
        let unsigned = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=\(configuration.domain); s=\(configuration.selector);\r\n"
            + timeAndNames + Self.foldedNames(selection.names, startingAt: timeAndNames.count) + ";\r\n"
            + "\tbh=\(Data(bodyHash).base64EncodedString());\r\n"
            + "\tb="
        // RFC 6376 §3.7: the signature field itself is hashed last, with an empty b= and
        // without its trailing CRLF.
        var canonicalSignature = DKIMCanonicalization.relaxedHeader(name: "DKIM-Signature", value: unsigned)
        canonicalSignature.removeLast()  // "\r\n" is one Character in Swift
        let signature = try configuration.signer.sign(Array((selection.canonicalHeaders + canonicalSignature).utf8))
        let encoded = Data(signature).base64EncodedString()
        var folded = ""
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 72, limitedBy: encoded.endIndex) ?? encoded.endIndex
            if !folded.isEmpty { folded += "\r\n\t " }
            folded += encoded[index..<end]
            index = end
        }
        return message.prepending(name: "DKIM-Signature", value: unsigned + folded)
    }

    /// The `h=` names joined by ":", folded before a ":" that would take a line past 76
    /// characters (the ";" after it keeps it within RFC 5322 §2.1.1's 78). RFC 6376 §3.5 allows
    /// FWS around each ":", and relaxed canonicalization unfolds it for signer and verifier alike.
    static func foldedNames(_ names: [String], startingAt column: Int) -> String {
        var out = ""
        var column = column
        for (index, name) in names.enumerated() {
            let piece = index == 0 ? name : ":" + name
            if index > 0 && column + piece.count > 76 {
                out += "\r\n\t"
                column = 1
            }
            out += piece
            column += piece.count
        }
        return out
    }
}
