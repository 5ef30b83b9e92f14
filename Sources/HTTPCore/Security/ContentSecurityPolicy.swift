/// A `Content-Security-Policy` (CSP Level 3) as directives, so every policy the server sends is
/// spelled in one place and a page's exception is a visible change of one directive rather than
/// another hand-written header string. Hummingbird's `ContentSecurityPolicy` is the model.
///
/// ```swift
/// var preview = ContentSecurityPolicy.nothing
/// preview.set(.styleSource, ["'unsafe-inline'"])   // emails need inline styles
/// response.headers.replace("Content-Security-Policy", preview.headerValue)
/// ```
public struct ContentSecurityPolicy: Sendable, Equatable {
    /// The directives Clave uses (CSP Level 3 §6).
    public enum Directive: String, Sendable, Equatable, CaseIterable {
        case defaultSource = "default-src"
        case scriptSource = "script-src"
        case styleSource = "style-src"
        case imageSource = "img-src"
        case formAction = "form-action"
        /// CSP Level 2 §7.7.3: who may frame the page (the modern `X-Frame-Options`).
        case frameAncestors = "frame-ancestors"
        case baseURI = "base-uri"
        case objectSource = "object-src"
    }

    /// The directives in the order they are written.
    public private(set) var directives: [(Directive, [String])] {
        didSet { headerValue = Self.write(directives) }
    }
    /// The header field's value, `default-src 'self'; script-src 'self'; ...`: written once
    /// when the policy is built, because it goes out with every response.
    public private(set) var headerValue: String

    /// A policy of `directives`, written in the given order.
    public init(_ directives: [(Directive, [String])]) {
        self.directives = directives
        headerValue = Self.write(directives)
    }

    /// Replaces (or appends) `directive`'s sources.
    public mutating func set(_ directive: Directive, _ sources: [String]) {
        if let index = directives.firstIndex(where: { $0.0 == directive }) {
            directives[index].1 = sources
        } else {
            directives.append((directive, sources))
        }
    }

    private static func write(_ directives: [(Directive, [String])]) -> String {
        directives.map { ([$0.0.rawValue] + $0.1).joined(separator: " ") }.joined(separator: "; ")
    }

    /// The sources of `directive`, if it is set.
    public func sources(of directive: Directive) -> [String]? { directives.first { $0.0 == directive }?.1 }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.headerValue == rhs.headerValue }

    /// Application pages: scripts, styles and images from this origin only (images also as
    /// `data:`), nothing inline, forms post only here, never framed, no `<base>`, no plugins.
    public static let pages = ContentSecurityPolicy([
        (.defaultSource, ["'self'"]), (.scriptSource, ["'self'"]), (.styleSource, ["'self'"]),
        (.imageSource, ["'self'", "data:"]), (.formAction, ["'self'"]), (.frameAncestors, ["'none'"]),
        (.baseURI, ["'none'"]), (.objectSource, ["'none'"]),
    ])

    /// Pages that need nothing at all (the server's own error pages: no script, style or image).
    public static let nothing = ContentSecurityPolicy([
        (.defaultSource, ["'none'"]), (.frameAncestors, ["'none'"]), (.baseURI, ["'none'"]), (.formAction, ["'none'"]),
    ])
}
