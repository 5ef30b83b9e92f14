import Mailer

/// Feeds arbitrary bytes to the SMTP reply parser, whole and split in two at a point the
/// input chooses, and checks both ways agree: the parser must never crash, hang, exceed its
/// limits or depend on how the bytes arrived from the socket.
func fuzzSMTPReply(_ bytes: [UInt8]) {
    let limits = SMTPReplyLimits(maximumLineLength: 512, maximumLines: 32)
    var whole = SMTPReplyParser(limits: limits)
    whole.feed(bytes)
    let expected = drain(&whole)

    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var parts = SMTPReplyParser(limits: limits)
    parts.feed(bytes[..<split])
    var got = drain(&parts)
    if !got.failed {
        parts.feed(bytes[split...])
        let rest = drain(&parts)
        got = Outcome(replies: got.replies + rest.replies, failed: rest.failed)
    }
    guard got.replies == expected.replies, got.failed == expected.failed else {
        trap("split parse differs from whole parse")
    }
}

private struct Outcome {
    var replies: [SMTPReply]
    var failed: Bool
}

private func drain(_ parser: inout SMTPReplyParser) -> Outcome {
    var replies: [SMTPReply] = []
    do {
        while let reply = try parser.next() {
            guard (200...599).contains(reply.code), reply.lines.count <= 32 else { trap("reply out of bounds") }
            replies.append(reply)
        }
    } catch {
        return Outcome(replies: replies, failed: true)
    }
    return Outcome(replies: replies, failed: false)
}

private func trap(_ message: String) -> Never {
    // A deliberate crash is how libFuzzer learns of a failed property.
    preconditionFailure(message)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    fuzzSMTPReply(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import FuzzSupport

/// Replays the corpus (or the files given) through the same checks.
@main
struct ReplaySMTPReply {
    static func main() {
        CorpusReplay.run(arguments: Array(CommandLine.arguments.dropFirst()), defaultPath: "Fuzz/SMTPReply/corpus") {
            fuzzSMTPReply($0)
        }
    }
}
#endif
