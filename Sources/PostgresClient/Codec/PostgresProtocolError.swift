/// Why bytes from the server are not a valid backend message. The connection that saw one
/// is closed: after a framing error nothing that follows can be trusted.
public enum PostgresProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field ran past the end of its message.
    case truncated
    /// A length below the minimum, or past ``PostgresMessageLimits/maximumMessageLength``.
    case badLength(Int)
    /// A message type byte the protocol does not define.
    case unknownMessageType(UInt8)
    /// A field that is not what its message says it holds.
    case malformed(String)
    /// More columns or fields than the limits allow.
    case tooLarge(String)

    public var description: String {
        switch self {
        case .truncated: "a message is shorter than its fields"
        case .badLength(let n): "a message length of \(n) bytes is out of bounds"
        case .unknownMessageType(let t): "unknown message type 0x\(String(t, radix: 16))"
        case .malformed(let detail): detail
        case .tooLarge(let detail): detail
        }
    }
}
