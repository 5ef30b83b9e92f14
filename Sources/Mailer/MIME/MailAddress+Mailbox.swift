extension MailAddress {
    /// Parses an RFC 5322 `mailbox` as the outbox stores it: `local@domain`,
    /// `Name <local@domain>` or `"Name, Inc." <local@domain>`. The same checks as `init` apply.
    public init(mailbox text: String) throws(MailError) {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            try self.init(trimmed)
            return
        }
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        var name = String(trimmed[..<open]).trimmingWhitespace()
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        try self.init(address, displayName: name.isEmpty ? nil : name)
    }
}
