import Foundation
import Mailer

extension ServeConfiguration {
    /// Production never starts with what would hurt (shared/DESIGN.md): links that travel in
    /// clear, mail with nowhere to go, mail that receivers cannot tie to our domain (no From
    /// domain, a `localhost` EHLO, no DKIM unless `--no-dkim` says so), or SMTP credentials and
    /// reset links sent in clear over a network. Each refusal is one `CLIError` line, status 2,
    /// naming the option to give.
    func refuseWhatWouldHurtInProduction() throws {
        guard publicURL.scheme == "https", !publicURLIsDefault else {
            throw CLIError("production mode needs --public-url with an https:// URL")
        }
        guard let smtpURL else { throw CLIError("production mode needs --smtp-url") }
        guard mailDomain != nil else {
            throw CLIError("production mode needs --mail-domain: the domain the portals send from, "
                           + "matching the SMTP account and the DKIM key")
        }
        guard ehloName.lowercased() != "localhost" else {
            throw CLIError("production mode needs --ehlo-name with this host's public name, not localhost")
        }
        guard dkim != nil || dkimDisabled else {
            throw CLIError("production mode needs DKIM (--dkim-domain, --dkim-selector and --dkim-key), "
                           + "or --no-dkim to send unsigned mail knowingly")
        }
        guard smtpURL.security != .none || Self.isLoopbackListenAddress(smtpURL.host) else {
            throw CLIError("production mode refuses plaintext SMTP to \(smtpURL.host), which is not this machine: "
                           + "use smtp:// (STARTTLS) or smtps://; smtp+plain:// only reaches 127.0.0.1, ::1 or localhost")
        }
    }

    /// What the operator should know about settings that start but are not as safe as they
    /// could be: printed in the start banner, and what a readiness report (`/readyz`) lists.
    var warnings: [String] {
        var warnings: [String] = []
        if mode == .production, dkimDisabled {
            warnings.append("DKIM is off (--no-dkim): mail is sent unsigned and receivers may treat it as spam")
        }
        return warnings
    }

    /// Where mail goes: SMTP when `--smtp-url` is given, else (development only) the mailbox.
    func mailRoute() throws -> MailRoute {
        do {
            return try MailRoute.choose(smtpURL: smtpURL, developmentMode: mode == .development, ehloName: ehloName)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// The mail configuration, reading the DKIM key: its faults are one-line `CLIError`s.
    func mailConfiguration() throws -> MailConfiguration {
        MailConfiguration(messageIDDomain: mailDomain, ehloName: ehloName, dkim: try dkim?.load())
    }
}
