import HTTPCore

/// What must hold for any input to `HTTPRequestParser`, checked with `precondition` so a
/// violation is a crash libFuzzer keeps.
///
/// - feeding the input whole, in two or three pieces at offsets derived from the input, and
///   (for short inputs) byte by byte gives the same events (`expectsContinue` aside, as it
///   depends on what was buffered);
/// - the parser never claims more bytes than it was given;
/// - every request respects the limits, and its header names and values hold no CR, LF or NUL;
/// - after an error, `next()` keeps returning the same error.
enum RequestInvariants {
    static let small = HTTPLimits(maxRequestLineLength: 64, maxHeaderFieldLength: 48, maxHeaderCount: 4,
                                  maxHeadLength: 160, maxBodyLength: 32, maxChunkLineLength: 24)

    static func check(_ input: [UInt8]) {
        for limits in [HTTPLimits(), small] {
            let whole = events(input, cuts: [], limits: limits)
            if !input.isEmpty {
                let first = Int(input[0]) % (input.count + 1)
                let second = (first + Int(input[input.count - 1]) * 7) % (input.count + 1)
                precondition(events(input, cuts: [first], limits: limits) == whole, "split at \(first) differs")
                precondition(events(input, cuts: [min(first, second), max(first, second)], limits: limits) == whole,
                             "split at \(first), \(second) differs")
            }
            if input.count <= 256 {
                precondition(events(input, cuts: Array(0..<input.count), limits: limits) == whole, "byte by byte differs")
            }
        }
    }

    /// Feeds `input` in pieces ending at `cuts`, drains events, and checks the per-event rules.
    static func events(_ input: [UInt8], cuts: [Int], limits: HTTPLimits) -> [String] {
        var parser = HTTPRequestParser(limits: limits)
        var out: [String] = []
        var start = 0
        var appended = 0
        for end in cuts + [input.count] where end >= start {
            input[start..<end].withUnsafeBytes { parser.append($0) }
            appended += end - start
            start = end
            while true {
                let buffered = parser.bufferedByteCount
                precondition(buffered >= 0 && buffered <= appended, "buffered \(buffered) of \(appended)")
                switch parser.next() {
                case .needMore:
                    break
                case .head(let head, _):
                    checkHead(head, limits: limits)
                    out.append("head \(describe(head))")
                    continue
                case .request(let request):
                    checkHead(request.head, limits: limits)
                    precondition(request.body.count <= limits.maxBodyLength, "body over the limit")
                    precondition(request.headers.count + request.trailers.count <= limits.maxHeaderCount, "too many fields")
                    for field in request.trailers { checkField(field.name, field.value) }
                    out.append("request \(describe(request.head)) body=\(request.body) trailers=\(request.trailers.map { "\($0.name):\($0.value)" })")
                    continue
                case .error(let error):
                    guard case .error(let again) = parser.next(), again == error else {
                        preconditionFailure("error is not sticky")
                    }
                    out.append("error \(error)")
                    return out
                }
                break
            }
        }
        return out
    }

    static func checkHead(_ head: HTTPRequestHead, limits: HTTPLimits) {
        precondition(head.target.utf8.count <= limits.maxRequestLineLength, "target over the limit")
        precondition(head.target.hasPrefix("/") || head.target == "*", "target form")
        precondition(head.headers.count <= limits.maxHeaderCount, "too many fields")
        for field in head.headers { checkField(field.name, field.value) }
    }

    static func checkField(_ name: String, _ value: String) {
        precondition(!name.isEmpty, "empty field name")
        for byte in Array(name.utf8) + Array(value.utf8) {
            precondition(byte != 0x0D && byte != 0x0A && byte != 0x00, "CR, LF or NUL in a field")
        }
        precondition(value.first != " " && value.last != " ", "untrimmed value")
    }

    static func describe(_ head: HTTPRequestHead) -> String {
        "\(head.method) \(head.target) \(head.version) \(head.headers.map { "\($0.name):\($0.value)" })"
    }
}
