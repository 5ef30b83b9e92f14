import Foundation
import Mailer

/// `clave mail test --to ADDRESS`: sends one message right away (not through the outbox)
/// along the configured path, so staff can check an SMTP URL, its TLS and credentials, or
/// the development mailbox, before real resets depend on it.
enum MailCommand: Command {
    static let name = "mail"
    static let summary = "Send a test email through the configured SMTP server or mailbox"
    static let usage = """
    Usage: clave mail test --to ADDRESS [--from ADDRESS] [MAIL OPTIONS]

      --to ADDRESS              who receives the test message
      --from ADDRESS            the sender (default "Clave <no-responder@localhost>"; CLAVE_MAIL_FROM)

    Mail options:
    \(MailCommandOptions.usage)
    """

    static func run(_ arguments: Arguments) throws -> Int32 {
        var arguments = arguments
        guard arguments.popPositional() == "test" else { throw CLIError("say 'clave mail test --to ADDRESS'") }
        guard let toText = arguments.option("to") else { throw CLIError("--to ADDRESS is required") }
        let fromText = arguments.option("from", environmentVariable: "CLAVE_MAIL_FROM") ?? "Clave <no-responder@localhost>"
        let options = try MailCommandOptions(&arguments)
        try arguments.finish()
        let mail: OutgoingMail
        do {
            mail = try OutgoingMail(
                from: MailAddress(mailbox: fromText), to: MailAddress(toText),
                subject: "Prueba de correo de Clave",
                textBody: "Este es un mensaje de prueba enviado con 'clave mail test'.\nSi lo recibió, el envío de correo está bien configurado.\n",
                htmlBody: "<p>Este es un mensaje de prueba enviado con <code>clave mail test</code>.</p><p>Si lo recibió, el envío de correo está bien configurado.</p>")
        } catch {
            throw CLIError("\(error)")
        }
        let database = try options.openDatabase()
        let transport = try options.makeTransport(database: database)
        switch transport.send([mail]).first?.outcome {
        case .delivered:
            print("sent to \(toText) through \(options.route.summary)")
            return 0
        case .temporary(let reason):
            throw CLIError("not sent (temporary failure, check the server and try again): \(reason)", status: 1)
        case .permanent(let reason):
            throw CLIError("not sent (refused): \(reason)", status: 1)
        case nil:
            throw CLIError("not sent: the transport returned no result", status: 1)
        }
    }
}
