import ClaveLog
import HTTPCore
import UserStore

/// The shell around every page route of a ``RouteTable``: it resolves the client address,
/// loads the session, decodes the form, **checks CSRF on every POST before the handler runs**
/// (against the session's secret, or without a session against the form cookie)
/// (403 page, nothing changed), sets the cookies the handler asked for, and renders whatever
/// the handler throws through the one error renderer, ``ErrorPages/response(for:request:context:)``.
enum WebShell {
    /// Runs `handler` for `http` on `route` with the shell's checks around it.
    static func run(_ http: HTTPRequest, route: WebRoute, context: AppContext, _ handler: WebHandler) -> HTTPResponse {
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
