import Foundation
import Testing
@testable import Mailer

@Suite("MIME encoding")
struct MIMEEncodingTests {
    @Test("quoted-printable matches known encodings (RFC 2045 §6.7)")
    func quotedPrintableKnown() {
        #expect(QuotedPrintable.encode("Hola señor = 1") == "Hola se=C3=B1or =3D 1")
        #expect(QuotedPrintable.encode("línea 1\nlínea 2") == "l=C3=ADnea 1\r\nl=C3=ADnea 2")
        #expect(QuotedPrintable.encode("a\r\nb") == "a\r\nb")
        // Rule 3: trailing space and tab are encoded, inner ones are not.
        #expect(QuotedPrintable.encode("fin \nx\t") == "fin=20\r\nx=09")
        // A leading dot is encoded so no relay's dot handling can touch it.
        #expect(QuotedPrintable.encode(".\n.a") == "=2E\r\n=2Ea")
        #expect(QuotedPrintable.encode("") == "")
    }

    @Test("quoted-printable lines stay within 76 characters and decode back")
    func quotedPrintableLongLines() throws {
        let text = String(repeating: "ñandú ", count: 40) + "\n" + String(repeating: "x", count: 300) + "\n" + String(repeating: "=", count: 100)
        let encoded = QuotedPrintable.encode(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
        }
        #expect(decodeQuotedPrintable(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("RFC 2047 encoded words match known encodings")
    func encodedWords() {
        #expect(EncodedWord.unstructured("Restablecer contraseña") == "=?UTF-8?B?UmVzdGFibGVjZXIgY29udHJhc2XDsWE=?=")
        #expect(EncodedWord.unstructured("Plain subject") == "Plain subject")
        // Text that looks like an encoded word must itself be encoded.
        #expect(EncodedWord.unstructured("=?x?=").hasPrefix("=?UTF-8?B?"))
        #expect(EncodedWord.phrase("Ana Muñoz") == "=?UTF-8?B?QW5hIE11w7Fveg==?=")
        #expect(EncodedWord.phrase("Mesa de ayuda") == "Mesa de ayuda")
        #expect(EncodedWord.phrase("Soporte, SOI") == "\"Soporte, SOI\"")
        #expect(EncodedWord.phrase("a\"b") == "\"a\\\"b\"")
    }

    @Test("long encoded subjects split into words of at most 75 characters on character boundaries")
    func encodedWordSplitting() throws {
        let subject = String(repeating: "contraseña ñ ", count: 20)
        let encoded = EncodedWord.unstructured(subject)
        var decoded = ""
        for word in encoded.components(separatedBy: "\r\n ") {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = String(word.dropFirst(10).dropLast(2))
            let data = try #require(Data(base64Encoded: payload))
            // Each word is valid UTF-8 by itself: no character split across words.
            decoded += try #require(String(data: data, encoding: .utf8))
        }
        #expect(decoded == subject)
    }

    @Test("addresses with CR, LF or brackets are refused", arguments: [
        "ana@example.co\r\nBcc: x@evil.co", "ana@example.co\n", "<ana@example.co>", "ana", "@example.co",
        "ana@", "a b@example.co", "ana@exam\rple.co", "ñ@example.co", "",
    ])
    func badAddresses(_ address: String) {
        #expect(throws: MailError.self) { try MailAddress(address) }
    }

    @Test("display names and subjects with line breaks are refused")
    func headerInjection() throws {
        #expect(throws: MailError.headerInjection(field: "display name")) {
            try MailAddress("ana@example.co", displayName: "Ana\r\nBcc: x@evil.co")
        }
        let from = try MailAddress("no-responder@clave.test")
        let to = try MailAddress("ana@example.co")
        #expect(throws: MailError.headerInjection(field: "Subject")) {
            try OutgoingMail(from: from, to: to, subject: "Hola\nBcc: x@evil.co", textBody: "", htmlBody: "")
        }
        #expect(try MailAddress("ana@example.co").domain == "example.co")
    }

    @Test("a rendered message has every header, both parts and CRLF-only lines of at most 998 octets")
    func renderedMessage() throws {
        let mail = try OutgoingMail(
            from: MailAddress("no-responder@clave.test", displayName: "Clave SOI"),
            to: MailAddress("ana@example.co", displayName: "Ana Muñoz"),
            subject: "Restablecer contraseña",
            textBody: "Hola Ana,\n.\nSu clave temporal es Xy7=", htmlBody: "<p>Hola Ana</p>\n" + String(repeating: "<b>x</b>", count: 400))
        let date = Date(timeIntervalSince1970: 1_795_322_400)  // Sun, 22 Nov 2026 04:40:00 UTC
        let message = MIMEMessage.render(mail, date: date, messageID: "<abc@clave.test>", boundary: "=_b1")
        let text = String(decoding: message.bytes, as: UTF8.self)
        #expect(text.hasPrefix("""
        From: Clave SOI <no-responder@clave.test>\r
        To: =?UTF-8?B?QW5hIE11w7Fveg==?= <ana@example.co>\r
        Subject: =?UTF-8?B?UmVzdGFibGVjZXIgY29udHJhc2XDsWE=?=\r
        Date: Sun, 22 Nov 2026 04:40:00 +0000\r
        Message-ID: <abc@clave.test>\r
        MIME-Version: 1.0\r
        Auto-Submitted: auto-generated\r
        Content-Type: multipart/alternative; boundary="=_b1"\r
        \r

        """))
        #expect(text.contains("--=_b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHola Ana,\r\n=2E\r\nSu clave temporal es Xy7=3D\r\n"))
        #expect(text.contains("--=_b1\r\nContent-Type: text/html; charset=UTF-8\r\n"))
        #expect(text.hasSuffix("--=_b1--\r\n"))
        let bytes = message.bytes
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(index > 0 && bytes[index - 1] == 0x0D)
        }
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 998)
        }
    }

    @Test("made messages get a fresh Message-ID in our domain")
    func messageIDs() throws {
        let mail = try OutgoingMail(from: MailAddress("a@clave.test"), to: MailAddress("b@example.co"),
                                    subject: "x", textBody: "x", htmlBody: "x")
        let first = try MIMEMessage.make(mail, messageIDDomain: "clave.test", date: Date())
        let second = try MIMEMessage.make(mail, messageIDDomain: "clave.test", date: Date())
        let firstID = try #require(first.headers.first { $0.name == "Message-ID" }?.value)
        let secondID = try #require(second.headers.first { $0.name == "Message-ID" }?.value)
        #expect(firstID != secondID)
        #expect(firstID.hasPrefix("<") && firstID.hasSuffix("@clave.test>"))
    }

    @Test("dot-stuffing doubles leading dots and terminates with CRLF.CRLF (RFC 5321 §4.5.2)")
    func dotStuffing() {
        let stuffed = SMTPClient.dotStuffed(Array(".a\r\nb\r\n..c\r\n.".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..a\r\nb\r\n...c\r\n..\r\n.\r\n")
        #expect(String(decoding: SMTPClient.dotStuffed(Array("x\r\n".utf8)), as: UTF8.self) == "x\r\n.\r\n")
        #expect(String(decoding: SMTPClient.dotStuffed(Array("x\ny".utf8)), as: UTF8.self) == "x\r\ny\r\n.\r\n")
    }
}

/// A plain decoder, written from RFC 2045 §6.7, to check the encoder round-trips.
func decodeQuotedPrintable(_ text: String) -> String {
    var out: [UInt8] = []
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
        if bytes[index] == 0x3D {
            if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                index += 3
                continue
            }
            if index + 2 < bytes.count, let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 3
                continue
            }
        }
        out.append(bytes[index])
        index += 1
    }
    return String(decoding: out, as: UTF8.self)
}
