import Testing
@testable import Mailer

@Suite("SMTP URL")
struct SMTPURLTests {
    @Test("the three forms and their default ports")
    func forms() throws {
        let submission = try SMTPURL(parsing: "smtp://ana%40clave.test:p%3Ass@mail.example.co:587")
        #expect(submission == SMTPURL(host: "mail.example.co", port: 587, security: .startTLS,
                                      username: "ana@clave.test", password: "p:ss"))
        #expect(try SMTPURL(parsing: "smtp://mail.example.co").port == 587)
        let implicit = try SMTPURL(parsing: "smtps://u:p@mail.example.co?ca=/tmp/ca.pem")
        #expect(implicit.security == .implicitTLS && implicit.port == 465 && implicit.caFile == "/tmp/ca.pem")
        #expect(try SMTPURL(parsing: "smtp+plain://127.0.0.1:25").security == .none)
        #expect(try SMTPURL(parsing: "smtp://127.0.0.1:2525?tls=none").security == .none)
        #expect(try SMTPURL(parsing: "smtp://[::1]:2525").host == "::1")
    }

    @Test("the password never shows in the description")
    func masked() throws {
        let url = try SMTPURL(parsing: "smtp://ana:secreto@mail.example.co:587")
        #expect(url.description == "smtp://ana:***@mail.example.co:587")
        #expect(!url.description.contains("secreto"))
    }

    @Test("bad URLs are refused with a reason", arguments: [
        "http://mail.example.co", "smtp://", "smtp+plain://u:p@mail.example.co", "smtp://u:p@h?tls=none",
        "smtp://h?foo=1", "smtp://u@h", "smtps://h?tls=none", "smtp://h/path", "mail.example.co", "smtp://h:0",
        "smtp+plain://h?ca=/x",
    ])
    func bad(_ text: String) {
        #expect(throws: SMTPURL.ParseError.self) { try SMTPURL(parsing: text) }
    }
}
