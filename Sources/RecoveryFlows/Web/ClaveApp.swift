import Foundation
import HTTPCore

/// The whole web application: every route and the middleware chain, built once at start-up.
///
/// ```swift
/// let app = try ClaveApp(context: context, metrics: metrics)
/// let server = HTTPServer(configuration: serverConfiguration, responder: app, metrics: metrics)
/// ```
///
/// Routes: the chooser at `/`, each portal's pages (``PortalModule``), `/healthz`, `/metrics`,
/// `/static/`, and in development mode only the mailbox at `/_correo`.
public struct ClaveApp: HTTPResponder {
    /// The shared context.
    public let context: AppContext
    private let chain: MiddlewareChain

    /// Builds the router and the middleware chain.
    public init(context: AppContext, metrics: Metrics = Metrics()) throws {
        self.context = context
        var routes = WebRoutes(context: context)
        routes.router.get("/healthz", inline: true) { _ in .text("ok") }
        routes.router.get("/metrics", inline: true) { _ in
            var response = HTTPResponse.text(metrics.render())
            response.headers.replace("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return response
        }
        let staticFolder = context.configuration.resources.appendingPathComponent("static").path
        routes.router.mount("/static/", try StaticFiles(folder: staticFolder))
        PortalChooser.register(in: &routes)
        SOIPortal.register(in: &routes)
        SECOPPortal.register(in: &routes)
        CajacopiPortal.register(in: &routes)
        if context.configuration.mode == .development {
            DevMailboxRoutes.register(in: &routes)
        }
        // A malformed pattern would silently never match: refuse to start instead.
        if let pattern = routes.router.invalidPatterns.first { throw ClaveAppError.invalidRoutePattern(pattern) }
        chain = MiddlewareChain([SecurityHeaders(hsts: context.configuration.isHTTPS), ThemedErrors(context: context)],
                                responder: routes.router)
    }

    /// Answers through the middleware chain.
    public func respond(to request: HTTPRequest) throws -> HTTPResponse { try chain.respond(to: request) }

    /// Inline only for what the router marks inline (health, metrics, static files); the
    /// themed-error middleware renders templates in memory, so it does not block either.
    public func respondsInline(to request: HTTPRequestHead) -> Bool { chain.respondsInline(to: request) }
}

/// Why the app cannot be built.
public enum ClaveAppError: Error, Sendable, Equatable {
    /// A portal registered a route whose pattern the router refused.
    case invalidRoutePattern(String)
}
