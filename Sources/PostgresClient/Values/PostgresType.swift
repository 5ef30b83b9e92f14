/// Type OIDs from PostgreSQL's `pg_type` catalogue (stable across versions): the ones the
/// client encodes and decodes itself. Columns of any other type come back as text.
public enum PostgresType {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let name: UInt32 = 19
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let oid: UInt32 = 26
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let bpchar: UInt32 = 1042
    public static let varchar: UInt32 = 1043
    public static let timestamptz: UInt32 = 1184
    /// "Let the server infer it": the parameter type of a NULL.
    public static let unspecified: UInt32 = 0

    /// Types whose binary form the client decodes; results of these travel in binary.
    static let binaryDecodable: Set<UInt32> = [bool, bytea, name, int8, int2, int4, text, oid, float4, float8,
                                                bpchar, varchar, timestamptz]
}
