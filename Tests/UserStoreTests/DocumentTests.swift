import Testing
import TestSupport
@testable import UserStore

@Suite struct DocumentTests {
    @Test(arguments: [
        ("CC:1234567890", "CC:1234567890"), ("cc:1.234.567", "CC:1234567"), (" TI : 1002003004 ", "TI:1002003004"),
        ("NIT:900123456-8", "NIT:900123456"), ("NIT:899999068-1", "NIT:899999068"), ("NIT:900123456", "NIT:900123456"),
        ("PA:ab123456", "PA:AB123456"), ("CE:123456", "CE:123456"), ("PPT:1234567", "PPT:1234567"),
    ])
    func validDocumentsParseAndNormalize(_ input: String, _ expected: String) throws {
        #expect(try Document(parsing: input).description == expected)
    }

    @Test(arguments: [
        ("1234567", DocumentError.missingSeparator("1234567")),
        ("XX:123456", .unknownType("XX")),
        ("CC:12a456", .invalidNumber(.cc, "only digits")),
        ("CC:12", .invalidNumber(.cc, "expected 3 to 15 characters")),
        ("CC:", .invalidNumber(.cc, "expected 3 to 15 characters")),
        ("NIT:900123456-7", .wrongCheckDigit(expected: 8)),
        ("NIT:900123456-", .invalidNumber(.nit, "the check digit after '-' must be one digit")),
        ("PA:AB-123", .invalidNumber(.pa, "only letters and digits")),
        ("CC:１２３４５", .invalidNumber(.cc, "only digits")),
    ])
    func invalidDocumentsAreRefusedWithAReason(_ input: String, _ error: DocumentError) {
        #expect(throws: error) { try Document(parsing: input) }
    }

    @Test func nitDisplayCarriesItsCheckDigit() throws {
        #expect(try Document(parsing: "NIT:860034313").displayText == "NIT 860034313-7")
        #expect(DocumentType.cc.fullName == "Cédula de ciudadanía")
        #expect(DocumentType.allCases.count == 10)
    }

    @Test func emailsAndDates() {
        #expect(EmailAddress(" Ana.Perez@Example.COM ")?.value == "Ana.Perez@example.com")
        for bad in ["", "ana", "ana@", "@x.co", "ana@localhost", "a b@x.co", "ana@x..co", ".ana@x.co", "ana@-x.co",
                    "ana@x.co\r\nBcc: e@x.co", "ana@x.co>"] {
            #expect(EmailAddress(bad) == nil, "\(bad)")
        }
        #expect(CalendarDate("1990-02-28")?.description == "1990-02-28")
        #expect(CalendarDate("2000-02-29") != nil)
        for bad in ["1990-02-29", "1990-13-01", "1990-1-01", "90-01-01", "1990/01/01", "1850-01-01", "1990-04-31"] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct DocumentParsingRobustnessTests {
    @Test func everySplitPointOfADocumentParsesOrFailsTyped() throws {
        let text = Array("NIT:900.123.456-8")
        for split in 0...text.count {
            let prefix = String(text[..<split])
            do {
                let document = try Document(parsing: prefix)
                // Only whole numbers of 3+ digits (with or without a complete check digit) parse.
                #expect(document.type == .nit)
                #expect(document.number.count >= 3)
                #expect(Document.nitCheckDigit("900123456") == 8)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(try Document(parsing: "NIT:900.123.456-8").number == "900123456")
    }

    @Test func randomInputNeverCrashesAndParsedNumbersAreClean() {
        var random = SeededRandom(seed: 0xD0C)
        func next() -> UInt64 { random.next() }
        let alphabet = Array("CNITPAEceit:-. 0123456789Xñ\u{FF11}")
        for _ in 0..<5_000 {
            let length = Int(next() % 20)
            let candidate = String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
            if let document = try? Document(parsing: candidate) {
                #expect(Document.numberLengths.contains(document.number.count))
                #expect(document.number.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) })
                #expect((try? Document(parsing: document.description)) == document, "round trip of \(candidate)")
            }
        }
    }
}
