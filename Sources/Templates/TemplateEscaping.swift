/// The escaping and URL checks values go through on their way out.
enum TemplateEscaping {
    /// Appends `text` to `output`, escaping the OWASP set when `mode` is `.html`.
    static func append(_ text: String, to output: inout [UInt8], mode: TemplateMode) {
        guard mode == .html else {
            output.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: amp)
            case UInt8(ascii: "<"): output.append(contentsOf: lt)
            case UInt8(ascii: ">"): output.append(contentsOf: gt)
            case UInt8(ascii: "\""): output.append(contentsOf: quot)
            case UInt8(ascii: "'"): output.append(contentsOf: apos)
            case UInt8(ascii: "/"): output.append(contentsOf: slash)
            default: output.append(byte)
            }
        }
    }

    /// `url` when it is safe in `href`/`src`: an `http:` or `https:` URL, or a relative one
    /// (no scheme). Anything else (`javascript:`, `data:`, `vbscript:` …) becomes `#`.
    ///
    /// Browsers drop tabs and newlines inside URLs before reading the scheme (WHATWG URL
    /// Standard, "basic URL parser"), so `java\tscript:` would still run; any control
    /// character or space therefore also yields `#`.
    static func safeURL(_ url: String) -> String {
        var scheme: [UInt8] = []
        var sawSchemeEnd = false
        for byte in url.utf8 {
            if byte <= 0x20 || byte == 0x7F { return "#" }
            if sawSchemeEnd { continue }
            switch byte {
            case UInt8(ascii: ":"):
                let name = String(decoding: scheme, as: UTF8.self).lowercased()
                if name != "http" && name != "https" { return "#" }
                sawSchemeEnd = true
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\\"):
                // Relative reference: a ':' after this is part of the path or query
                // (RFC 3986 §4.2).
                sawSchemeEnd = true
            default:
                scheme.append(byte)
            }
        }
        return url
    }

    private static let amp = Array("&amp;".utf8)
    private static let lt = Array("&lt;".utf8)
    private static let gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8)
    private static let apos = Array("&#39;".utf8)
    private static let slash = Array("&#x2F;".utf8)
}
