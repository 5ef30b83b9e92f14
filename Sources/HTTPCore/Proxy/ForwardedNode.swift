/// One hop of a forwarding chain as a proxy reported it: an address, or an identifier that
/// stands for one (RFC 7239 §6.2 `unknown`, §6.3 obfuscated `_hidden`).
public enum ForwardedNode: Hashable, Sendable, CustomStringConvertible {
    /// A real address.
    case address(IPAddress)
    /// `unknown`, or an obfuscated identifier (`_` then letters, digits, `.`, `_`, `-`).
    case identifier(String)

    /// RFC 7239 §6 `nodename [ ":" node-port ]`, the text of a `for=` value after unquoting:
    /// an IPv4 address, a bracketed IPv6 address, `unknown` or `_obfuscated`, with an optional
    /// port (digits or `_obfuscated`).
    init?(forwardedFor text: Substring) {
        var name = text
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            name = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                port = rest.dropFirst()
            }
            guard name.contains(":"), let address = IPAddress(name) else { return nil }
            guard port.map(Self.isPort) ?? true else { return nil }
            self = .address(address)
            return
        }
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            port = text[text.index(after: colon)...]
            guard Self.isPort(port!) else { return nil }
        }
        if name.lowercased() == "unknown" {
            self = .identifier("unknown")
        } else if Self.isObfuscated(name) {
            self = .identifier(String(name))
        } else if !name.contains(":"), let address = IPAddress(name) {
            self = .address(address)
        } else {
            return nil
        }
    }

    /// An `X-Forwarded-For` element: an IPv4 or IPv6 address, bare or bracketed, with an
    /// optional port after an IPv4 or bracketed address (what proxies in the wild write).
    init?(xForwardedFor text: Substring) {
        if let address = IPAddress(text) {
            self = .address(address)
        } else if let node = ForwardedNode(forwardedFor: text), case .address = node {
            self = node
        } else {
            return nil
        }
    }

    /// RFC 7239 §6.3 `obfnode`/`obfport`: `_` followed by 1 to 64 of `ALPHA / DIGIT / "." / "_" / "-"`.
    static func isObfuscated(_ text: Substring) -> Bool {
        text.first == "_" && (2...65).contains(text.count)
            && text.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
    }

    /// RFC 7239 §6 `node-port`: 1-5 digits up to 65535, or an obfuscated port.
    static func isPort(_ text: Substring) -> Bool {
        if isObfuscated(text) { return true }
        return (1...5).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber } && (Int(text) ?? .max) <= 65535
    }

    /// The address's canonical text, or the identifier.
    public var description: String {
        switch self {
        case .address(let address): address.description
        case .identifier(let identifier): identifier
        }
    }
}
