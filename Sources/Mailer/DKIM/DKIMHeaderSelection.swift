/// Which header fields a DKIM signature covers (its `h=` tag) and the bytes it hashes for them.
///
/// RFC 6376 §8.15: a signature that lists a field only as often as it occurs lets anyone add
/// one more above it (a second Subject or From that most mail readers show) or add a field the
/// message lacked (a Reply-To that takes the answers), and still verify. Listing every field
/// once more than it occurs, and a missing one once, signs a null instance in each place an
/// addition would land, so any addition breaks the signature.
///
/// ```swift
/// let selection = DKIMHeaderSelection(oversigning: ["From", "Reply-To"], in: message.headers)
/// selection.names            // ["from", "from", "reply-to"] for a message with one From
/// selection.canonicalHeaders // "from:Clave <no-responder@clave.test>\r\n"
/// ```
struct DKIMHeaderSelection: Sendable, Equatable {
    /// The `h=` tag's names, lower-cased, in signing order.
    let names: [String]
    /// The relaxed-canonical fields `names` pick out (RFC 6376 §5.4.2), concatenated: the
    /// header part of the data the signature covers.
    let canonicalHeaders: String

    /// The selection that oversigns each of `fields` (compared without case, repeats ignored)
    /// in a message whose header fields are `headers`, top to bottom.
    init(oversigning fields: [String], in headers: [(name: String, value: String)]) {
        var seen: Set<String> = []
        var names: [String] = []
        for field in fields.map({ $0.lowercased() }) where seen.insert(field).inserted {
            let occurrences = headers.count(where: { $0.name.lowercased() == field })
            names += Array(repeating: field, count: occurrences + 1)
        }
        self.init(names: names, in: headers)
    }

    /// The selection for an `h=` list as given, as a verifier reads it.
    ///
    /// RFC 6376 §5.4.2: a name listed n times takes the field's last n instances, from the
    /// bottom up; a name listed more often than its field occurs contributes nothing for the
    /// extra ones (the null field that oversigning signs).
    init(names: [String], in headers: [(name: String, value: String)]) {
        var used: [String: Int] = [:]
        var canonical = ""
        for name in names.map({ $0.lowercased() }) {
            let instances = headers.filter { $0.name.lowercased() == name }
            let taken = used[name, default: 0]
            used[name] = taken + 1
            guard taken < instances.count else { continue }
            let field = instances[instances.count - 1 - taken]
            canonical += DKIMCanonicalization.relaxedHeader(name: field.name, value: field.value)
        }
        self.names = names.map { $0.lowercased() }
        self.canonicalHeaders = canonical
    }
}
