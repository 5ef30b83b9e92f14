import Foundation
import HTTPCore

/// The whole web application: every route table and the middleware chain, built once at
/// start-up.
///
/// ```swift
/// let app = try ClaveApp(context: context, metrics: metrics)
/// let server = HTTPServer(configuration: serverConfiguration, responder: app, metrics: metrics)
/// ```
///
/// Tables: the shell's (`/`, `/healthz`, `/metrics`, `/static/`), each portal's
/// (``PortalModule/routes(in:)``), and in development mode only the mailbox at `/_correo`.
/// A portal without routes or two routes with the same method and path stop start-up
/// (``ClaveAppError``); ``routes`` lists the contract for `clave routes`.
public struct ClaveApp: HTTPResponder {
    /// The shared context.
    public let context: AppContext
    /// Every route served, in table order (`clave routes` prints them).
    public let routes: [RouteListing]
    private let chain: MiddlewareChain

    /// Every portal, in the order the chooser shows them.
    static var portals: [any PortalModule.Type] { [SOIPortal.self, SECOPPortal.self, CajacopiPortal.self] }

    /// Builds the route tables, the router and the middleware chain.
    public init(context: AppContext, metrics: Metrics = Metrics()) throws {
        var tables = [ClaveApp.shellRoutes(metrics: metrics, context: context), PortalChooser.routes]
        tables += ClaveApp.portals.map { $0.routes(in: context) }
        if context.configuration.mode == .development { tables.append(DevMailboxRoutes.routes(in: context)) }
        try self.init(context: context, tables: tables, metrics: metrics)
    }

    /// The app serving exactly `tables` (the initializer above, and tests of the checks).
    /// Page routes count their 429 answers in `metrics` (``WebShell/refusalsMetric``).
    init(context: AppContext, tables: [RouteTable], metrics: Metrics = Metrics()) throws {
        self.context = context
        var router = Router(unmatched: .throwError)
        var listing: [RouteListing] = []
        let limited = tables.flatMap(\.routes).filter { $0.limit != nil }.map(WebShell.refusalLabel)
        let refusals = metrics.counterFamily(WebShell.refusalsMetric, label: "route",
                                             help: "Requests answered 429 (rate limits, login throttles), by route.",
                                             known: limited)
        for table in tables {
            guard !table.routes.isEmpty else { throw ClaveAppError.portalWithoutRoutes(table.owner) }
            for route in table.routes {
                let handler: ResourceHandler
                switch route.handler {
                case .page(let page): handler = { http in WebShell.run(http, route: route, context: context, refusals: refusals, page) }
                case .resource(let resource): handler = resource
                }
                do {
                    try router.tryAdd(route.method, route.path, inline: route.inline, handler)
                } catch RouterError.duplicateRoute {
                    throw ClaveAppError.duplicateRoute("\(route.method.rawValue) \(route.path)")
                } catch {
                    throw ClaveAppError.invalidRoutePattern(route.path)
                }
                listing.append(RouteListing(method: route.method.rawValue, path: route.path, owner: table.owner,
                                            limit: route.limit, csrf: route.csrf.listing))
            }
        }
        let staticFolder = context.configuration.resources.appendingPathComponent("static").path
        router.mount("/static/", try StaticFiles(folder: staticFolder, options: StaticFiles.Options(unmatched: .throwError)))
        listing.append(RouteListing(method: "GET", path: "/static/*", owner: "clave", limit: nil,
                                    csrf: WebRoute.CSRFRule.notNeeded.listing))
        routes = listing
        chain = MiddlewareChain([SecurityHeaders(hsts: context.configuration.isHTTPS), ErrorMiddleware(context: context)],
                                responder: router)
    }

    /// Liveness and readiness; metrics too in development (in production they are on the admin
    /// listener only: ``OperationsRoutes``). Health is answered on the event loop; readiness
    /// and metrics (whose outbox gauges) read the database, on a worker.
    static func shellRoutes(metrics: Metrics, context: AppContext) -> RouteTable {
        var routes: [WebRoute] = [
            .resource("/healthz", inline: true) { _ in .text("ok") },
            .resource("/readyz") { _ in context.readiness.response(now: context.now) },
        ]
        if context.configuration.mode == .development {
            routes.append(.resource("/metrics") { _ in OperationsRoutes.metricsResponse(metrics) })
        }
        return RouteTable("clave", routes)
    }

    /// Answers through the middleware chain.
    public func respond(to request: HTTPRequest) throws -> HTTPResponse { try chain.respond(to: request) }

    /// Inline only for what the router marks inline (health, static files); the
    /// error middleware renders templates in memory, so it does not block either.
    public func respondsInline(to request: HTTPRequestHead) -> Bool { chain.respondsInline(to: request) }
}

extension WebRoute.CSRFRule {
    /// How `clave routes` names the rule.
    var listing: String {
        switch self {
        case .notNeeded: "not needed"
        case .checked: "checked"
        case .exempt(let reason): "exempt: " + reason
        }
    }
}

/// Why the app cannot be built: each is a start-up error with one clear line.
public enum ClaveAppError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A table declared a route whose pattern the router refused.
    case invalidRoutePattern(String)
    /// Two routes share a method and path (`POST /secop/ingreso`): the second would silently
    /// replace the first.
    case duplicateRoute(String)
    /// A portal's table is empty: its pages would all answer 404.
    case portalWithoutRoutes(String)

    public var description: String {
        switch self {
        case .invalidRoutePattern(let pattern): "invalid route pattern \(pattern)"
        case .duplicateRoute(let route): "duplicate route \(route): each method and path may be declared once"
        case .portalWithoutRoutes(let owner): "the \(owner) route table is empty: every portal must declare its routes"
        }
    }
}
