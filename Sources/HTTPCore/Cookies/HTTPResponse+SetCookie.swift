import ClaveLog

extension HTTPResponse {
    private static let cookieLog = Logger(label: "http.cookies")

    /// Adds a `Set-Cookie` field for `cookie` (one field per cookie, RFC 6265 §4.1 ¶3:
    /// never folded into one line).
    ///
    /// A cookie whose `headerValue` is refused is not added: the response goes out without
    /// it and a warning is logged (with the reason, not the value). Returns whether the
    /// cookie was added; call `cookie.headerValue` first to handle the error yourself.
    @discardableResult
    public mutating func setCookie(_ cookie: SetCookie) -> Bool {
        do {
            headers.add("Set-Cookie", try cookie.headerValue)
            return true
        } catch {
            Self.cookieLog.warning("cookie refused", ["reason": "\(error)"])
            return false
        }
    }
}
