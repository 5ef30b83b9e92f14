import ClaveLog
import HTTPCore
import UserStore

/// The shell around every page route of a ``RouteTable``: it resolves the client address,
/// loads the session, decodes the form, **checks CSRF on every POST before the handler runs**
/// (against the session's secret, or without a session against the form cookie)
/// (403 page, nothing changed), sets the cookies the handler asked for, and renders whatever
/// the handler throws through the one error renderer, ``ErrorPages/response(for:request:context:)``.
enum WebShell {
    /// The counter of 429 answers by route (`METHOD /pattern`), on the admin listener's `/metrics`.
    static let refusalsMetric = "clave_rate_limit_refusals_total"

    /// The `route` label of `route` in ``refusalsMetric``: its method and pattern, never the
    /// request's own path, so the series stay as few as the routes.
    static func refusalLabel(_ route: WebRoute) -> String { "\(route.method.rawValue) \(route.path)" }

    /// Runs `handler` for `http` on `route` with the shell's checks around it; a 429 answer
    /// (a rate limit or a login throttle) is counted in `refusals`.
    static func run(_ http: HTTPRequest, route: WebRoute, context: AppContext, refusals: MetricsCounterFamily? = nil,
                    _ handler: WebHandler) -> HTTPResponse {
        let response = respond(http, route: route, context: context, handler)
        if response.status == .tooManyRequests { refusals?.increment(refusalLabel(route)) }
        return response
    }

    private static func respond(_ http: HTTPRequest, route: WebRoute, context: AppContext, _ handler: WebHandler) -> HTTPResponse {
        var request: WebRequest?
        do {
            let web = try WebRequest(http, context: context, routeLimit: route.limit)
            request = web
            if route.csrf == .checked {
                guard web.hasValidCSRFToken() else {
                    web.audit(.csrfRejected, detail: "path=\(http.path.prefix(80))")
                    throw HTTPError(.forbidden, message: CSRFProtection.rejectionMessage)
                }
            }
            var response = try handler(web)
            web.finish(&response)
            return response
        } catch let redirect as WebRedirect {
            guard let request else { return .redirect(to: redirect.location) }
            var response = request.redirect(to: redirect.location, notice: redirect.notice)
            request.finish(&response)
            return response
        } catch {
            if error is RateLimited {
                // A GET writes nothing, not even its refusal: a flood of them must grow no table.
                if http.method == .post {
                    request?.audit(.rateLimited, detail: "path=\(http.path.prefix(80))")
                } else {
                    context.logger.info("rate limited", ["path": String(http.path.prefix(80)), "client": request?.client ?? "-"])
                }
            }
            var response = ErrorPages.response(for: error, request: http, context: context)
            request?.finish(&response)
            return response
        }
    }
}
