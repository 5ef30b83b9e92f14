import Foundation
import Mailer

/// Messages per second delivered over SMTP to the server at the URL given (scripts/bench.d/mail.sh
/// starts a local aiosmtpd), through one reused connection and through a new connection per
/// message. Usage: bench-mail SMTP_URL [MESSAGES]
@main
struct BenchMail {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: bench-mail SMTP_URL [MESSAGES]\n".utf8))
            exit(2)
        }
        let url = try SMTPURL(parsing: arguments[1])
        let count = arguments.count > 2 ? Int(arguments[2]) ?? 500 : 500
        let transport = try SMTPTransport(
            client: SMTPClientConfiguration(url: url, ehloName: "bench.clave.test"),
            composer: MessageComposer(configuration: MailConfiguration(messageIDDomain: "clave.test")))
        let mails = try (0..<count).map { index in
            try OutgoingMail(id: Int64(index), from: MailAddress("no-responder@clave.test", displayName: "Clave SECOP II"),
                             to: MailAddress("usuario\(index)@example.co"), subject: "Restablecer contraseña",
                             textBody: String(repeating: "Use este enlace para cambiar su contraseña.\n", count: 20),
                             htmlBody: String(repeating: "<p>Use este enlace para cambiar su contraseña.</p>\n", count: 20))
        }
        _ = transport.send(Array(mails.prefix(5)))  // warm-up: TLS context, page cache

        var start = Date()
        let reused = transport.send(mails)
        let reusedSeconds = Date().timeIntervalSince(start)
        report("one reused connection", reused, seconds: reusedSeconds)

        start = Date()
        var separate: [DeliveryResult] = []
        for mail in mails { separate += transport.send([mail]) }
        report("new connection per message", separate, seconds: Date().timeIntervalSince(start))
    }

    static func report(_ label: String, _ results: [DeliveryResult], seconds: Double) {
        let delivered = results.filter { $0.outcome == .delivered }.count
        let rate = Double(delivered) / max(seconds, 1e-9)
        print(String(format: "mail: %@: %d/%d delivered in %.2f s = %.0f messages/s",
                     label as NSString, delivered, results.count, seconds, rate))
    }
}
