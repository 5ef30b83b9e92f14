import Foundation

/// SOI's recovery settings, with the defaults the portal's guide and DESIGN.md (Rules) ask
/// for (rate limits are the shell's `RateLimitPolicy`, routes `soi.forgot-password` and
/// `soi.change-password`). One value, built at start-up and passed in, so
/// tests can shorten lifetimes and raise limits without touching the flow.
public struct SOIRecoveryConfiguration: Sendable {
    /// How long an emailed temporary password works. Default 24 hours (the guide's portal keeps
    /// it a day; shorter would strand users who read mail the next morning).
    public var temporaryPasswordLifetime: TimeInterval
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
    public init(temporaryPasswordLifetime: TimeInterval = 24 * 3600, temporaryPasswordGroups: Int = 6,
                publicURL: String = "http://127.0.0.1:8080",
                contactLines: [String] = SOIRecoveryConfiguration.guideContactLines) {
        self.temporaryPasswordLifetime = temporaryPasswordLifetime
        self.temporaryPasswordGroups = temporaryPasswordGroups
        self.publicURL = publicURL
        self.contactLines = contactLines
    }
}
