/// The "relaxed" canonicalizations of RFC 6376 §3.4.2 (headers) and §3.4.4 (body), the ones
/// that survive the whitespace and folding changes relays make.
public enum DKIMCanonicalization {
    /// RFC 6376 §3.4.2: lower-case name, unfold, every run of WSP to one SP, no WSP at the end
    /// of the value nor around the colon; followed by CRLF.
    public static func relaxedHeader(name: String, value: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\r", "\n":
                continue
            case " ", "\t":
                pendingSpace = true
            default:
                if pendingSpace && !out.isEmpty { out += " " }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return name.lowercased().trimmingWhitespace() + ":" + out + "\r\n"
    }

    /// RFC 6376 §3.4.4: WSP at line ends removed, inner runs of WSP to one SP, empty lines at
    /// the end removed, and a non-empty body ends with CRLF.
    public static func relaxedBody(_ body: [UInt8]) -> [UInt8] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < body.count {
            let byte = body[index]
            if byte == 0x0D && index + 1 < body.count && body[index + 1] == 0x0A {
                lines.append(current)
                current = []
                index += 2
                continue
            }
            current.append(byte)
            index += 1
        }
        if !current.isEmpty { lines.append(current) }
        var out: [UInt8] = []
        var canonicalLines = lines.map(relaxedLine)
        while canonicalLines.last?.isEmpty == true { canonicalLines.removeLast() }
        for line in canonicalLines {
            out += line
            out += [0x0D, 0x0A]
        }
        return out
    }

    private static func relaxedLine(_ line: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var pendingSpace = false
        for byte in line {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = true
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return out
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
