/// Why a form body or query string could not be decoded. `status` is what the handler
/// answers: 400 for bad encoding, 413 for limits, 415 for a body that is not a form.
public enum FormDecodingError: Error, Sendable, Equatable {
    /// A `%` not followed by two hexadecimal digits.
    case malformedEscape
    /// A name or value that is not valid UTF-8 once decoded.
    case invalidUTF8
    /// More pairs than `FormLimits.maxFields`.
    case tooManyFields
    /// More bytes than `FormLimits.maxLength`.
    case tooLong
    /// The body's `Content-Type` (as sent, or nil when missing) is not
    /// `application/x-www-form-urlencoded`.
    case unsupportedMediaType(String?)

    /// The status a handler answers with.
    public var status: HTTPStatus {
        switch self {
        case .malformedEscape, .invalidUTF8: .badRequest
        case .tooManyFields, .tooLong: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        }
    }
}
