import Testing
import TestSupport

/// The Cajacopi captcha steps every request test takes, in one place: open "Olvidé mi
/// contraseña", read the captcha id from its form, read the answer from the development route
/// (`/_dev/captcha/{id}`, development mode and loopback clients only) and submit.
extension WebClient {
    /// The request page (expected to be a 200) and the id of the captcha its form shows.
    func cajacopiRequestForm() throws -> (page: WebResponse, captchaID: String) {
        let form = try get("/cajacopi/restablecer")
        #expect(form.status == 200)
        return (form, try #require(form.field("captcha_id")))
    }

    /// The answer to captcha `id`, from the development route.
    /// The route answers only a `Host` that names this machine (no DNS rebinding), so the
    /// question is asked under one whatever the browser's own `Host`.
    func cajacopiCaptchaAnswer(_ id: String) throws -> String {
        let own = host
        host = "127.0.0.1"
        defer { host = own }
        return try get("/_dev/captcha/\(id)").text
    }

    /// The digits the audio of captcha `id` speaks, from the development route.
    func cajacopiCaptchaAudioAnswer(_ id: String) throws -> String {
        let own = host
        host = "127.0.0.1"
        defer { host = own }
        return try get("/_dev/captcha/\(id)?tipo=audio").text
    }

    /// The request page with its captcha id and the answer to it.
    func answeredCajacopiCaptcha() throws -> (page: WebResponse, captchaID: String, answer: String) {
        let (form, captchaID) = try cajacopiRequestForm()
        return (form, captchaID, try cajacopiCaptchaAnswer(captchaID))
    }

    /// "Enviar Solicitud" for `email` with the captcha answered, as a person would fill it in.
    func requestCajacopiReset(email: String) throws -> WebResponse {
        let (form, captchaID, answer) = try answeredCajacopiCaptcha()
        return try post("/cajacopi/restablecer", [
            ("csrf", try #require(form.field("csrf"))), ("captcha_id", captchaID), ("correo", email), ("captcha", answer),
        ])
    }
}
