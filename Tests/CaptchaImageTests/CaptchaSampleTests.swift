import Foundation
import Testing
import TestSupport
@testable import CaptchaImage

@Suite("Captcha samples")
struct CaptchaSampleTests {
    /// Writes a few captchas where a person can look at them, when CLAVE_CAPTCHA_SAMPLES
    /// names a folder (`CLAVE_CAPTCHA_SAMPLES=/tmp/captchas swift test --filter Captcha`).
    @Test("writes sample PNGs for a person to look at",
          .enabled(if: ProcessInfo.processInfo.environment["CLAVE_CAPTCHA_SAMPLES"] != nil))
    func samples() throws {
        let folder = try #require(ProcessInfo.processInfo.environment["CLAVE_CAPTCHA_SAMPLES"])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var random = SeededRandom(seed: UInt64(Date().timeIntervalSince1970))
        let renderer = CaptchaRenderer()
        var answers: [String] = []
        for index in 0..<6 {
            let text = index == 0 ? "AEFHJLMN" : index == 1 ? "RTYadehm" : index == 2 ? "nrt34679" : CaptchaRenderer.randomText(using: &random)
            let png = try renderer.render(text: text, random: &random)
            try Data(png).write(to: URL(fileURLWithPath: folder).appendingPathComponent("captcha-\(index).png"))
            answers.append(text)
        }
        print("captcha samples in \(folder): \(answers.joined(separator: " "))")
    }
}
