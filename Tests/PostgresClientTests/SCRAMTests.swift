import ClaveCrypto
import Testing
@testable import PostgresClient

@Suite("SCRAM-SHA-256")
struct SCRAMTests {
    // RFC 7677 §3: user "user", password "pencil".
    static let clientNonce = "rOprNGfwEbeRWgbNEkqO"
    static let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    static let clientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    static let serverFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

    @Test("the client reproduces RFC 7677's example exchange")
    func rfc7677() throws {
        var client = SCRAMSHA256Client(username: "user", password: "pencil", clientNonce: Self.clientNonce)
        #expect(client.clientFirstMessage == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        #expect(try client.clientFinalMessage(serverFirst: Self.serverFirst) == Self.clientFinal)
        try client.verifyServerFinal(Self.serverFinal)
    }

    @Test("a server signature that does not verify is refused")
    func wrongServerSignature() throws {
        var client = SCRAMSHA256Client(username: "user", password: "pencil", clientNonce: Self.clientNonce)
        _ = try client.clientFinalMessage(serverFirst: Self.serverFirst)
        #expect(throws: PostgresError.self) { try client.verifyServerFinal("v=AAAARBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") }
        #expect(throws: PostgresError.authentication("SCRAM server error: invalid-proof")) {
            try client.verifyServerFinal("e=invalid-proof")
        }
    }

    @Test("a wrong password gives a different proof")
    func wrongPassword() throws {
        var client = SCRAMSHA256Client(username: "user", password: "pencil!", clientNonce: Self.clientNonce)
        #expect(try client.clientFinalMessage(serverFirst: Self.serverFirst) != Self.clientFinal)
        #expect(throws: PostgresError.self) { try client.verifyServerFinal(Self.serverFinal) }
    }

    @Test("a server-first message that does not extend the nonce, lacks a salt or asks too much is refused")
    func badServerFirst() {
        let bad = [
            "r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            "r=rOprNGfwEbeRWgbNEkqOxyz,s=!!!,i=4096",
            "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",
            "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999",
            "m=ext,r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            "garbage",
            "",
        ]
        for message in bad {
            var client = SCRAMSHA256Client(password: "pencil", clientNonce: Self.clientNonce)
            #expect(throws: PostgresError.self, "\(message)") { try client.clientFinalMessage(serverFirst: message) }
        }
    }

    @Test("usernames are escaped as saslname (RFC 5802 §5.1)")
    func usernameEscaping() {
        let client = SCRAMSHA256Client(username: "a,b=c", password: "x", clientNonce: "n")
        #expect(client.clientFirstMessage == "n,,n=a=2Cb=3Dc,r=n")
    }

    @Test("PBKDF2-HMAC-SHA256 matches RFC 7914's test vector")
    func pbkdf2() {
        let derived = PBKDF2SHA256.derive(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        #expect(derived.map(Hex.encode) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        #expect(PBKDF2SHA256.derive(password: [], salt: [], iterations: 0) == nil)
    }
}
