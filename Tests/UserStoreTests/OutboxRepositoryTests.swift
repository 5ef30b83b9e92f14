import Foundation
import Testing
@testable import UserStore
import TestSupport

@Suite struct OutboxRepositoryTests {
    let now = StoreFixture.now

    func message(_ n: Int) -> NewOutboxMessage {
        NewOutboxMessage(portal: "secop", sender: "SECOP II <registro@secop.example>", recipient: "user\(n)@example.com",
                         subject: "Restablecer contraseña \(n)", textBody: "https://secop.example/t/\(n)",
                         htmlBody: "<a href=\"https://secop.example/t/\(n)\">enlace</a>")
    }

    @Test func enqueuedMessageIsPendingAndDueNow() throws {
        let store = try StoreFixture()
        let id = try store.database.write { tx in try tx.outbox.enqueue(message(1), now: now) }
        let row = try #require(try store.database.read { tx in try tx.outbox.find(id: id) })
        #expect(row.state == .pending)
        #expect(row.attempts == 0)
        #expect(row.nextAttemptAt == now)
        #expect(row.createdAt == now)
        #expect(row.recipient == "user1@example.com")
        #expect(row.subject == "Restablecer contraseña 1")
        #expect(row.sentAt == nil && row.lastError == nil)
        #expect(try store.database.read { tx in try tx.outbox.nextDueDate() } == now)
    }

    @Test func claimTakesOldestDueRowsOnceUntilTheLeaseRunsOut() throws {
        let store = try StoreFixture()
        let first = try store.database.write { tx in try tx.outbox.enqueue(message(1), now: now) }
        let second = try store.database.write { tx in try tx.outbox.enqueue(message(2), now: now.addingTimeInterval(1)) }
        _ = try store.database.write { tx in try tx.outbox.enqueue(message(3), now: now.addingTimeInterval(100)) }

        let claimed = try store.database.write { tx in try tx.outbox.claimDue(now: now.addingTimeInterval(5), limit: 10, lease: 60) }
        #expect(claimed.map(\.id) == [first, second])
        #expect(claimed.allSatisfy { $0.state == .sending && $0.nextAttemptAt == now.addingTimeInterval(65) })
        // Claimed rows are not handed out again while the lease holds...
        #expect(try store.database.write { tx in try tx.outbox.claimDue(now: now.addingTimeInterval(10), limit: 10, lease: 60) }.isEmpty)
        // ...but are after it, as if the claiming process had died.
        let reclaimed = try store.database.write { tx in try tx.outbox.claimDue(now: now.addingTimeInterval(66), limit: 1, lease: 60) }
        #expect(reclaimed.map(\.id) == [first])
    }

    @Test func sentRowKeepsMetadataButLosesItsBodies() throws {
        let store = try StoreFixture()
        let id = try store.database.write { tx in try tx.outbox.enqueue(message(1), now: now) }
        _ = try store.database.write { tx in try tx.outbox.claimDue(now: now, limit: 1, lease: 60) }
        try store.database.write { tx in try tx.outbox.markSent(id: id, at: now.addingTimeInterval(2)) }
        let row = try #require(try store.database.read { tx in try tx.outbox.find(id: id) })
        #expect(row.state == .sent)
        #expect(row.sentAt == now.addingTimeInterval(2))
        #expect(row.textBody.isEmpty && row.htmlBody.isEmpty)
        #expect(row.subject == "Restablecer contraseña 1")
        #expect(try store.database.read { tx in try tx.outbox.nextDueDate() } == nil)
        // Nothing of the link is left anywhere in the file's rows.
        let leftovers = try store.database.read { c in
            try c.queryOne("SELECT COUNT(*) FROM outbox WHERE text_body LIKE '%secop.example/t/%' OR html_body LIKE '%/t/%'") { try $0.int(0) }
        }
        #expect(leftovers == 0)
    }

    @Test func retryAndDeadTransitions() throws {
        let store = try StoreFixture()
        let id = try store.database.write { tx in try tx.outbox.enqueue(message(1), now: now) }
        try store.database.write { tx in try tx.outbox.markRetry(id: id, error: "421 try later", nextAttemptAt: now.addingTimeInterval(30)) }
        var row = try #require(try store.database.read { tx in try tx.outbox.find(id: id) })
        #expect(row.state == .pending && row.attempts == 1 && row.lastError == "421 try later")
        #expect(row.nextAttemptAt == now.addingTimeInterval(30))
        #expect(try store.database.write { tx in try tx.outbox.claimDue(now: now.addingTimeInterval(29), limit: 5, lease: 10) }.isEmpty)

        #expect(try store.database.write { tx in try tx.outbox.retry(id: id, now: now) } == false, "only dead rows can be retried")
        try store.database.write { tx in try tx.outbox.markDead(id: id, reason: "550 no such user", at: now.addingTimeInterval(40)) }
        row = try #require(try store.database.read { tx in try tx.outbox.find(id: id) })
        #expect(row.state == .dead && row.attempts == 2 && row.lastError == "550 no such user")
        #expect(!row.textBody.isEmpty, "dead rows keep their bodies so staff can retry")
        #expect(try store.database.read { tx in try tx.outbox.nextDueDate() } == nil)

        let audit = try store.database.read { tx in try tx.auditLog.recent(event: "outbox.dead") }
        #expect(audit.count == 1)
        #expect(audit.first?.portal == "secop")
        #expect(audit.first?.detail.contains("550 no such user") == true)

        #expect(try store.database.write { tx in try tx.outbox.retry(id: id, now: now.addingTimeInterval(50)) } == true)
        row = try #require(try store.database.read { tx in try tx.outbox.find(id: id) })
        #expect(row.state == .pending && row.attempts == 0 && row.nextAttemptAt == now.addingTimeInterval(50))
    }

    @Test func markingAMissingRowIsNotFound() throws {
        let store = try StoreFixture()
        #expect(throws: StoreError.notFound("outbox message 42")) { try store.database.write { tx in try tx.outbox.markSent(id: 42, at: now) } }
        #expect(throws: StoreError.notFound("outbox message 42")) { try store.database.write { tx in try tx.outbox.markDead(id: 42, reason: "x", at: now) } }
        #expect(throws: StoreError.notFound("outbox message 42")) {
            try store.database.write { tx in try tx.outbox.markRetry(id: 42, error: "x", nextAttemptAt: now) }
        }
        #expect(try store.database.read { tx in try tx.outbox.find(id: 42) } == nil)
    }

    @Test func listFiltersByStateNewestFirst() throws {
        let store = try StoreFixture()
        let a = try store.database.write { tx in try tx.outbox.enqueue(message(1), now: now) }
        let b = try store.database.write { tx in try tx.outbox.enqueue(message(2), now: now) }
        let c = try store.database.write { tx in try tx.outbox.enqueue(message(3), now: now) }
        try store.database.write { tx in try tx.outbox.markSent(id: b, at: now) }
        try store.database.write { tx in try tx.outbox.markDead(id: c, reason: "bounce", at: now) }
        #expect(try store.database.read { tx in try tx.outbox.list(states: nil, limit: 10) }.map(\.id) == [c, b, a])
        #expect(try store.database.read { tx in try tx.outbox.list(states: [.pending], limit: 10) }.map(\.id) == [a])
        #expect(try store.database.read { tx in try tx.outbox.list(states: [.sent, .dead], limit: 10) }.map(\.id) == [c, b])
        #expect(try store.database.read { tx in try tx.outbox.list(states: [], limit: 10) }.isEmpty)
        #expect(try store.database.read { tx in try tx.outbox.list(states: nil, limit: 2) }.map(\.id) == [c, b])
    }

    @Test func concurrentWorkersNeverClaimTheSameRow() throws {
        let store = try StoreFixture()
        let other = try store.database.reopened()   // a second process, as far as SQLite knows
        for n in 0..<50 { _ = try store.database.write { tx in try tx.outbox.enqueue(message(n), now: now) } }
        let workers = [store.database, other]
        let claimed = ClaimLog()
        onThreads(4) { worker in
            while let batch = try? workers[worker % 2].write({ tx in try tx.outbox.claimDue(now: StoreFixture.now, limit: 3, lease: 300) }),
                  !batch.isEmpty {
                claimed.add(batch.map(\.id))
            }
        }
        #expect(claimed.ids.count == 50)
        #expect(Set(claimed.ids).count == 50, "no row claimed twice")
    }

    @Test func onlyRowsWaitingForTheServerAreBroughtForward() throws {
        let store = try StoreFixture()
        let outage = try store.database.write { tx in try tx.outbox.enqueue(message(1), now: now) }
        let greylisted = try store.database.write { tx in try tx.outbox.enqueue(message(2), now: now) }
        _ = try store.database.write { tx in try tx.outbox.claimDue(now: now, limit: 10, lease: 15) }
        try store.database.write { tx in
            try tx.outbox.markRetry(id: outage, error: "connect: refused", nextAttemptAt: now.addingTimeInterval(600), serverUnavailable: true)
            try tx.outbox.markRetry(id: greylisted, error: "451 later", nextAttemptAt: now.addingTimeInterval(600))
        }
        let later = now.addingTimeInterval(5)
        #expect(try store.database.write { tx in try tx.outbox.bringForwardWaitingForServer(now: later) } == 1)
        #expect(try store.database.read { tx in try tx.outbox.find(id: outage) }?.nextAttemptAt == later)
        #expect(try store.database.read { tx in try tx.outbox.find(id: greylisted) }?.nextAttemptAt == now.addingTimeInterval(600))
        // Once brought forward it is no longer waiting: a second success moves nothing.
        #expect(try store.database.write { tx in try tx.outbox.bringForwardWaitingForServer(now: later.addingTimeInterval(1)) } == 0)
    }
}
