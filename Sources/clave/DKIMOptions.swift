import ClaveCrypto
import Foundation
import Mailer

/// The DKIM options as given (`--dkim-domain`, `--dkim-selector`, `--dkim-key`), before the
/// key file is read: `clave serve` loads them at start, `clave check` loads them as its own
/// check and prints the DNS record to publish.
struct DKIMOptions: Equatable {
    var domain: String
    var selector: String
    var keyPath: String

    /// The signing configuration, or a one-line `CLIError` (exit status 2) naming the fault:
    /// an unreadable file, a file that is not a PEM RSA key, a key under 1024 bits.
    func load() throws -> DKIMConfiguration {
        do {
            return try DKIMConfiguration(domain: domain, selector: selector, keyPath: keyPath)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
            throw CLIError("DKIM: --dkim-key \(keyPath) does not exist")
        } catch let error as CocoaError {
            throw CLIError("DKIM: cannot read --dkim-key \(keyPath) (\(error.localizedDescription))")
        } catch CryptoError.malformed(let reason) {
            throw CLIError("DKIM: --dkim-key \(keyPath) is not usable: \(reason); give a PEM RSA private key of 2048 bits")
        } catch {
            throw CLIError("DKIM: \(error)")
        }
    }

    /// The TXT record that publishes `configuration`'s public key (RFC 6376 §3.6.1), as a zone
    /// file line: `SELECTOR._domainkey.DOMAIN TXT "v=DKIM1; k=rsa; p=BASE64"`.
    static func dnsRecord(_ configuration: DKIMConfiguration) throws -> String {
        let publicKey = Data(try configuration.signer.publicKeyDER()).base64EncodedString()
        return "\(configuration.selector)._domainkey.\(configuration.domain) TXT \"v=DKIM1; k=rsa; p=\(publicKey)\""
    }
}
