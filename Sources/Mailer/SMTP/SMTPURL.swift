import Foundation

/// Where and how to submit mail, parsed from `--smtp-url`.
///
/// - `smtp://user:pass@host:587`: STARTTLS required (RFC 3207); the default port is 587.
/// - `smtps://user:pass@host:465`: implicit TLS (RFC 8314 §3.3); the default port is 465.
/// - `smtp+plain://host:25` or `smtp://host:25?tls=none`: no TLS at all, which must be
///   written out; credentials are refused in this form, since AUTH would travel in clear.
/// - `?ca=/path/ca.pem`: trust this CA file instead of the system store.
///
/// User and password are percent-decoded (`%40` for `@`).
public struct SMTPURL: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected.
    public enum Security: String, Sendable, Equatable {
        case startTLS, implicitTLS, none
    }

    /// Host name or IP literal (without brackets); also the name the certificate must hold.
    public var host: String
    /// TCP port; 587 for smtp, 465 for smtps by default.
    public var port: Int
    /// STARTTLS, implicit TLS or none.
    public var security: Security
    /// AUTH user, percent-decoded.
    public var username: String?
    /// AUTH password, percent-decoded; never logged (see `description`).
    public var password: String?
    /// A PEM CA file to trust instead of the system store.
    public var caFile: String?

    /// A URL from its parts, unchecked (tests and callers that already validated).
    public init(host: String, port: Int, security: Security, username: String? = nil,
                password: String? = nil, caFile: String? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
    }

    /// Why a `--smtp-url` cannot be used.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, and what to write instead.
        public let description: String
    }

    /// Parses `text`, failing with a message that says what to write instead.
    public init(parsing text: String) throws(ParseError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw ParseError(description: "not a URL: expected smtp://user:pass@host:587 or smtps://host:465")
        }
        var security: Security
        switch scheme {
        case "smtp": security = .startTLS
        case "smtps": security = .implicitTLS
        case "smtp+plain": security = .none
        default:
            throw ParseError(description: "scheme '\(scheme)' is not smtp, smtps or smtp+plain")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ParseError(description: "the SMTP URL has no host")
        }
        var caFile: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "tls":
                guard item.value == "none", security == .startTLS else {
                    throw ParseError(description: "tls= only takes 'none', and only with smtp://")
                }
                security = .none
            case "ca":
                guard let value = item.value, !value.isEmpty else {
                    throw ParseError(description: "ca= needs a file path")
                }
                caFile = value
            default:
                throw ParseError(description: "unknown SMTP URL parameter '\(item.name)'")
            }
        }
        if let path = components.path.nilIfEmpty, path != "/" {
            throw ParseError(description: "the SMTP URL takes no path ('\(path)')")
        }
        let username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if security == .none && (username != nil || password != nil) {
            throw ParseError(description: "credentials without TLS would be sent in clear; use smtp:// (STARTTLS) or smtps://")
        }
        if (username == nil) != (password == nil) || username?.isEmpty == true {
            throw ParseError(description: "give both user and password (smtp://user:pass@host) or neither")
        }
        if let caFile, security == .none {
            throw ParseError(description: "ca=\(caFile) makes no sense without TLS")
        }
        let port = components.port ?? (security == .implicitTLS ? 465 : 587)
        guard (1...65535).contains(port) else {
            throw ParseError(description: "port \(port) is out of range")
        }
        self.init(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port,
                  security: security, username: username, password: password, caFile: caFile)
    }

    /// The URL with the password masked, for logs and `clave mail test`.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : (security == .none ? "smtp+plain" : "smtp")
        let user = username.map { "\($0):***@" } ?? ""
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(user)\(hostPart):\(port)" + (caFile.map { "?ca=\($0)" } ?? "")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
