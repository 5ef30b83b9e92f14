/// Bounds the backend decoder enforces, so a broken or hostile server (or a man in the middle
/// on a `sslmode=disable` link) cannot make the client allocate without limit.
public struct PostgresMessageLimits: Sendable, Equatable {
    /// The largest message body, in bytes. Default 64 MiB: far above any row the store reads
    /// (its largest value is an email body), far below what would hurt the process.
    public var maximumMessageLength: Int
    /// The most columns in a row or a row description. Default 1,664: PostgreSQL's own limit
    /// on a select list (MaxTupleAttributeNumber).
    public var maximumColumns: Int
    /// The most fields in an ErrorResponse or NoticeResponse. Default 64 (there are 19 kinds).
    public var maximumErrorFields: Int

    public init(maximumMessageLength: Int = 64 << 20, maximumColumns: Int = 1_664, maximumErrorFields: Int = 64) {
        self.maximumMessageLength = maximumMessageLength
        self.maximumColumns = maximumColumns
        self.maximumErrorFields = maximumErrorFields
    }

    public static let `default` = PostgresMessageLimits()
}
