import Dispatch
import Foundation
import HTTPCore
import Templates
import UserStore

/// One request as the portals' handlers see it: the HTTP request plus its client address,
/// session, decoded form, portal theme and the cookies to send back.
///
/// Made by the shell (`WebShell`) for each request, used by one handler on one thread, then dropped.
/// By the time a POST handler runs, its CSRF token has been checked.
public final class WebRequest {
    /// The HTTP request.
    public let http: HTTPRequest
    /// The shared context.
    public let context: AppContext
    /// The client address (``ClientAddress``).
    public let client: String
    /// The portal the path belongs to, if any.
    public let portal: PortalTheme?
    /// The decoded `application/x-www-form-urlencoded` body of a POST; empty otherwise.
    public let form: FormData
    /// The query string's fields.
    public let query: FormData
    /// The active session, if the browser has one. Only a login makes one (rows from before
    /// anonymous forms were stateless may be anonymous; they still work until they expire).
    public private(set) var session: Session?
    /// The browser's form cookie (``FormCookie``), when it sent a well-formed one or this
    /// request made one: what anonymous forms' CSRF tokens and Cajacopi's captchas are bound to.
    public private(set) var formCookie: String?
    /// The notice carried over from the previous page, if any.
    public let notice: FlashNotice?
    /// The rate limit the route declares (``WebRoute/limit``), the only one it may spend.
    public let routeLimit: String?
    /// Cookies to set on the response.
    var outgoingCookies: [SetCookie] = []

    /// Form limits for the portals' forms: small fields, few of them.
    public static let formLimits = FormLimits(maxFields: 30, maxLength: 4096)

    init(_ http: HTTPRequest, context: AppContext, routeLimit: String? = nil) throws {
        self.http = http
        self.context = context
        self.routeLimit = routeLimit
        client = try ClientAddress.of(http, trustedProxies: context.configuration.trustedProxies)
        portal = PortalTheme.forPath(http.path)
        if http.method == .post {
            do {
                form = try http.form(limits: Self.formLimits)
            } catch {
                throw HTTPError(.badRequest, message: "El formulario enviado no es válido.")
            }
        } else {
            form = FormData()
        }
        query = (try? FormData(query: http.query ?? "", limits: Self.formLimits)) ?? FormData()
        let cookies = http.cookies
        if let id = cookies[SessionCookie.name], SessionCookie.isWellFormed(id) {
            session = try Self.loadSession(SessionCookie.hash(id), context: context)
        }
        if let value = cookies[FormCookie.name], FormCookie.cookie.isWellFormed(value) { formCookie = value }
        if let value = cookies[FlashNotice.cookieName] {
            notice = FlashNotice.decode(value, key: context.flashKey)
            outgoingCookies.append(SetCookie.deleting(FlashNotice.cookieName, secure: context.configuration.isHTTPS))
        } else {
            notice = nil
        }
    }

    /// The session for `idHash` if active, pushing its idle expiry forward at most once a
    /// minute (a write per page would be wasted work).
    private static func loadSession(_ idHash: String, context: AppContext) throws -> Session? {
        let now = context.now
        guard var found = try context.database.read({ tx in try tx.sessions.find(idHash: idHash, now: now) }) else { return nil }
        if now.timeIntervalSince(found.lastSeenAt) >= 60 {
            try context.database.write { tx in try tx.sessions.touch(idHash: idHash, lifetime: context.configuration.sessionLifetime, now: now) }
            found.lastSeenAt = now
        }
        return found
    }

    // MARK: Fields

    /// The submitted value of `name`, spaces trimmed; empty when missing.
    public func field(_ name: String) -> String {
        (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The submitted value of `name` exactly as typed (passwords: never trimmed).
    public func rawField(_ name: String) -> String { form[name] ?? "" }

    // MARK: Session

    /// The browser's form cookie, making one (and its `Set-Cookie`) when it sent none or a
    /// malformed one. Nothing is stored: the value is only ever MACed.
    public func formCookieValue() throws -> String {
        if let formCookie { return formCookie }
        let value = try FormCookie.cookie.newValue()
        formCookie = value
        outgoingCookies.append(FormCookie.cookie.setting(value, secure: context.configuration.isHTTPS))
        return value
    }

    /// The CSRF token for this request's forms: the session's (``CSRFProtection``) when logged
    /// in, else a ``SignedFormToken`` over the form cookie (made if needed). Writes nothing.
    public func csrfToken() throws -> String {
        if let session { return CSRFProtection.token(secret: session.csrfSecret) }
        return context.formTokens.token(cookie: try formCookieValue(), now: context.now)
    }

    /// Whether the submitted `csrf` field is good for this browser: against the session's
    /// secret when it has a session (so pre-login tokens die at login), else against its form
    /// cookie. No cookie at all: refused.
    func hasValidCSRFToken() -> Bool {
        let submitted = form[CSRFProtection.fieldName]
        if let session { return CSRFProtection.isValid(submitted, secret: session.csrfSecret) }
        guard let formCookie else { return false }
        return context.formTokens.isValid(submitted, cookie: formCookie, now: context.now)
    }

    /// The logged-in user of `portal` (default: the request's portal), or nil.
    public func currentUser(of portal: Portal? = nil) throws -> User? {
        guard let session, let userID = session.userID,
              session.portal == (portal ?? self.portal?.portal)?.rawValue else { return nil }
        return try context.database.read { tx in try tx.users.find(id: userID) }
    }

    /// The logged-in user, or a redirect to the portal's login page (thrown as ``WebRedirect``).
    public func requireUser(of portal: Portal? = nil) throws -> User {
        let portal = portal ?? self.portal?.portal ?? .soi
        guard let user = try currentUser(of: portal) else {
            throw WebRedirect(PortalTheme.of(portal).prefix + "/ingreso",
                              notice: FlashNotice(.info, "Ingrese para continuar."))
        }
        return user
    }

    /// Logs `user` in: a new session id and CSRF secret (no session fixation, OWASP), bound to
    /// `portal`; the old session row is dropped.
    public func logIn(_ user: User, portal: Portal) throws {
        let id = try SessionCookie.newID()
        session = try context.database.write { tx in try tx.sessions.rotate(oldIDHash: session?.idHash, newIDHash: SessionCookie.hash(id),
                                                                            portal: portal.rawValue, userID: user.id,
                                                                            csrfSecret: try CSRFProtection.newSecret(),
                                                                            lifetime: context.configuration.sessionLifetime, now: context.now) }
        outgoingCookies.append(SessionCookie.setting(id, secure: context.configuration.isHTTPS))
    }

    /// Logs out: the session row is deleted and the cookie removed.
    public func logOut() throws {
        if let session { try context.database.write { tx in try tx.sessions.end(idHash: session.idHash) } }
        session = nil
        outgoingCookies.append(SessionCookie.deleting(secure: context.configuration.isHTTPS))
    }

    // MARK: Limits, audit

    /// Counts this attempt against the route's declared limit (``WebRoute/limit``) for the
    /// client address and `identifier`; throws ``RateLimited`` (answered 429) when a limit is
    /// spent. A route that declared no limit cannot spend one: that is a programming error,
    /// answered 500 and logged, never a silently unlimited route.
    ///
    /// A POST spends the stored, shared counters (``RateLimiter``). A GET spends the per-address
    /// rule in this process's memory (``PageRateLimiter``), because a GET must write nothing; it
    /// may pass no identifier (a GET counted per identifier would let mail scanners, which
    /// prefetch links, spend someone else's budget).
    public func rateLimit(identifier: String?) throws {
        guard let routeLimit else { throw WebRouteError.undeclaredLimit(path: String(http.path)) }
        guard http.method == .post else {
            guard identifier == nil else { throw WebRouteError.identifierLimitOnGET(path: String(http.path)) }
            return try context.pageRateLimiter.check(route: routeLimit, address: client, now: context.now)
        }
        try context.rateLimiter.check(route: routeLimit, address: client, identifier: identifier, now: context.now)
    }

    /// ``rateLimit(identifier:)`` for a typed identifier: its ``Identifier/key``, the value
    /// the account look-up used.
    public func rateLimit(identifier: Identifier) throws { try rateLimit(identifier: identifier.key) }

    /// Appends an audit entry for this request's portal and client. Never a secret in `detail`.
    public func audit(_ event: AuditEvent, userID: Int64? = nil, detail: String = "") {
        context.audit(event, portal: portal?.portal.rawValue ?? "clave", userID: userID, client: client, detail: detail)
    }

    // MARK: Responses

    /// A 303 redirect to `path` (post/redirect/get), with an optional notice for the next page.
    public func redirect(to path: String, notice: FlashNotice? = nil) -> HTTPResponse {
        if let notice {
            outgoingCookies.removeAll { $0.name == FlashNotice.cookieName }
            outgoingCookies.append(SetCookie(name: FlashNotice.cookieName, value: notice.cookieValue(key: context.flashKey),
                                             path: "/", maxAge: 120, secure: context.configuration.isHTTPS))
        }
        return .redirect(to: path)
    }

    /// Adds the pending cookies to `response`.
    func finish(_ response: inout HTTPResponse) {
        for cookie in outgoingCookies { response.setCookie(cookie) }
    }
}

/// A route used the shell in a way its table did not declare.
public enum WebRouteError: Error, Sendable, Equatable {
    /// The handler spent a rate limit but its route declares none.
    case undeclaredLimit(path: String)
    /// A GET handler asked for a per-identifier limit, which only POSTs may spend.
    case identifierLimitOnGET(path: String)
}

/// Thrown by a handler to answer with a redirect (``WebRequest/requireUser(of:)``).
public struct WebRedirect: Error, Sendable {
    /// The target path.
    public var location: String
    /// A notice for the next page.
    public var notice: FlashNotice?

    /// A redirect to `location`.
    public init(_ location: String, notice: FlashNotice? = nil) {
        self.location = location
        self.notice = notice
    }
}
