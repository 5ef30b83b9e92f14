import ClaveCrypto
import Foundation
import UserStore

extension UsersCommand {
    /// `users add`: validates every input before touching the database, then writes the user
    /// (and a new SOI aportante) in one transaction, so bad input writes nothing.
    static func add(_ arguments: inout Arguments) throws -> Int32 {
        guard let portalText = arguments.option("portal") else { throw CLIError("--portal is required (soi, secop or cajacopi)") }
        let portal = try parsePortal(portalText)
        let path = arguments.option("db") ?? DBCommand.defaultPath
        guard let emailText = arguments.option("email") else { throw CLIError("--email is required") }
        guard let email = EmailAddress(emailText) else { throw CLIError("invalid email address '\(emailText)'") }
        let username = arguments.option("username")
        let document = try arguments.option("document").map(parseDocument)
        let aportante = try arguments.option("aportante").map(parseDocument)
        let aportanteName = arguments.option("aportante-name")
        let phone = arguments.option("phone")
        let birthDate = try arguments.option("birth-date").map { text -> CalendarDate in
            guard let date = CalendarDate(text) else { throw CLIError("invalid birth date '\(text)'; use YYYY-MM-DD") }
            return date
        }
        let passwordFromStandardInput = arguments.flag("password-stdin")
        try arguments.finish()

        // Validate the shape for the portal first (the aportante id is filled in later for SOI).
        if portal == .soi {
            guard aportante != nil else { throw CLIError("--aportante TYPE:NUMBER is required for soi") }
        } else if aportante != nil || aportanteName != nil {
            throw CLIError("--aportante applies only to --portal soi")
        }
        let newUser: NewUser
        do {
            newUser = try NewUser(portal: portal, username: username, document: document,
                                  aportanteID: portal == .soi ? 0 : nil, email: email, phone: phone, birthDate: birthDate)
        } catch {
            throw CLIError(error.description)
        }

        let password: String
        if passwordFromStandardInput {
            password = try readPassword()
        } else {
            password = try generatePassword()
        }
        let hash: String
        do {
            hash = try PasswordHasher().hash(password)
        } catch {
            throw CLIError("could not hash the password: \(error)", status: 1)
        }

        let database = try DBCommand.open(path)
        let now = Date()
        let user: User
        do {
            user = try database.write { tx in
                if portal == .soi, let aportante, let document {
                    return try tx.users.createSOIUser(aportante: aportante, aportanteName: aportanteName, document: document,
                                                      email: email, phone: phone, birthDate: birthDate, passwordHash: hash, now: now)
                }
                return try tx.users.create(newUser, passwordHash: hash, now: now)
            }
        } catch let error as StoreError {
            switch error {
            case .constraint(.unique, _), .constraint(.primaryKey, _):
                throw CLIError("duplicate user: \(duplicateDescription(newUser)) already exists", status: 1)
            case .notFound:
                throw CLIError("aportante \(aportante?.description ?? "") does not exist; give --aportante-name to create it", status: 1)
            default:
                throw CLIError("\(error)", status: 1)
            }
        }
        _ = try? database.write { tx in
            try tx.auditLog.record(portal: portal.rawValue, userID: user.id, event: "admin.user-created",
                                   detail: "clave users add", at: now)
        }
        print("Created user \(user.id) on \(portal.displayName): \(try database.read { tx in try login(user, tx.users) }) <\(user.email)>")
        if !passwordFromStandardInput {
            print("Password (shown once, not stored): \(password)")
        }
        return 0
    }

    static func parseDocument(_ text: String) throws -> Document {
        do {
            return try Document(parsing: text)
        } catch {
            throw CLIError(error.description)
        }
    }

    static func duplicateDescription(_ user: NewUser) -> String {
        switch user.portal {
        case .secop: "a SECOP II user named '\(user.username ?? "")'"
        case .soi: "a SOI user with document \(user.document?.description ?? "") for this aportante"
        case .cajacopi: "a Cajacopi user with email \(user.email) or document \(user.document?.description ?? "")"
        }
    }

    /// One line from standard input, without its line ending. Refuses an empty or short password.
    static func readPassword() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }  // "\r\n" is one Character in Swift
        guard !text.contains("\n") else { throw CLIError("the password on standard input must be a single line") }
        guard text.count >= 8 else { throw CLIError("the password must have at least 8 characters") }
        guard text.utf8.count <= PasswordHasher.maximumPasswordBytes else {
            throw CLIError("the password must have at most \(PasswordHasher.maximumPasswordBytes) bytes")
        }
        return text
    }

    /// A readable random password (`SecureRandom.readablePassword`), printed once.
    static func generatePassword() throws -> String {
        do {
            return try SecureRandom.readablePassword()
        } catch {
            throw CLIError("could not generate a password: \(error)", status: 1)
        }
    }
}
