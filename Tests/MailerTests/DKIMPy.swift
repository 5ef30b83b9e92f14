import Foundation
import Testing
import TestSupport

/// dkimpy (`import dkim`, pinned in Tests/requirements.txt), the independent verifier our
/// signatures are checked against, run from the test venv through `Tests/peers/dkim_verify.py`.
enum DKIMPy {
    /// Whether the venv can import dkim (checked once).
    static let isInstalled: Bool = {
        guard FileManager.default.isExecutableFile(atPath: SMTPPeer.python) else { return false }
        let probe = try? ChildProcess.run(URL(fileURLWithPath: SMTPPeer.python), ["-c", "import dkim"], timeout: 60)
        return probe?.status == 0
    }()

    /// Verifier tests run when dkimpy is installed, and also when `make test` requires real
    /// peers, so that a venv without it fails them instead of skipping them.
    static var shouldRun: Bool { isInstalled || SMTPPeer.required }

    /// Why a verifier test was skipped, for the test report.
    static let skipReason: Comment = "needs dkimpy in the venv (bash scripts/deps.sh, or CLAVE_VENV)"

    /// "ok" when dkimpy verifies the message at `path` against the TXT record
    /// `v=DKIM1; k=rsa; p=<publicKey>`, else "fail".
    static func verify(_ path: String, _ publicKey: String) throws -> String {
        let script = PackagePaths.root.appendingPathComponent("Tests/peers/dkim_verify.py").path
        let result = try ChildProcess.run(URL(fileURLWithPath: SMTPPeer.python), [script, path, publicKey])
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
