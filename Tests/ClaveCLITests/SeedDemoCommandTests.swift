import Foundation
import Testing
import TestSupport

@Suite struct SeedDemoCommandTests {
    @Test func seedsEveryPortalOnceAndPrintsPasswords() throws {
        let cli = try CLI()
        let first = try cli.run(["seed-demo"])
        #expect(first.status == 0, "\(first.standardError)")
        for expected in ["Soi-Demo-2026", "Secop-Demo-2026", "Cajacopi-Demo-2026", "demo.secop", "afiliado@example.com"] {
            #expect(first.standardOutput.contains(expected), "\(expected)")
        }
        #expect(first.standardOutput.components(separatedBy: "created").count - 1 == 4)
        let second = try cli.run(["seed-demo"])
        #expect(second.status == 0)
        #expect(second.standardOutput.components(separatedBy: "already present").count - 1 == 4)
        let listed = try cli.listedLogins()
        #expect(listed.count == 4)
        #expect(Set(try cli.run(["users", "list"]).standardOutput.split(separator: "\n").dropFirst()
            .compactMap { $0.split(separator: " ").dropFirst().first }) == ["soi", "secop", "cajacopi"])
    }

    @Test func demoPasswordsMeetCajacopiPolicy() {
        for password in ["Soi-Demo-2026", "Secop-Demo-2026", "Cajacopi-Demo-2026"] {
            #expect(password.count >= 8)
            #expect(password.contains(where: \.isUppercase) && password.contains(where: \.isLowercase) && password.contains(where: \.isNumber))
            for personal in ["1122334455", "3001234567", "1990", "0517", "19900517"] { #expect(!password.contains(personal)) }
        }
    }
}
