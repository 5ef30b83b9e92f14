import Foundation
import Synchronization

/// Why the common-password list could not be loaded.
public enum CommonPasswordListError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is missing or unreadable.
    case unreadable(path: String)
    /// The file holds no entries (a truncated copy would silently weaken the policy).
    case empty(path: String)

    /// A one-line message for logs.
    public var description: String {
        switch self {
        case .unreadable(let path): return "common-password list unreadable: \(path)"
        case .empty(let path): return "common-password list is empty: \(path)"
        }
    }
}

/// The list of passwords attackers try first (Resources/data/common-passwords.txt, see its
/// ATTRIBUTION.md), compared without regard to case.
///
/// The file has about 20,000 lines; `shared(path:)` loads it once per process and hands the
/// same set to every portal's policy.
public struct CommonPasswordList: Sendable {
    /// The entries, lower-cased.
    public let entries: Set<String>

    /// A list from literal entries (tests, or a caller's own list).
    public init<S: Sequence>(_ entries: S) where S.Element == String {
        self.entries = Set(entries.map { $0.lowercased() })
    }

    /// Reads one password a line; blank lines and surrounding spaces are ignored.
    public init(contentsOfFile path: String) throws(CommonPasswordListError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw .empty(path: path) }
        self.init(lines)
    }

    /// Whether `password`, ignoring case, is on the list.
    public func contains(_ password: String) -> Bool {
        entries.contains(password.lowercased())
    }

    /// The number of entries.
    public var count: Int { entries.count }

    private static let cache = Mutex<[String: CommonPasswordList]>([:])

    /// The list at `path`, read from disk the first time and kept for the life of the process.
    public static func shared(path: String) throws(CommonPasswordListError) -> CommonPasswordList {
        if let cached = cache.withLock({ $0[path] }) { return cached }
        let list = try CommonPasswordList(contentsOfFile: path)
        return cache.withLock { cached in
            if let existing = cached[path] { return existing }
            cached[path] = list
            return list
        }
    }

    /// The list shipped in a resources folder: `RESOURCES/data/common-passwords.txt`.
    public static func shared(resources: String) throws(CommonPasswordListError) -> CommonPasswordList {
        try shared(path: resources + "/data/common-passwords.txt")
    }
}
