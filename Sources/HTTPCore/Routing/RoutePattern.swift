/// A compiled route path such as `/cajacopi/captcha/{id}.png` or `/_correo/api/mensajes/{id}`.
///
/// Compiled once when the route is added: each `/`-separated segment is a literal, or a
/// parameter with an optional literal prefix and suffix (`{id}.png`). Matching compares
/// segments; there is no regular expression per request.
struct RoutePattern: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        /// `prefix{name}suffix`; the captured value is non-empty.
        case parameter(name: String, prefix: String, suffix: String)
    }

    let segments: [Segment]
    let text: String

    /// Whether the pattern has no parameter (matched by a dictionary look-up instead).
    var isLiteral: Bool {
        segments.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// Parses a pattern; throws `RouterError.invalidPattern` for a pattern that does not start
    /// with `/` or has unbalanced braces.
    init(_ text: String) throws {
        guard text.hasPrefix("/") else { throw RouterError.invalidPattern(text) }
        self.text = text
        var segments: [Segment] = []
        for part in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let open = part.firstIndex(of: "{") else {
                guard !part.contains("}") else { throw RouterError.invalidPattern(text) }
                segments.append(.literal(String(part)))
                continue
            }
            guard let close = part[open...].firstIndex(of: "}"),
                  part[part.index(after: close)...].firstIndex(where: { $0 == "{" || $0 == "}" }) == nil,
                  !part[..<open].contains("}")
            else { throw RouterError.invalidPattern(text) }
            let name = String(part[part.index(after: open)..<close])
            guard !name.isEmpty else { throw RouterError.invalidPattern(text) }
            segments.append(.parameter(name: name, prefix: String(part[..<open]), suffix: String(part[part.index(after: close)...])))
        }
        self.segments = segments
    }

    /// A cheap test before ``match(_:)``, on the unsplit path: false when `path` (with
    /// `segmentCount` slashes) cannot match, because its segment count or first literal
    /// segment differs. True says only that ``match(_:)`` must decide.
    func mayMatch(_ path: Substring, segmentCount: Int) -> Bool {
        guard segmentCount == segments.count else { return false }
        guard case .literal(let first)? = segments.first else { return true }
        let rest = path.utf8.dropFirst()
        let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        return rest[..<end].elementsEqual(first.utf8)
    }

    /// The parameters when `path` (split at `/`, still percent-encoded) matches, else nil.
    /// Captured values are percent-decoded (`PercentEncoding.decodePath`); a value that does
    /// not decode, or decodes to a slash, NUL or dot segment, does not match.
    func match(_ path: [Substring]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .parameter(let name, let prefix, let suffix):
                guard part.utf8.count > prefix.utf8.count + suffix.utf8.count,
                      part.hasPrefix(prefix), part.hasSuffix(suffix)
                else { return nil }
                let value = part.dropFirst(prefix.count).dropLast(suffix.count)
                guard let decoded = PercentEncoding.decodePath(value) else { return nil }
                parameters[name] = decoded
            }
        }
        return parameters
    }
}

/// Mistakes in building a router, reported at start-up.
public enum RouterError: Error, Sendable, Equatable {
    /// The pattern does not start with `/`, or its braces are unbalanced or empty.
    case invalidPattern(String)
    /// A route for this method and pattern was already added.
    case duplicateRoute(method: HTTPMethod, pattern: String)
}
