import Foundation
import Mailer
import TestSupport

/// Shared builders for the tests that talk to the real SMTP peer.
enum MailFixtures {
    static let user = "tester"
    static let password = "s3cr3t:ñ"

    /// A peer offering STARTTLS with a fresh certificate and requiring AUTH.
    static func startTLSPeer(implicitTLS: Bool = false, sizeLimit: Int = 33_554_432) throws -> (SMTPPeer, TestCertificate, TemporaryDirectory) {
        let folder = try TemporaryDirectory(prefix: "clave-mail-cert")
        let certificate = try TestCertificate.make(in: folder)
        let peer = try SMTPPeer(SMTPPeer.Options(certificate: certificate, implicitTLS: implicitTLS,
                                                 credentials: (user, password), sizeLimit: sizeLimit))
        return (peer, certificate, folder)
    }

    /// `smtp://tester:...@host:port?ca=cert` for `peer`.
    static func url(for peer: SMTPPeer, certificate: TestCertificate?, host: String = "127.0.0.1",
                    scheme: String = "smtp", credentials: Bool = true) throws -> SMTPURL {
        let userPart = credentials
            ? "\(user):\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")@" : ""
        let query = certificate.map { "?ca=\($0.certificatePath)" } ?? ""
        return try SMTPURL(parsing: "\(scheme)://\(userPart)\(host):\(peer.port)\(query)")
    }

    static func mail(id: Int64 = 1, to: String = "ana@example.co", subject: String = "Restablecer contraseña",
                     text: String = "Hola Ana,\n.\n..dos puntos\nSu enlace: https://clave.test/r?t=abc",
                     html: String = "<p>Hola <b>Ana</b></p>") throws -> OutgoingMail {
        try OutgoingMail(id: id, from: MailAddress("no-responder@clave.test", displayName: "Clave Cajacopi"),
                         to: MailAddress(to, displayName: "Ana Muñoz"), subject: subject,
                         textBody: text, htmlBody: html)
    }

    static func transport(_ url: SMTPURL, dkim: DKIMConfiguration? = nil, ioTimeout: TimeInterval = 10) throws -> SMTPTransport {
        try SMTPTransport(client: SMTPClientConfiguration(url: url, ehloName: "clave.test", connectTimeout: 5, ioTimeout: ioTimeout),
                          composer: MessageComposer(configuration: MailConfiguration(messageIDDomain: "clave.test", dkim: dkim)))
    }
}
