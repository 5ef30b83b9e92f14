import HTTPCore

/// What must hold for any input to the cookie parser and writer (checked with `precondition`,
/// so a violation is a crash libFuzzer keeps):
/// - `CookieJar` keeps at most its limit, unique token names and cookie-octet values, and
///   each kept cookie can be written back as a `Set-Cookie` that parses to the same pair;
/// - a `SetCookie` built from arbitrary bytes is either refused or has no CR, LF or NUL;
/// - the response writer never emits a line break inside a field, whatever the handler set.
enum CookieInvariants {
    static func check(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let jar = CookieJar(header: text, maxCount: 10)
        precondition(jar.count <= 10, "over the limit")
        var names = Set<String>()
        for cookie in jar.cookies {
            precondition(names.insert(cookie.name).inserted, "duplicate name")
            guard let written = try? SetCookie(name: cookie.name, value: cookie.value, path: nil, httpOnly: false).headerValue
            else { preconditionFailure("a parsed cookie cannot be written back") }
            // "name=value; SameSite=Lax" parses as two pairs; the first must be the cookie.
            let back = CookieJar(header: written).cookies.first
            precondition(back?.name == cookie.name && back?.value == cookie.value, "write/parse round trip differs")
        }

        let middle = input.count / 2
        let name = String(decoding: input[..<middle], as: UTF8.self)
        let value = String(decoding: input[middle...], as: UTF8.self)
        let attributes = input.first.map { Int($0) } ?? 0
        let cookie = SetCookie(name: name, value: value, path: attributes & 1 == 0 ? "/" : value,
                               domain: attributes & 2 == 0 ? nil : name, maxAge: attributes & 4 == 0 ? nil : attributes - 100,
                               secure: attributes & 8 != 0, sameSite: attributes & 16 == 0 ? .lax : .none)
        let header = try? cookie.headerValue
        if let header {
            for byte in header.utf8 { precondition(byte >= 0x20 && byte != 0x7F, "control byte in Set-Cookie") }
        }

        var response = HTTPResponse(status: HTTPStatus(code: 200, reason: value))
        response.headers.add(name, value)
        // Refused cookies are logged by setCookie; only valid ones go through it here, so
        // fuzzing does not spend its time writing log lines.
        if header != nil { precondition(response.setCookie(cookie), "valid cookie not added") }
        let head = HTTPResponseWriter.head(for: response, keepAlive: attributes & 32 == 0, date: value, isHeadRequest: attributes & 64 != 0)
        checkHead(head)
    }

    /// Every line ends with CRLF, no CR or LF appears elsewhere, and the head ends with an
    /// empty line.
    static func checkHead(_ head: [UInt8]) {
        precondition(head.count >= 4 && Array(head.suffix(4)) == [13, 10, 13, 10], "head does not end with CRLF CRLF")
        var index = 0
        while index < head.count {
            let byte = head[index]
            if byte == 13 {
                precondition(index + 1 < head.count && head[index + 1] == 10, "CR without LF")
                index += 2
                continue
            }
            precondition(byte != 10 && byte != 0, "LF or NUL inside a line")
            index += 1
        }
    }
}
