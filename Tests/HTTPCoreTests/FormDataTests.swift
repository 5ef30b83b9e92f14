import HTTPCore
import Testing

@Suite("FormData")
struct FormDataTests {
    func form(_ text: String, limits: FormLimits = FormLimits()) throws(FormDecodingError) -> FormData {
        try FormData(urlEncoded: Array(text.utf8), limits: limits)
    }

    func pairs(_ text: String) throws -> [String] {
        try form(text).pairs.map { "\($0.name)=\($0.value)" }
    }

    @Test func publishedStyleExample() throws {
        let data = try form("a=1&b=%C3%A9+x")
        #expect(data["a"] == "1")
        #expect(data["b"] == "é x")
        #expect(data["c"] == nil)
    }

    @Test func whatwgSplittingRules() throws {
        #expect(try pairs("a=1&&b=2&") == ["a=1", "b=2"])
        #expect(try pairs("") == [])
        #expect(try pairs("&&&") == [])
        #expect(try pairs("flag") == ["flag="])
        #expect(try pairs("=v") == ["=v"])
        #expect(try pairs("a==b=c") == ["a==b=c"])      // first = splits: value "=b=c"
        #expect(try form("a==b=c")["a"] == "=b=c")
        #expect(try pairs("a+b=c+d") == ["a b=c d"])
        #expect(try pairs("a%2Bb=%26%3D") == ["a+b=&="])
        #expect(try pairs("%e2%82%ac=%E2%82%AC") == ["€=€"])
    }

    @Test func repeatedNamesKeepOrder() throws {
        let data = try form("x=1&y=2&x=3")
        #expect(data["x"] == "1")
        #expect(data.values("x") == ["1", "3"])
        #expect(data.values("z") == [])
    }

    @Test func portalFormFields() throws {
        let data = try form("csrf=abc-_123&usuario=ana.perez%40example.co&contrasena=Cl%C3%A1ve+1%21")
        #expect(data["usuario"] == "ana.perez@example.co")
        #expect(data["contrasena"] == "Cláve 1!")
        #expect(data["csrf"] == "abc-_123")
    }

    @Test(arguments: ["%", "a=%", "a=%4", "a=%G1", "a=%1G", "%%41", "a=100%"])
    func malformedEscapes(_ text: String) {
        #expect(throws: FormDecodingError.malformedEscape) { try form(text) }
        #expect(FormDecodingError.malformedEscape.status == .badRequest)
    }

    @Test(arguments: ["a=%FF", "a=%C3", "%C3%28=x", "a=%ED%A0%80", "a=%C0%AF"])
    func invalidUTF8(_ text: String) {
        #expect(throws: FormDecodingError.invalidUTF8) { try form(text) }
    }

    @Test func rawInvalidUTF8Bytes() {
        #expect(throws: FormDecodingError.invalidUTF8) { try FormData(urlEncoded: [0x61, 0x3D, 0xFF]) }
    }

    @Test func limits() throws {
        let limits = FormLimits(maxFields: 3, maxLength: 20)
        #expect(try form("a=1&b=2&c=3", limits: limits).pairs.count == 3)
        #expect(throws: FormDecodingError.tooManyFields) { try form("a=1&b=2&c=3&d=4", limits: limits) }
        #expect(try form(String(repeating: "x", count: 20), limits: limits).pairs.count == 1)
        #expect(throws: FormDecodingError.tooLong) { try form(String(repeating: "x", count: 21), limits: limits) }
        #expect(FormDecodingError.tooLong.status == .contentTooLarge)
    }

    @Test func emptyPairsDoNotCountAgainstTheFieldLimit() throws {
        #expect(try form("a=1&&&&b=2", limits: FormLimits(maxFields: 2)).pairs.count == 2)
    }
}
