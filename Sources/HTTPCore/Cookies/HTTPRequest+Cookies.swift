extension HTTPRequest {
    /// The request's cookies (every `Cookie` field), parsed leniently; see `CookieJar`.
    public var cookies: CookieJar {
        CookieJar(headerValues: headers.values("Cookie"))
    }
}
