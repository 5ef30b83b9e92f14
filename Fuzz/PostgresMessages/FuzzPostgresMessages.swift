import PostgresClient

/// Feeds arbitrary bytes to the backend message decoder, whole and split in two at a point the
/// input chooses, and checks both ways agree: the decoder must never crash, never loop, never
/// return more than it was given and never depend on how the bytes arrived from the socket.
func fuzzPostgresMessages(_ bytes: [UInt8]) {
    let limits = PostgresMessageLimits(maximumMessageLength: 1 << 16, maximumColumns: 64, maximumErrorFields: 32)
    var whole = PostgresBackendDecoder(limits: limits)
    whole.feed(bytes)
    let expected = drain(&whole, inputLength: bytes.count)

    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var parts = PostgresBackendDecoder(limits: limits)
    parts.feed(bytes[..<split])
    var got = drain(&parts, inputLength: bytes.count)
    if !got.failed {
        parts.feed(bytes[split...])
        let rest = drain(&parts, inputLength: bytes.count)
        got = Outcome(messages: got.messages + rest.messages, failed: rest.failed)
    }
    guard got.messages == expected.messages, got.failed == expected.failed else {
        trap("split decode differs from whole decode")
    }
}

private struct Outcome {
    var messages: [PostgresBackendMessage]
    var failed: Bool
}

private func drain(_ decoder: inout PostgresBackendDecoder, inputLength: Int) -> Outcome {
    var messages: [PostgresBackendMessage] = []
    do {
        while let message = try decoder.next() {
            // Every message takes at least its 5-byte header.
            guard messages.count * 5 < inputLength else { trap("more messages than the input can hold") }
            if case .dataRow(let values) = message, values.count > 64 { trap("row wider than the limit") }
            if case .rowDescription(let columns) = message, columns.count > 64 { trap("description wider than the limit") }
            messages.append(message)
        }
    } catch {
        return Outcome(messages: messages, failed: true)
    }
    return Outcome(messages: messages, failed: false)
}

private func trap(_ message: String) -> Never {
    // A deliberate crash is how libFuzzer learns of a failed property.
    preconditionFailure(message)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    fuzzPostgresMessages(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import FuzzSupport

/// Replays the corpus (or the files given) through the same checks.
@main
struct ReplayPostgresMessages {
    static func main() {
        CorpusReplay.run(arguments: Array(CommandLine.arguments.dropFirst()), defaultPath: "Fuzz/PostgresMessages/corpus") {
            fuzzPostgresMessages($0)
        }
    }
}
#endif
