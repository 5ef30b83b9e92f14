import Testing
import TestSupport

/// The reset links of the whole app's demo accounts, asked for as a person would (the request
/// form) and read from the development mailbox, for tests that use them somewhere else.
extension AppHarness {
    /// "Olvidé la contraseña" for the SECOP II demo user; the token of the link it emails.
    func secopResetToken(username: String = Demo.secopUser, email: String = Demo.secopEmail) throws -> String {
        let before = try mails(to: email).first?.id ?? 0
        let sent = try browser().fillAndSubmit("/secop/olvide-contrasena", ["usuario": username])
        #expect(sent.status == 200)
        return try Self.token(in: try waitForMail(to: email, newerThan: before), path: "/secop/cambiar-contrasena")
    }

    /// "Restablecer Contraseña" (captcha answered) for the Cajacopi demo user; the link's token.
    func cajacopiResetToken(email: String = Demo.cajacopiEmail) throws -> String {
        let before = try mails(to: email).first?.id ?? 0
        let sent = try browser().requestCajacopiReset(email: email)
        #expect(sent.status == 200)
        return try Self.token(in: try waitForMail(to: email, newerThan: before), path: "/cajacopi/nueva-contrasena")
    }

    /// The `token` of the first link to `path` in `mail`.
    static func token(in mail: Mail, path: String) throws -> String {
        let link = try #require(mail.linkPath(startingWith: path + "?token="))
        return String(link.dropFirst((path + "?token=").count))
    }
}
