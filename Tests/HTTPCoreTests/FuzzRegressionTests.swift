import Foundation
import HTTPCore
import Testing
import TestSupport

/// Inputs found by fuzzing (kept as literals so they run on every `swift test`) and the seed
/// corpora of `Fuzz/*/corpus`, replayed through the same properties the fuzzers check.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func corpus(_ target: String) -> [[UInt8]] {
        let folder = PackagePaths.root.appendingPathComponent("Fuzz/\(target)/corpus")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }
            .map { [UInt8]($0) }
    }

    @Test func requestCorpusGivesTheSameEventsAtEverySplit() {
        let inputs = Self.corpus("HTTPRequest")
        #expect(inputs.count >= 12)
        for input in inputs {
            let whole = ParserHarness.events(input, keepContinue: false)
            #expect(!whole.isEmpty)
            for cuts in ParserHarness.splits(of: input.count) {
                #expect(ParserHarness.events(input, cuts: cuts, keepContinue: false) == whole)
            }
        }
    }

    @Test func formCorpusDecodesOrFailsCleanly() {
        let inputs = Self.corpus("Form")
        #expect(inputs.count >= 12)
        for input in inputs {
            if let form = try? FormData(urlEncoded: input) {
                let encoded = form.pairs.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
                    .joined(separator: "&")
                #expect((try? FormData(urlEncoded: Array(encoded.utf8))) == form)
            }
        }
    }

    @Test func cookieCorpusRoundTrips() throws {
        let inputs = Self.corpus("Cookie")
        #expect(inputs.count >= 12)
        for input in inputs {
            let jar = CookieJar(header: String(decoding: input, as: UTF8.self))
            for cookie in jar.cookies {
                let written = try SetCookie(name: cookie.name, value: cookie.value, path: nil, httpOnly: false, sameSite: nil).headerValue
                #expect(CookieJar(header: written)[cookie.name] == cookie.value)
            }
        }
    }
}
