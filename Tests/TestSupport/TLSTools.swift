import Foundation

/// The real TLS clients the HTTPS live tests drive: Python's `ssl` (`Tests/peers/tls_client.py`),
/// `curl` and `openssl s_client`. Each runs to completion with a timeout; no test skips for
/// a missing one (`scripts/deps.sh` installs them), it fails with the tool's own error.
public enum TLSTools {
    /// `Tests/peers/tls_client.py MODE ARGUMENTS...`, its one JSON line decoded.
    public static func python(_ arguments: [String], timeout: TimeInterval = 60) throws -> [String: Any] {
        let script = PackagePaths.root.appendingPathComponent("Tests/peers/tls_client.py").path
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script] + arguments, timeout: timeout)
        guard result.status == 0, let line = result.standardOutput.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw PeerError("tls_client.py \(arguments.first ?? "") failed (\(result.status)): \(result.standardError)")
        }
        return object
    }

    /// `curl ARGUMENTS...` (silent, showing errors).
    public static func curl(_ arguments: [String], timeout: TimeInterval = 60) throws -> ChildProcess.Result {
        try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-sS", "--max-time", "20"] + arguments, timeout: timeout)
    }

    /// `openssl s_client -connect 127.0.0.1:PORT ARGUMENTS...` with `input` on its standard input.
    public static func sClient(port: Int, _ arguments: [String], input: String = "", timeout: TimeInterval = 30) throws -> ChildProcess.Result {
        try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                             ["openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"] + arguments,
                             input: input, timeout: timeout)
    }
}
