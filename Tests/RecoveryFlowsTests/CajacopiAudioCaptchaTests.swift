import CaptchaAudio
import Foundation
import Testing
import TestSupport
@testable import RecoveryFlows

/// The audio alternative of the Cajacopi captcha (WCAG 2.1 SC 1.1.1): the same captcha as the
/// image, spoken as digits, through the app's routes.
@Suite("Cajacopi audio captcha")
struct CajacopiAudioCaptchaTests {
    @Test("the request page offers «Escuchar»: an audio element whose source is the captcha's WAV")
    func pageOffersAudio() throws {
        let harness = try CajacopiHarness()
        let (page, id) = try harness.browser().cajacopiRequestForm()
        #expect(page.text.contains("<audio id=\"captcha-audio\" controls preload=\"none\" src=\"&#x2F;cajacopi&#x2F;captcha&#x2F;\(id).wav\""))
        #expect(page.text.contains("Escuchar"))
    }

    @Test("the WAV is RIFF/PCM, speaks six digits at the clips' rate, and is as composed, the same every time")
    func wavAsComposed() throws {
        let harness = try CajacopiHarness()
        let browser = harness.browser()
        let (_, id) = try browser.cajacopiRequestForm()
        let response = try browser.get("/cajacopi/captcha/\(id).wav")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "audio/wav")
        #expect(response.header("Cache-Control") == "no-store")
        let audio = try WAVFormat.decode(response.body)
        #expect(audio.sampleRate == harness.context.spokenDigits.sampleRate)
        #expect(audio.duration > 3 && audio.duration < 15, "\(audio.duration) s")
        let cookie = try #require(browser.cookies[FormCookie.name])
        let composed = try #require(try harness.flow.captcha.audio(id: id, browser: cookie, now: harness.clock.now()))
        #expect(composed.audio == audio)
        #expect(composed.segments.count == 6)
        let digits = String(composed.segments.map(\.character))
        #expect(digits == (try browser.cajacopiCaptchaAudioAnswer(id)))
        for segment in composed.segments {
            let clip = harness.context.spokenDigits.clips[segment.character.wholeNumberValue!]
            #expect(segment.count == clip.samples.count)
            #expect(segment.start + segment.count <= audio.samples.count)
        }
        #expect(try browser.get("/cajacopi/captcha/\(id).wav").body == response.body, "nothing new to average")
    }

    @Test("the audio's digits answer the captcha once; then neither its audio nor its image is served")
    func audioAnswerWorksOnce() throws {
        let harness = try CajacopiHarness()
        try harness.addUser(email: "oye@example.com")
        let browser = harness.browser()
        let (form, id) = try browser.cajacopiRequestForm()
        let digits = try browser.cajacopiCaptchaAudioAnswer(id)
        #expect(digits.count == 6 && digits.allSatisfy(\.isNumber))
        let fields = [("csrf", try #require(form.field("csrf"))), ("captcha_id", id), ("correo", "oye@example.com"),
                      ("captcha", digits)]
        let accepted = try browser.post("/cajacopi/restablecer", fields)
        #expect(accepted.status == 200)
        #expect(accepted.text.contains("Solicitud enviada"))
        #expect(try harness.mail(to: "oye@example.com").count == 1)
        let again = try browser.post("/cajacopi/restablecer", fields)
        #expect(again.status == 422)
        #expect(again.text.contains("El captcha ya fue usado o no es válido"))
        #expect(try browser.get("/cajacopi/captcha/\(id).wav").status == 404)
        #expect(try browser.get("/cajacopi/captcha/\(id).png").status == 404)
        #expect(try harness.mail(to: "oye@example.com").count == 1)
    }

    @Test("another browser, an expired captcha or junk get a 404 for the audio")
    func audioRefused() throws {
        let harness = try CajacopiHarness()
        let (_, id) = try harness.browser().cajacopiRequestForm()
        #expect(try harness.browser().get("/cajacopi/captcha/\(id).wav").status == 404)
        #expect(try harness.browser().get("/cajacopi/captcha/nada.wav").status == 404)
        let owner = harness.browser()
        let (_, mine) = try owner.cajacopiRequestForm()
        harness.clock.advance(by: 6 * 60)
        #expect(try owner.get("/cajacopi/captcha/\(mine).wav").status == 404)
    }

    @Test("a wrong audio answer burns the captcha like a wrong image answer")
    func wrongAudioAnswer() throws {
        let harness = try CajacopiHarness()
        let browser = harness.browser()
        let (form, id) = try browser.cajacopiRequestForm()
        let digits = try browser.cajacopiCaptchaAudioAnswer(id)
        let wrong = String(digits.reversed()) == digits ? "000000" : String(digits.reversed())
        let refused = try browser.post("/cajacopi/restablecer", [
            ("csrf", try #require(form.field("csrf"))), ("captcha_id", id), ("correo", "x@example.com"), ("captcha", wrong)])
        #expect(refused.status == 422)
        #expect(try browser.get("/cajacopi/captcha/\(id).wav").status == 404)
    }
}
