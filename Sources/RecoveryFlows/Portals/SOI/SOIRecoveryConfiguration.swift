import Foundation

/// SOI's recovery settings, with the defaults the portal's guide and DESIGN.md (Rules) ask
/// for (rate limits are the shell's `RateLimitPolicy`, routes `soi.forgot-password` and
/// `soi.change-password`). One value, built at start-up and passed in, so
/// tests can shorten lifetimes and raise limits without touching the flow.
public struct SOIRecoveryConfiguration: Sendable {
    /// How long an emailed temporary password works, and, once the user logs in with it, how
    /// long it may stay the password before "Cambio de Clave" is finished. Default 60 minutes
    /// (``defaultTemporaryPasswordLifetime``): a credential sitting in a mailbox is worth taking
    /// only while it lives, and the user asked for it just now; a new request is one form away.
    /// `clave serve --soi-temporary-minutes` sets it, within ``temporaryPasswordMinutes``.
    public var temporaryPasswordLifetime: TimeInterval
    /// The default lifetime: 60 minutes.
    public static let defaultTemporaryPasswordLifetime: TimeInterval = 3600
    /// The lifetimes an operator may choose, in minutes: at least 5 (time to read the mail), at
    /// most a day (the old default; longer keeps a mailed credential alive for no one's benefit).
    public static let temporaryPasswordMinutes: ClosedRange<Int> = 5...1440
    /// Groups of four readable characters in a temporary password (`SecureRandom.readablePassword`,
    /// 56 symbols: about 23 bits a group). Default 6, about 139 bits: the temporary password
    /// is a credential sent by email, so it meets the same 128-bit floor as reset tokens
    /// (DESIGN.md, Rules) while staying easy to read and copy (`Kp7m-Rt4x-...`).
    public var temporaryPasswordGroups: Int
    /// The base of links in emails (the configured public URL, never the Host header).
    public var publicURL: String
    /// Where the user can ask for help; printed in every SOI email (the guide's lines).
    public var contactLines: [String]
    /// The guide's contact lines (Bogotá, Medellín, resto del país).
    public static let guideContactLines = [
        "Bogotá: 3808880",
        "Medellín: 2040180",
        "Resto del país: 018000110764",
    ]

    /// Creates a configuration; every argument has the documented default.
    public init(temporaryPasswordLifetime: TimeInterval = SOIRecoveryConfiguration.defaultTemporaryPasswordLifetime, temporaryPasswordGroups: Int = 6,
                publicURL: String = "http://127.0.0.1:8080",
                contactLines: [String] = SOIRecoveryConfiguration.guideContactLines) {
        self.temporaryPasswordLifetime = temporaryPasswordLifetime
        self.temporaryPasswordGroups = temporaryPasswordGroups
        self.publicURL = publicURL
        self.contactLines = contactLines
    }
}
