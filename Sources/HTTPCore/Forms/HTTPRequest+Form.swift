extension HTTPRequest {
    /// The body decoded as an `application/x-www-form-urlencoded` form.
    ///
    /// Throws `.unsupportedMediaType` (415) when `Content-Type` is missing, another media
    /// type, or names a charset other than UTF-8 (HTML forms post UTF-8 pages in UTF-8);
    /// `.malformedEscape` / `.invalidUTF8` (400) and the limit errors (413) otherwise.
    public func form(limits: FormLimits = FormLimits()) throws(FormDecodingError) -> FormData {
        let contentType = headers["Content-Type"]
        guard let contentType, Self.isURLEncodedForm(contentType) else {
            throw .unsupportedMediaType(contentType)
        }
        return try FormData(urlEncoded: body, limits: limits)
    }

    /// The query string's pairs; empty when there is no query.
    ///
    /// A malformed query (bad `%` escape, not UTF-8, over the limits) also gives an empty
    /// form rather than an error: a page then behaves as if no parameter was given, which is
    /// what a handler does for a missing `token` anyway. Use `FormData(query:)` to tell the
    /// two apart.
    public var queryItems: FormData {
        guard let query else { return FormData() }
        return (try? FormData(query: query)) ?? FormData()
    }

    /// Whether `value` is `application/x-www-form-urlencoded`, with at most a UTF-8 charset
    /// parameter (RFC 9110 §8.3.1: type, subtype and parameter names are case-insensitive).
    static func isURLEncodedForm(_ value: String) -> Bool {
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        guard let mediaType = parts.first,
              mediaType.trimmingSpaces().lowercased() == "application/x-www-form-urlencoded"
        else { return false }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            guard pair[0].trimmingSpaces().lowercased() == "charset" else { continue }
            var charset = pair[1].trimmingSpaces()
            if charset.hasPrefix("\""), charset.hasSuffix("\""), charset.count >= 2 {
                charset = charset.dropFirst().dropLast()
            }
            if charset.lowercased() != "utf-8" { return false }
        }
        return true
    }
}
