/// Bounds on what a form or query string may hold, so a hostile body costs little to refuse.
///
/// The defaults fit the portals' forms (a handful of short fields) with a wide margin.
public struct FormLimits: Sendable, Equatable {
    /// Most name/value pairs. Over it: `FormDecodingError.tooManyFields` (413).
    public var maxFields: Int = 100
    /// Most encoded bytes. Over it: `FormDecodingError.tooLong` (413).
    public var maxLength: Int = 64 * 1024

    /// The defaults above.
    public init() {}

    /// Limits with some values changed.
    public init(maxFields: Int = 100, maxLength: Int = 64 * 1024) {
        self.maxFields = maxFields
        self.maxLength = maxLength
    }
}
