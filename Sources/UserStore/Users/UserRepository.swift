import Foundation

/// Users and aportantes: creation, look-ups by each portal's login, and the account state
/// (failed logins, locks, passwords) the flows change.
///
/// Obtained from a transaction (`tx.users`); look-ups work in any transaction, changes only in
/// `database.write` (they are declared `where Access == WriteAccess`).
///
/// ```swift
/// let user = try database.read { tx in try tx.users.findCajacopi(email: "ana@example.com") }
/// ```
public struct UserRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    // MARK: Aportantes

    /// The aportante with this document, if any.
    public func findAportante(document: Document) throws -> Aportante? {
        try connection.queryOne(
            "SELECT \(Aportante.columns) FROM aportantes WHERE document_type = ?1 AND document_number = ?2",
            [document.type.rawValue, document.number], Aportante.init(row:))
    }

    /// The aportante with this id, if any.
    public func findAportante(id: Int64) throws -> Aportante? {
        try connection.queryOne("SELECT \(Aportante.columns) FROM aportantes WHERE id = ?1", [id], Aportante.init(row:))
    }

    // MARK: Finding users

    /// The user with this id, if any.
    public func find(id: Int64) throws -> User? {
        try connection.queryOne("SELECT \(User.columns) FROM users WHERE id = ?1", [id], User.init(row:))
    }

    /// SECOP II login: the user name, compared in ``Identifier``'s normal form (the form the
    /// rate limits count), so every spelling that finds an account spends the same counter.
    public func findSecop(username: Identifier) throws -> User? {
        try connection.queryOne(
            "SELECT \(User.columns) FROM users WHERE portal = 'secop' AND username = ?1 COLLATE NOCASE",
            [username.key], User.init(row:))
    }

    /// SECOP II login by typed text (``Identifier/normalize(_:)`` applied); text with a
    /// control character finds nobody.
    public func findSecop(username: String) throws -> User? {
        guard let identifier = try? Identifier(username) else { return nil }
        return try findSecop(username: identifier)
    }

    /// SECOP II "forgot user name": every account registered with `email`, in ``Identifier``'s
    /// normal form.
    public func findSecop(email: Identifier) throws -> [User] {
        try connection.query(
            "SELECT \(User.columns) FROM users WHERE portal = 'secop' AND email = ?1 COLLATE NOCASE ORDER BY id",
            [email.key], User.init(row:))
    }

    /// SECOP II "forgot user name" by typed text; text with a control character finds nobody.
    public func findSecop(email: String) throws -> [User] {
        guard let identifier = try? Identifier(email) else { return [] }
        return try findSecop(email: identifier)
    }

    /// SOI login and "forgot password": the aportante's document and the user's document.
    public func findSOI(aportante: Document, user: Document) throws -> User? {
        try connection.queryOne("""
            SELECT \(User.columns(qualifiedBy: "u"))
            FROM users u JOIN aportantes a ON a.id = u.aportante_id
            WHERE u.portal = 'soi' AND a.document_type = ?1 AND a.document_number = ?2
              AND u.document_type = ?3 AND u.document_number = ?4
            """, [aportante.type.rawValue, aportante.number, user.type.rawValue, user.number], User.init(row:))
    }

    /// Cajacopi login and reset: the registered email in ``Identifier``'s normal form.
    public func findCajacopi(email: Identifier) throws -> User? {
        try connection.queryOne(
            "SELECT \(User.columns) FROM users WHERE portal = 'cajacopi' AND email = ?1 COLLATE NOCASE",
            [email.key], User.init(row:))
    }

    /// Cajacopi look-up by typed text; text with a control character finds nobody.
    public func findCajacopi(email: String) throws -> User? {
        guard let identifier = try? Identifier(email) else { return nil }
        return try findCajacopi(email: identifier)
    }

    /// Users oldest first, of one portal when given.
    public func list(portal: Portal? = nil, limit: Int = 1_000) throws -> [User] {
        try connection.query(
            "SELECT \(User.columns) FROM users WHERE CAST(?1 AS TEXT) IS NULL OR portal = ?1 ORDER BY id LIMIT ?2",
            [portal?.rawValue, max(0, limit)], User.init(row:))
    }

    /// The user, or `StoreError.notFound` (after a change that must have found it).
    func require(id: Int64) throws -> User {
        guard let user = try find(id: id) else { throw StoreError.notFound("user \(id)") }
        return user
    }
}

extension UserRepository where Access == WriteAccess {
    // MARK: Creating aportantes and users

    /// Adds an aportante; a duplicate document is `StoreError.constraint(.unique, ...)`.
    public func createAportante(document: Document, name: String, now: Date) throws -> Aportante {
        let id = try connection.insert(
            "INSERT INTO aportantes (document_type, document_number, name, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
            [document.type.rawValue, document.number, name, now])
        return Aportante(id: id, document: document, name: name, createdAt: now)
    }

    /// The aportante with `document`, created with `name` if there is none (names of existing
    /// aportantes are left alone).
    public func findOrCreateAportante(document: Document, name: String, now: Date) throws -> Aportante {
        try connection.execute("""
            INSERT INTO aportantes (document_type, document_number, name, created_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (document_type, document_number) DO NOTHING
            """, [document.type.rawValue, document.number, name, now])
        guard let aportante = try findAportante(document: document) else {
            throw StoreError.notFound("aportante \(document)")
        }
        return aportante
    }

    /// Stores a validated user with a password hash. A user who already exists (same SECOP user
    /// name, same SOI aportante + document, same Cajacopi email or document) is
    /// `StoreError.constraint(.unique, ...)`; an unknown aportante is `.constraint(.foreignKey, ...)`.
    public func create(_ user: NewUser, passwordHash: String, mustChangePassword: Bool = false, now: Date) throws -> User {
        let id = try connection.insert("""
            INSERT INTO users (portal, username, document_type, document_number, aportante_id, email, phone,
                               birth_date, password_hash, must_change_password, failed_logins, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11, ?11) RETURNING id
            """, [user.portal.rawValue, user.username, user.document?.type.rawValue, user.document?.number,
                  user.aportanteID, user.email.value, user.phone, user.birthDate?.description, passwordHash,
                  mustChangePassword, now])
        return try require(id: id)
    }

    /// Creates a SOI user and, when `aportanteName` is given and the aportante is new, its
    /// aportante. Inside one transaction, a refused user leaves no new aportante behind. Without
    /// a name, an unknown aportante is `StoreError.notFound`.
    ///
    /// - Parameters:
    ///   - aportante: the company's document.
    ///   - aportanteName: the company's name, to create it when it is new; nil to require it.
    ///   - document: the user's own document.
    ///   - email: where recovery mail goes.
    ///   - phone: optional.
    ///   - birthDate: optional.
    ///   - passwordHash: the `PasswordHasher` hash.
    ///   - mustChangePassword: whether the first login forces a change.
    ///   - now: the creation time.
    public func createSOIUser(aportante: Document, aportanteName: String?, document: Document, email: EmailAddress,
                              phone: String? = nil, birthDate: CalendarDate? = nil, passwordHash: String,
                              mustChangePassword: Bool = false, now: Date) throws -> User {
        if let aportanteName {
            try connection.execute("""
                INSERT INTO aportantes (document_type, document_number, name, created_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (document_type, document_number) DO NOTHING
                """, [aportante.type.rawValue, aportante.number, aportanteName, now])
        }
        guard let aportanteID = try connection.queryOne(
            "SELECT id FROM aportantes WHERE document_type = ?1 AND document_number = ?2",
            [aportante.type.rawValue, aportante.number], { try $0.int64(0) }) else {
            throw StoreError.notFound("aportante \(aportante)")
        }
        let user = try NewUser(portal: .soi, document: document, aportanteID: aportanteID, email: email,
                               phone: phone, birthDate: birthDate)
        return try create(user, passwordHash: passwordHash, mustChangePassword: mustChangePassword, now: now)
    }
}
