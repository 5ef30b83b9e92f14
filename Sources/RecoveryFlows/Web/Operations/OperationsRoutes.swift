import Foundation
import HTTPCore
import UserStore

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

    /// Adds the outbox's gauges to `metrics`: messages waiting and how long the oldest has
    /// waited, read from `database` at each scrape (two index look-ups).
    public static func registerOutboxGauges(_ metrics: Metrics, database: Database, clock: @escaping @Sendable () -> Date) {
        metrics.gauge("clave_outbox_waiting", help: "Emails not delivered yet (pending or being sent).") {
            Double((try? database.read { tx in try tx.outbox.backlog() })?.waiting ?? 0)
        }
        metrics.gauge("clave_outbox_oldest_waiting_seconds", help: "How long the oldest undelivered email has waited.") {
            guard let since = (try? database.read { tx in try tx.outbox.backlog() })?.oldestSince else { return 0 }
            return max(0, clock().timeIntervalSince(since))
        }
    }

    /// Adds the store's counter to `metrics`: write transactions run again after a
    /// serialization failure or deadlock (``Database/retriedTransactions``; PostgreSQL only,
    /// SQLite's is always 0). Nodes whose writes take turns keep it near zero; a climbing
    /// count is requests that conflict, each a retry away from a 503.
    public static func registerStoreCounters(_ metrics: Metrics, database: Database) {
        let engine = database.location.isPostgres ? "postgres" : "sqlite"
        metrics.counters("clave_store_retried_transactions_total", label: "engine",
                         help: "Write transactions run again after a serialization failure or deadlock.") {
            [engine: UInt64(database.retriedTransactions)]
        }
    }

    /// The admin listener's router: `/healthz`, `/readyz`, `/metrics`; anything else 404.
    public static func adminRouter(metrics: Metrics, readiness: Readiness, clock: @escaping @Sendable () -> Date) -> Router {
        var router = Router()
        router.get("/healthz", inline: true) { _ in .text("ok") }
        // Not inline: the outbox gauges read the database (`registerOutboxGauges`).
        router.get("/metrics") { _ in metricsResponse(metrics) }
        router.get("/readyz") { _ in readiness.response(now: clock()) }
        return router
    }
}
