/// The forwarding chains a request's `Forwarded` (RFC 7239) and `X-Forwarded-For` fields
/// carry, parsed strictly: a field that does not parse is an error (``ForwardingError``), never
/// a guess, because the caller only reads them from a proxy it trusts, and a trusted proxy that
/// writes nonsense is a misconfiguration to surface, not to paper over.
///
/// Several field lines of one name are one comma-separated list, in order (RFC 9110 §5.3).
enum ForwardingHeaders {
    /// The `for=` node of each `Forwarded` element, left (farthest) to right (nearest).
    ///
    /// RFC 7239 §4: `Forwarded = 1#forwarded-element`, `forwarded-element = [ forwarded-pair ]
    /// *( ";" [ forwarded-pair ] )`, `forwarded-pair = token "=" value`, `value = token /
    /// quoted-string`. A parameter may appear once per element (§4); an element without `for=`
    /// is a hop that did not say whom it forwarded for, read as `unknown`.
    static func forwarded(_ lines: [String]) throws(ForwardingError) -> [ForwardedNode] {
        var nodes: [ForwardedNode] = []
        for element in try splitOutsideQuotes(lines.joined(separator: ","), on: ",") {
            let pairs = try splitOutsideQuotes(element, on: ";")
            if pairs.allSatisfy({ $0.isEmpty }) { continue }
            var seen: Set<String> = []
            var node = ForwardedNode.identifier("unknown")
            for pair in pairs where !pair.isEmpty {
                guard let equals = pair.firstIndex(of: "=") else { throw .malformedForwarded }
                let name = pair[..<equals].lowercased()
                guard !name.isEmpty, name.allSatisfy(isToken), seen.insert(name).inserted else {
                    throw .malformedForwarded
                }
                guard let value = unquote(pair[pair.index(after: equals)...]) else { throw .malformedForwarded }
                if name == "for" {
                    guard let parsed = ForwardedNode(forwardedFor: value[...]) else { throw .malformedForwarded }
                    node = parsed
                }
            }
            nodes.append(node)
        }
        guard !nodes.isEmpty else { throw .malformedForwarded }
        return nodes
    }

    /// Each `X-Forwarded-For` element (an address), left (client) to right (nearest proxy).
    /// Empty list elements are skipped (RFC 9110 §5.6.1); anything else must be an address.
    static func xForwardedFor(_ lines: [String]) throws(ForwardingError) -> [ForwardedNode] {
        var nodes: [ForwardedNode] = []
        for element in lines.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = element.trimmingASCIISpaces
            if trimmed.isEmpty { continue }
            guard let node = ForwardedNode(xForwardedFor: trimmed) else { throw .malformedXForwardedFor }
            nodes.append(node)
        }
        guard !nodes.isEmpty else { throw .malformedXForwardedFor }
        return nodes
    }

    /// `text` split on `separator` where it is outside a quoted string, each part trimmed of
    /// OWS. An unterminated quoted string is an error.
    private static func splitOutsideQuotes(_ text: some StringProtocol, on separator: Character) throws(ForwardingError) -> [Substring] {
        var parts: [Substring] = []
        let text = Substring(text)
        var start = text.startIndex, index = text.startIndex
        var quoted = false, escaped = false
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if quoted {
                if character == "\\" { escaped = true } else if character == "\"" { quoted = false }
            } else if character == "\"" {
                quoted = true
            } else if character == separator {
                parts.append(text[start..<index].trimmingASCIISpaces)
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        guard !quoted else { throw .malformedForwarded }
        parts.append(text[start...].trimmingASCIISpaces)
        return parts
    }

    /// RFC 9110 §5.6.2 `tchar`.
    private static func isToken(_ character: Character) -> Bool {
        character.asciiValue.map(HTTPSyntax.isTokenByte) ?? false
    }

    /// A token as is, or a quoted string's content with its quoted pairs undone (RFC 9110 §5.6.4).
    private static func unquote(_ value: Substring) -> String? {
        guard value.first == "\"" else {
            return !value.isEmpty && value.allSatisfy(isToken) ? String(value) : nil
        }
        guard value.count >= 2, value.last == "\"" else { return nil }
        var result = "", escaped = false
        for character in value.dropFirst().dropLast() {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return nil
            } else {
                result.append(character)
            }
        }
        return escaped ? nil : result
    }
}

/// Why a trusted proxy's forwarding fields name no client: answered 400, never guessed.
public enum ForwardingError: Error, Sendable, Equatable, HTTPResponseError {
    /// `Forwarded` does not follow RFC 7239 (syntax, a repeated parameter, a bad `for=` node).
    case malformedForwarded
    /// An `X-Forwarded-For` element is not an IP address.
    case malformedXForwardedFor
    /// Both fields are present and name different clients (see
    /// ``HTTPRequest/clientAddress(trustedProxies:)`` for why that is refused).
    case conflicting

    public var status: HTTPStatus { .badRequest }
    public var headers: HTTPHeaders { HTTPHeaders() }
    public var message: String? { "La solicitud llegó por un proxy con encabezados de reenvío no válidos." }
}
