import Testing
@testable import HTTPCore

/// Prometheus text rendering and shard aggregation.
@Suite struct MetricsTests {
    @Test func shardsAddUpIntoTheRenderedText() {
        let metrics = Metrics(latencyBuckets: [0.001, 0.01])
        let a = metrics.makeShard()
        let b = metrics.makeShard()
        a.recordResponse(status: 200, durationNanoseconds: 500_000)      // ≤ 1 ms
        b.recordResponse(status: 200, durationNanoseconds: 5_000_000)    // ≤ 10 ms
        b.recordResponse(status: 503, durationNanoseconds: 50_000_000)   // over every bucket
        a.connectionOpened()
        b.connectionOpened()
        b.connectionClosed()
        b.requestShed()

        let text = metrics.render()
        #expect(text.contains("clave_http_requests_total{code=\"200\",class=\"2xx\"} 2\n"))
        #expect(text.contains("clave_http_requests_total{code=\"503\",class=\"5xx\"} 1\n"))
        #expect(text.contains("clave_http_request_duration_seconds_bucket{le=\"0.001\"} 1\n"))
        #expect(text.contains("clave_http_request_duration_seconds_bucket{le=\"0.01\"} 2\n"))
        #expect(text.contains("clave_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"))
        #expect(text.contains("clave_http_request_duration_seconds_count 3\n"))
        #expect(text.contains("clave_http_request_duration_seconds_sum 0.0555\n"))
        #expect(text.contains("clave_http_open_connections 1\n"))
        #expect(text.contains("clave_http_requests_shed_total 1\n"))
        #expect(text.contains("# TYPE clave_http_request_duration_seconds histogram\n"))
    }

    @Test func extraCountersAndGaugesAreRegisteredOnce() {
        let metrics = Metrics()
        let sent = metrics.counter("clave_mail_sent_total", help: "Correos enviados.")
        sent.increment()
        metrics.counter("clave_mail_sent_total", help: "Correos enviados.").increment(by: 2)
        metrics.gauge("clave_outbox_pending", help: "Correos por enviar.") { 7 }
        let text = metrics.render()
        #expect(text.contains("# TYPE clave_mail_sent_total counter\nclave_mail_sent_total 3\n"))
        #expect(text.contains("# TYPE clave_outbox_pending gauge\nclave_outbox_pending 7\n"))
    }

    @Test func statusesOutsideTheValidRangeAreNotCountedByCode() {
        let metrics = Metrics()
        let shard = metrics.makeShard()
        shard.recordResponse(status: 999, durationNanoseconds: 1)
        let snapshot = metrics.snapshot()
        #expect(snapshot.responsesByStatus.isEmpty)
        #expect(snapshot.requestCount == 1)
    }

    @Test("a counter with a label shows its known series at 0 and one line per value, escaped")
    func labeledCounters() {
        let metrics = Metrics()
        let refusals = metrics.counterFamily("clave_rate_limit_refusals_total", label: "route", help: "429 by route.",
                                             known: ["POST /secop/recuperar", "POST /soi/recuperar"])
        refusals.increment("POST /secop/recuperar")
        metrics.counterFamily("clave_rate_limit_refusals_total", label: "route", help: "429 by route.").increment("POST /secop/recuperar")
        refusals.increment("odd \"value\"\\\n")
        let text = metrics.render()
        #expect(text.contains("""
            # HELP clave_rate_limit_refusals_total 429 by route.
            # TYPE clave_rate_limit_refusals_total counter
            clave_rate_limit_refusals_total{route="POST /secop/recuperar"} 2
            clave_rate_limit_refusals_total{route="POST /soi/recuperar"} 0
            clave_rate_limit_refusals_total{route="odd \\"value\\"\\\\\\n"} 1

            """))
    }

    @Test("a labeled read-out is read at each render and replaced by a second registration")
    func labeledReadOuts() {
        let metrics = Metrics()
        metrics.counters("clave_mail_delivery_failures_total", label: "reason", help: "Failures.") { ["deferred": 1] }
        metrics.counters("clave_mail_delivery_failures_total", label: "reason", help: "Failures.") { ["deferred": 4, "rejected": 2] }
        let text = metrics.render()
        #expect(text.contains("clave_mail_delivery_failures_total{reason=\"deferred\"} 4\nclave_mail_delivery_failures_total{reason=\"rejected\"} 2\n"))
        #expect(text.components(separatedBy: "# TYPE clave_mail_delivery_failures_total counter").count == 2)
    }
}
