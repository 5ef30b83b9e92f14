import Foundation
import RecoveryFlows
import Testing
import TestSupport

/// `clave serve --mail-domain`: every portal's mail comes from its usual mailbox on the
/// operator's domain (the SMTP account's and DKIM key's), and by default from reserved
/// `.example` domains, never from a real domain the operator does not own.
@Suite("Sender addresses over HTTP")
struct MailDomainTests {
    typealias Demo = AppHarness.Demo

    @Test func eachPortalSendsFromItsMailboxOnTheConfiguredDomain() throws {
        let harness = try AppHarness() { $0.senders = EmailSenders(domain: "correo.example.co") }
        let browser = harness.browser()

        #expect(try browser.fillAndSubmit("/soi/olvido-clave", SOIRecoveryRoutesTests.forgotFields()).status == 200)
        #expect(try harness.waitForMail(to: Demo.soiEmail).from == "SOI Aportes en Línea <soporte@correo.example.co>")

        #expect(try browser.fillAndSubmit("/secop/olvide-contrasena", ["usuario": Demo.secopUser]).status == 200)
        #expect(try harness.waitForMail(to: Demo.secopEmail).from == "SECOP II <registro@correo.example.co>")

        #expect(try browser.requestCajacopiReset(email: Demo.cajacopiEmail).status == 200)
        #expect(try harness.waitForMail(to: Demo.cajacopiEmail).from == "Cajacopi EPS <notificaciones@correo.example.co>")
    }

    @Test func withoutADomainTheSendersAreOnReservedExampleDomains() throws {
        let harness = try AppHarness()
        #expect(try harness.browser().requestCajacopiReset(email: Demo.cajacopiEmail).status == 200)
        #expect(try harness.waitForMail(to: Demo.cajacopiEmail).from == "Cajacopi EPS <notificaciones@cajacopi.example>")
    }
}
