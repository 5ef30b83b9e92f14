import ClaveCrypto
import Foundation

/// Named secret keys of this installation (`rate-limit`, `flash`), kept in the database so that
/// every process using the file, and every restart, signs and keys with the same bytes.
///
/// A key is made on first use, from the CSPRNG, inside the caller's write transaction: two
/// processes starting together on a new file cannot each keep a different key, because the
/// writer lock makes one insert first and the other read it back. A key is never replaced;
/// losing the file loses only what the keys protect (counters, notices), never an account.
///
/// The keys are secrets: anyone holding the database holds them. They keep derived values
/// (rate-limit counter keys) from being reversed by someone who has only a copy of *other*
/// tables, logs or cookies, not from someone holding the whole file.
public struct ServerKeyRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// The length of every key, in bytes: HMAC-SHA256's block-sized security, 256 bits.
    public static var keyByteCount: Int { 32 }

    /// The key named `name` if it was made already; nil before its first use.
    public func existingKey(named name: String) throws -> [UInt8]? {
        try connection.queryOne("SELECT key FROM server_keys WHERE name = ?1", [name]) { row in try Self.bytes(of: row) }
    }

    /// Reads the stored key, refusing one of the wrong length: a truncated key would weaken every
    /// MAC made with it without anything failing.
    static func bytes(of row: Row) throws -> [UInt8] {
        guard case .blob(let bytes) = row.values.first, bytes.count == keyByteCount else {
            throw StoreError.invalidValue(column: "server_keys.key", reason: "not a \(keyByteCount)-byte key")
        }
        return bytes
    }
}

extension ServerKeyRepository where Access == WriteAccess {
    /// The key named `name`: made (32 CSPRNG bytes) and stored at `now` on first use, then the
    /// same bytes forever, in this process and every other one using the file.
    public func key(named name: String, now: Date) throws -> [UInt8] {
        if let key = try existingKey(named: name) { return key }
        let key = try SecureRandom.bytes(Self.keyByteCount)
        try connection.execute("INSERT INTO server_keys (name, key, created_at) VALUES (?1, ?2, ?3)", [name, key, now])
        return key
    }
}
