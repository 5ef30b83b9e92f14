import Foundation
import Testing
import TestSupport
@testable import RecoveryFlows

/// What a person meets when a form fails or a page is refused: GOV.UK's error summary, titles
/// that say the page's state, the real wait of a rate limit, and a broken emailed link named
/// as such. Through the whole app, in process.
@Suite("Accessible pages: error summary, titles, waits, broken links")
struct AccessiblePagesTests {
    static func title(_ page: WebResponse) -> String {
        guard let start = page.text.range(of: "<title>"), let end = page.text.range(of: "</title>") else { return "" }
        return String(page.text[start.upperBound..<end.lowerBound])
    }

    @Test("a failed SOI form: «Hay un problema» with a link per field in form order, focus there, «Error: » title, fields wired")
    func soiErrorSummary() throws {
        let harness = try AppHarness()
        let page = try harness.browser().fillAndSubmit("/soi/olvido-clave", [
            "aportante_tipo": "NIT", "aportante_numero": "", "usuario_tipo": "CC", "usuario_numero": "", "correo": "no-es-correo"])
        #expect(page.status == 422)
        #expect(Self.title(page) == "Error: ¿Olvidó su clave? · SOI")
        let summary = try #require(page.text.components(separatedBy: "<div class=\"error-summary\"").dropFirst().first?
            .components(separatedBy: "</div>").first)
        #expect(summary.contains("tabindex=\"-1\" autofocus"), "focus moves to the summary")
        #expect(summary.contains("<h2 id=\"resumen-errores-titulo\">Hay un problema</h2>"))
        let links = summary.components(separatedBy: "<a href=\"#").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(links == ["aportante_numero", "usuario_numero", "correo"])
        for field in links {
            #expect(page.text.contains("id=\"\(field)\""))
            #expect(page.text.contains("aria-invalid=\"true\" aria-describedby=\"\(field)-error\""))
            #expect(page.text.contains("<p class=\"field-error\" id=\"\(field)-error\">"))
        }
        // The summary comes before the page's heading: on a phone the first screen shows it.
        let summaryAt = try #require(page.text.range(of: "Hay un problema")).lowerBound
        #expect(summaryAt < (try #require(page.text.range(of: "<h1>"))).lowerBound)
    }

    @Test("a page without errors has no summary, no «Error: » and no aria-invalid")
    func noErrorsNoSummary() throws {
        let harness = try AppHarness()
        for path in ["/soi/olvido-clave", "/secop/olvide-contrasena", "/cajacopi/restablecer", "/secop/ingreso"] {
            let page = try harness.browser().get(path)
            #expect(page.status == 200)
            #expect(!page.text.contains("error-summary"), "\(path)")
            #expect(!Self.title(page).hasPrefix("Error: "), "\(path)")
            #expect(!page.text.contains("aria-invalid"), "\(path)")
        }
    }

    @Test("SECOP's forms: the summary links to the field, the hint lists every rule the change enforces")
    func secopSummaryAndHint() throws {
        let harness = try AppHarness()
        let refused = try harness.browser().fillAndSubmit("/secop/olvide-contrasena", ["usuario": ""])
        #expect(refused.status == 422)
        #expect(Self.title(refused) == "Error: Recuperar contraseña · SECOP II")
        #expect(refused.text.contains("<a href=\"#usuario\">Escriba su nombre de usuario del SECOP II.</a>"))
        #expect(refused.text.contains("aria-invalid=\"true\" aria-describedby=\"usuario-error\""))
        #expect(refused.text.components(separatedBy: "autofocus").count == 2, "only the summary takes focus")
        let sent = try harness.browser().fillAndSubmit("/secop/olvide-contrasena", ["usuario": "nadie.aqui"])
        #expect(Self.title(sent) == "Correo enviado: recuperar contraseña · SECOP II")
        let form = try harness.browser().get("/secop/cambiar-contrasena?token=\(try harness.secopResetToken())")
        #expect(form.text.contains("el nombre de su correo (lo que va antes de la @)"), "the email-name rule is said before trying")
        #expect(form.text.contains("aria-describedby=\"contrasena_nueva-pista\""))
    }

    @Test("the 429 page says how long to wait, from the limit's window")
    func waitText() throws {
        #expect(WaitDuration.spanish(0.2) == "1 minuto")
        #expect(WaitDuration.spanish(61) == "2 minutos")
        #expect(WaitDuration.spanish(15 * 60) == "15 minutos")
        #expect(WaitDuration.spanish(3 * 3600 - 10) == "3 horas")
        #expect(RateLimited(retryAfter: 840.5).message == "Ha realizado demasiados intentos. Por seguridad, espere 15 minutos antes de intentar de nuevo.")
        let harness = try AppHarness {
            $0.rateLimits.routes[SECOPPortal.RecoveryLimit.forgotPassword] =
                RouteLimits(perAddress: RateLimitRule(1, per: 15 * 60), perIdentifier: RateLimitRule(5, per: 3600))
        }
        let browser = harness.browser()
        _ = try browser.fillAndSubmit("/secop/olvide-contrasena", ["usuario": "alguien"])
        let limited = try browser.fillAndSubmit("/secop/olvide-contrasena", ["usuario": "otro"])
        #expect(limited.status == 429)
        let seconds = try #require(limited.header("Retry-After").flatMap(Int.init))
        #expect(limited.text.contains("espere \(WaitDuration.spanish(TimeInterval(seconds))) antes de intentar de nuevo"))
        #expect(Self.title(limited) == "Demasiados intentos · SECOP II")
    }

    @Test("a link cut short or with junk after it, on SECOP and Cajacopi, is the portal's invalid-link page with a way to a new email")
    func brokenLinkPaths() throws {
        let harness = try AppHarness()
        for (path, portal, request) in [("/secop/cambiar-contra", "SECOP II", "/secop/olvide-contrasena"),
                                        ("/secop/cambiar-contrasena/", "SECOP II", "/secop/olvide-contrasena"),
                                        ("/cajacopi/nueva-contras", "Cajacopi", "/cajacopi/restablecer"),
                                        ("/cajacopi/nueva-contrasena%3Ftoken=abc", "Cajacopi", "/cajacopi/restablecer")] {
            let page = try harness.browser().get(path)
            #expect(page.status == 404)
            #expect(Self.title(page) == "Enlace no válido · \(portal)", "\(path)")
            #expect(page.text.contains("El enlace está incompleto o no es válido."), "\(path)")
            #expect(page.text.contains("Solicitar un nuevo correo"), "\(path)")
            #expect(page.text.contains(request.replacingOccurrences(of: "/", with: "&#x2F;")), "\(path)")
        }
        // Another unknown page of a portal is still «Página no encontrada», with the same way out.
        let other = try harness.browser().get("/secop/nada")
        #expect(Self.title(other) == "Página no encontrada · SECOP II")
        #expect(other.text.contains("Solicitar un nuevo correo"))
    }

    @Test("every page state has its own title")
    func titles() throws {
        let harness = try AppHarness()
        var seen: [String: String] = [:]
        func record(_ state: String, _ page: WebResponse) {
            let title = Self.title(page)
            #expect(!seen.values.contains(title), "\(state) shares its title «\(title)»")
            seen[state] = title
        }
        record("secop form", try harness.browser().get("/secop/olvide-contrasena"))
        record("secop error", try harness.browser().fillAndSubmit("/secop/olvide-contrasena", ["usuario": ""]))
        record("secop sent", try harness.browser().fillAndSubmit("/secop/olvide-contrasena", ["usuario": "x"]))
        record("secop user form", try harness.browser().get("/secop/olvide-usuario"))
        record("secop user sent", try harness.browser().fillAndSubmit("/secop/olvide-usuario", ["correo": "x@example.com"]))
        record("secop unknown link", try harness.browser().get("/secop/cambiar-contrasena?token=abc"))
        record("cajacopi form", try harness.browser().get("/cajacopi/restablecer"))
        record("cajacopi unknown link", try harness.browser().get("/cajacopi/nueva-contrasena?token=abc"))
        record("soi form", try harness.browser().get("/soi/olvido-clave"))
        record("soi error", try harness.browser().fillAndSubmit("/soi/olvido-clave", [
            "aportante_tipo": "NIT", "aportante_numero": "", "usuario_tipo": "CC", "usuario_numero": "", "correo": ""]))
        record("soi sent", try harness.browser().fillAndSubmit("/soi/olvido-clave", [
            "aportante_tipo": "NIT", "aportante_numero": "900123456-8", "usuario_tipo": "CC", "usuario_numero": "1234567",
            "correo": "nadie@example.com"]))
        record("soi login", try harness.browser().get("/soi/ingreso"))
    }
}
