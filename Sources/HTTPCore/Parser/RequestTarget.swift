/// The request-target forms (RFC 9112 §3.2) and what the parser makes of each.
///
/// Everything after the parser sees origin-form only (`/path?query`, or `*` for OPTIONS): the
/// router, mounts and static files read `HTTPRequestHead.path` and `query`, which split the
/// target at its first `?`, so an absolute-form target is reduced here, once, to its path and
/// query rather than taught to every reader.
///
/// | form | example | answer |
/// |---|---|---|
/// | origin | `/soi/ingreso?x=1` | served as sent |
/// | absolute | `http://clave.example/soi/ingreso?x=1` | served as `/soi/ingreso?x=1`, Host := authority |
/// | asterisk | `*` | OPTIONS only, served as `*` |
/// | authority | `clave.example:443` | 400: CONNECT is for proxies, which we are not |
/// | CONNECT with any other form | `CONNECT /x`, `CONNECT http://h/x` | 400: malformed (RFC 9112 §3.2.3) |
struct RequestTarget: Sendable, Equatable {
    /// The target in origin-form (or `*`): what routing sees.
    var originForm: String
    /// The authority of an absolute-form target (`host[:port]`), which replaces the Host field.
    var authority: String?

    /// Classifies and checks a request-target (already known to be visible ASCII).
    static func parse(_ target: UnsafeBufferPointer<UInt8>, method: HTTPMethod) throws(HTTPParseError) -> RequestTarget {
        // RFC 9112 §3.2.3: CONNECT takes authority-form only, which a server that is no proxy
        // refuses; in any other form it is malformed, never a request routed by its path.
        if method.rawValue == "CONNECT" { throw .badRequest("CONNECT is for proxies") }
        if target[0] == 0x2F { return RequestTarget(originForm: String(decoding: target, as: UTF8.self)) }
        // RFC 9112 §3.2.4: asterisk-form is only used with OPTIONS.
        if target.count == 1, target[0] == 0x2A, method == .options { return RequestTarget(originForm: "*") }
        // RFC 9112 §3.2.2: a server MUST accept absolute-form, though clients send it only to
        // proxies. Anything else (authority-form, a relative path) is not a target we serve.
        guard let afterScheme = schemeLength(target) else {
            throw .badRequest("unsupported request-target form")
        }
        return try absoluteForm(UnsafeBufferPointer(rebasing: target[afterScheme...]))
    }

    private init(originForm: String, authority: String? = nil) {
        self.originForm = originForm
        self.authority = authority
    }

    /// The length of `http://` or `https://` (scheme case-insensitive, RFC 3986 §3.1) at the
    /// start of `target`, or nil. Other schemes are not ours to serve (RFC 9110 §4.2 defines
    /// only these two for HTTP), so `ftp://h/` is a 400 rather than a page.
    static func schemeLength(_ target: UnsafeBufferPointer<UInt8>) -> Int? {
        let schemes: [StaticString] = ["http://", "https://"]
        for scheme in schemes where target.count >= scheme.utf8CodeUnitCount {
            let prefix = UnsafeBufferPointer(rebasing: target[0..<scheme.utf8CodeUnitCount])
            if HTTPSyntax.equalsIgnoringCase(prefix, scheme) { return scheme.utf8CodeUnitCount }
        }
        return nil
    }

    /// `authority path-abempty [ "?" query ]` after the `scheme://`.
    ///
    /// - The authority must be a valid Host value with a non-empty host: RFC 9110 §4.2.1 says a
    ///   recipient MUST reject an `http` URI with an empty host as invalid. Userinfo
    ///   (`http://u@h/`) is refused too: RFC 9110 §4.2.4 deprecates it and a server has no use
    ///   for it (`@` is not a Host byte, so the Host check refuses it).
    /// - An empty path is `/` (RFC 9110 §4.2.3: `http://h` and `http://h/` are equivalent), so
    ///   `http://h?q` is served as `/?q`.
    static func absoluteForm(_ rest: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> RequestTarget {
        var end = 0
        while end < rest.count, rest[end] != 0x2F, rest[end] != 0x3F { end += 1 }
        let authority = UnsafeBufferPointer(rebasing: rest[0..<end])
        guard !authority.isEmpty, authority[0] != HTTPSyntax.colon, FieldLine.isValidHost(authority) else {
            throw .badRequest("invalid authority in request target")
        }
        let pathAndQuery = String(decoding: UnsafeBufferPointer(rebasing: rest[end...]), as: UTF8.self)
        return RequestTarget(
            originForm: pathAndQuery.hasPrefix("/") ? pathAndQuery : "/" + pathAndQuery,
            authority: String(decoding: authority, as: UTF8.self))
    }
}
