import HTTPCore

/// What SECOP II's routes need from the web shell, as closures so the routes stay independent
/// of how the shell implements sessions, CSRF, rate limits and page rendering.
public struct SECOPWebServices: Sendable {
    /// Renders `page` inside the shell's layout for `request` (adding the `csrf` value and the
    /// security headers, and any session cookie the shell sets).
    public var render: @Sendable (_ request: HTTPRequest, _ page: SECOPPage) throws -> HTTPResponse
    /// Whether the POST's `csrf` field matches the session's (DESIGN.md: every POST form).
    public var csrfIsValid: @Sendable (_ request: HTTPRequest, _ form: FormData) -> Bool
    /// Whether `action` may run now for the client's address and for `identifier` (a user
    /// name, an address or a token hash, existing or not, so limits leak nothing).
    public var allow: @Sendable (_ request: HTTPRequest, _ action: String, _ identifier: String) -> Bool
    /// The shell's error page for a refused request (403 bad CSRF, 429 too many, 400 bad form).
    public var refuse: @Sendable (_ request: HTTPRequest, _ status: HTTPStatus, _ message: String) -> HTTPResponse
    /// Runs a request-page handler so that it answers no sooner than the shell's timing floor,
    /// hiding the difference between a known and an unknown account.
    public var timingFloor: @Sendable (_ body: () throws -> HTTPResponse) throws -> HTTPResponse

    /// Creates a value from its parts.
    public init(render: @escaping @Sendable (HTTPRequest, SECOPPage) throws -> HTTPResponse,
                csrfIsValid: @escaping @Sendable (HTTPRequest, FormData) -> Bool,
                allow: @escaping @Sendable (HTTPRequest, String, String) -> Bool,
                refuse: @escaping @Sendable (HTTPRequest, HTTPStatus, String) -> HTTPResponse,
                timingFloor: @escaping @Sendable (() throws -> HTTPResponse) throws -> HTTPResponse) {
        self.render = render
        self.csrfIsValid = csrfIsValid
        self.allow = allow
        self.refuse = refuse
        self.timingFloor = timingFloor
    }
}
