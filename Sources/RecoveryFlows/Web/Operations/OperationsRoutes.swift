import Foundation
import HTTPCore

/// The operator's endpoints: `/healthz` (liveness), `/readyz` (``Readiness``) and `/metrics`
/// (Prometheus text).
///
/// The public listener serves `/healthz` and `/readyz` (load balancers probe them) and, in
/// development only, `/metrics`. In production the metrics (request counts, outbox depth,
/// refusals) go only to the admin listener (`clave serve --admin-listen 127.0.0.1:9464`), an
/// address the public cannot reach, which serves all three.
public enum OperationsRoutes {
    /// `GET /metrics` over `metrics`.
    static func metricsResponse(_ metrics: Metrics) -> HTTPResponse {
        var response = HTTPResponse.text(metrics.render())
        response.headers.replace("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        return response
    }

    /// The admin listener's router: `/healthz`, `/readyz`, `/metrics`; anything else 404.
    public static func adminRouter(metrics: Metrics, readiness: Readiness, clock: @escaping @Sendable () -> Date) -> Router {
        var router = Router()
        router.get("/healthz", inline: true) { _ in .text("ok") }
        router.get("/metrics", inline: true) { _ in metricsResponse(metrics) }
        router.get("/readyz") { _ in readiness.response(now: clock()) }
        return router
    }
}
