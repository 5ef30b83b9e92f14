import ClaveLog
import HTTPCore
import UserStore

/// A handler of the portals: gets a ``WebRequest``, returns a response or throws
/// (`HTTPError` → themed error page, ``RateLimited`` → 429, ``WebRedirect`` → 303).
public typealias WebHandler = @Sendable (WebRequest) throws -> HTTPResponse

/// How the portals add their routes: each `GET` and `POST` goes through the shell, which
/// resolves the client address, loads the session, decodes the form, **checks CSRF on every
/// POST before the handler runs** (403 page, nothing changed), sets cookies, and turns thrown
/// errors into themed pages.
///
/// ```swift
/// extension SECOPPortal {
///     static func registerRecovery(in routes: inout WebRoutes) {
///         routes.get("/secop/olvide-contrasena") { request in
///             try request.page("secop/olvide-contrasena.html", title: "Olvidé la contraseña")
///         }
///         routes.post("/secop/olvide-contrasena") { request in
///             try request.rateLimit("secop.forgot-password", identifier: request.field("usuario"))
///             ...
///         }
///     }
/// }
/// ```
public struct WebRoutes {
    /// The shared context.
    public let context: AppContext
    /// The router being filled; use it directly for routes that are not pages (JSON, images).
    public var router: Router

    /// Routes over `context`, starting from `router`.
    public init(context: AppContext, router: Router = Router()) {
        self.context = context
        self.router = router
    }

    /// A GET page (also answers HEAD).
    public mutating func get(_ path: String, _ handler: @escaping WebHandler) {
        let context = context
        router.get(path) { http in WebRoutes.run(http, context: context, handler) }
    }

    /// A POST form handler; the shell has checked its `csrf` field before `handler` runs.
    public mutating func post(_ path: String, _ handler: @escaping WebHandler) {
        let context = context
        router.post(path) { http in WebRoutes.run(http, context: context, handler) }
    }

    /// Runs `handler` for `http` with the shell's checks around it.
    static func run(_ http: HTTPRequest, context: AppContext, _ handler: WebHandler) -> HTTPResponse {
        var request: WebRequest?
        do {
            let web = try WebRequest(http, context: context)
            request = web
            if http.method == .post {
                guard let session = web.session,
                      CSRFProtection.isValid(web.form[CSRFProtection.fieldName], secret: session.csrfSecret) else {
                    web.audit("csrf.rejected", detail: "path=\(http.path.prefix(80))")
                    throw HTTPError(.forbidden, message: CSRFProtection.rejectionMessage)
                }
            }
            var response = try handler(web)
            web.finish(&response)
            return response
        } catch let limited as RateLimited {
            request?.audit("rate.limited", detail: "path=\(http.path.prefix(80))")
            var response = ErrorPages.response(.tooManyRequests, request: http, context: context,
                                               headers: ["Retry-After": String(limited.retryAfterSeconds)])
            request?.finish(&response)
            return response
        } catch let redirect as WebRedirect {
            guard let request else { return .redirect(to: redirect.location) }
            var response = request.redirect(to: redirect.location, notice: redirect.notice)
            request.finish(&response)
            return response
        } catch let error as HTTPError {
            var response = ErrorPages.response(error.status, message: error.message, request: http, context: context,
                                               headers: error.headers)
            request?.finish(&response)
            return response
        } catch {
            context.logger.error("handler failed", ["path": String(http.path.prefix(80)), "request": http.requestID,
                                                    "error": "\(error)"])
            return ErrorPages.response(.internalServerError, request: http, context: context)
        }
    }
}
