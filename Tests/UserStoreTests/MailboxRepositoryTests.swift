import Foundation
import Testing
@testable import UserStore

@Suite struct MailboxRepositoryTests {
    let now = StoreFixture.now

    @Test func deliverListFindAndDelete() throws {
        let store = try StoreFixture()
        let first = try store.database.write { tx in try tx.mailbox.deliver(sender: "Cajacopi <no-responder@cajacopi.example>", recipient: "Ana@Example.com",
                                                                            subject: "Restablecer Contraseña", textBody: "texto", htmlBody: "<p>html</p>",
                                                                            rawSource: "From: x\r\n\r\ntexto", at: now) }
        let second = try store.database.write { tx in try tx.mailbox.deliver(sender: "s", recipient: "luis@example.com", subject: "Hola",
                                                                             textBody: "t", htmlBody: "h", rawSource: "r", at: now.addingTimeInterval(1)) }
        #expect(try store.database.read { tx in try tx.mailbox.list(recipient: nil, limit: 10) }.map(\.id) == [second, first])
        #expect(try store.database.read { tx in try tx.mailbox.list(recipient: "ana@example.com", limit: 10) }.map(\.id) == [first])
        #expect(try store.database.read { tx in try tx.mailbox.list(recipient: nil, limit: 1) }.map(\.id) == [second])
        let message = try #require(try store.database.read { tx in try tx.mailbox.find(id: first) })
        #expect(message == MailboxMessage(id: first, sender: "Cajacopi <no-responder@cajacopi.example>",
                                          recipient: "Ana@Example.com", subject: "Restablecer Contraseña",
                                          textBody: "texto", htmlBody: "<p>html</p>",
                                          rawSource: "From: x\r\n\r\ntexto", createdAt: now))
        try store.database.write { tx in try tx.mailbox.deleteAll() }
        #expect(try store.database.read { tx in try tx.mailbox.list(recipient: nil, limit: 10) }.isEmpty)
        #expect(try store.database.read { tx in try tx.mailbox.find(id: first) } == nil)
    }
}
