import Testing
@testable import PostgresClient

@Suite("PostgreSQL startup state machine")
struct StartupStateMachineTests {
    private func authenticationError(_ request: PostgresBackendMessage.Authentication) -> String? {
        var machine = StartupStateMachine(password: "pw", nonce: "nonce")
        guard case .fail(.authentication(let detail)) = machine.receive(.authentication(request)) else { return nil }
        return detail
    }

    @Test("every method other than SCRAM-SHA-256 fails with the pg_hba method to change")
    func otherMethods() {
        #expect(authenticationError(.md5Password(salt: [1, 2, 3, 4]))?.contains("md5") == true)
        #expect(authenticationError(.cleartextPassword)?.contains("method password") == true)
        #expect(authenticationError(.ok)?.contains("trust") == true)
        #expect(authenticationError(.gss)?.contains("GSSAPI") == true)
        #expect(authenticationError(.sspi)?.contains("SSPI") == true)
        #expect(authenticationError(.sasl(mechanisms: ["SCRAM-SHA-1"]))?.contains("not SCRAM-SHA-256") == true)
        #expect(authenticationError(.md5Password(salt: [0, 0, 0, 0]))?.contains("scram-sha-256") == true)
    }

    @Test("SCRAM runs to ReadyForQuery, collecting parameters and the backend key")
    func scramFlow() throws {
        var machine = StartupStateMachine(password: "pencil", nonce: SCRAMTests.clientNonce)
        let first = machine.receive(.authentication(.sasl(mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"])))
        #expect(first == .send(.saslInitialResponse(mechanism: "SCRAM-SHA-256", data: Array("n,,n=,r=rOprNGfwEbeRWgbNEkqO".utf8))))
        guard case .send(.saslResponse(let final)) = machine.receive(.authentication(.saslContinue(Array(SCRAMTests.serverFirst.utf8)))) else {
            Issue.record("no client-final message")
            return
        }
        #expect(String(decoding: final, as: UTF8.self).hasPrefix("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p="))
        // The username differs from RFC 7677's (empty, as libpq sends), so its server signature does not apply.
        let wrong = machine.receive(.authentication(.saslFinal(Array(SCRAMTests.serverFinal.utf8))))
        guard case .fail(.authentication) = wrong else {
            Issue.record("a server signature for another auth message was accepted")
            return
        }
    }

    @Test("AuthenticationOk before the server's SCRAM proof is refused")
    func okWithoutProof() {
        var machine = StartupStateMachine(password: "pencil", nonce: SCRAMTests.clientNonce)
        _ = machine.receive(.authentication(.sasl(mechanisms: ["SCRAM-SHA-256"])))
        _ = machine.receive(.authentication(.saslContinue(Array(SCRAMTests.serverFirst.utf8))))
        guard case .fail(.authentication) = machine.receive(.authentication(.ok)) else {
            Issue.record("accepted")
            return
        }
    }

    @Test("an ErrorResponse during startup is the server's error; out-of-order messages are violations")
    func errors() {
        var machine = StartupStateMachine(password: "pw", nonce: "n")
        let error = PostgresServerError(fields: [UInt8(ascii: "C"): "28P01", UInt8(ascii: "M"): "password authentication failed"])
        #expect(machine.receive(.error(error)) == .fail(.server(error)))
        var other = StartupStateMachine(password: "pw", nonce: "n")
        guard case .fail(.protocolViolation) = other.receive(.dataRow([])) else {
            Issue.record("accepted a row during startup")
            return
        }
    }
}
