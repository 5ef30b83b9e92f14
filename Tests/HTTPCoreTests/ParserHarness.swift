import HTTPCore

/// A comparable summary of a parser event, so tests can compare whole and split feeding.
enum ParsedEvent: Equatable, CustomStringConvertible {
    case head(method: String, target: String, version: String, headers: [String], expectsContinue: Bool)
    case request(method: String, target: String, version: String, headers: [String], body: [UInt8], trailers: [String])
    case error(HTTPParseError)

    init?(_ event: HTTPParserEvent, keepContinue: Bool = true) {
        switch event {
        case .needMore:
            return nil
        case .head(let head, let expectsContinue):
            self = .head(
                method: head.method.rawValue, target: head.target, version: head.version.description,
                headers: head.headers.map { "\($0.name): \($0.value)" },
                expectsContinue: keepContinue ? expectsContinue : false)
        case .request(let request):
            self = .request(
                method: request.method.rawValue, target: request.target, version: request.version.description,
                headers: request.headers.map { "\($0.name): \($0.value)" }, body: request.body,
                trailers: request.trailers.map { "\($0.name): \($0.value)" })
        case .error(let error):
            self = .error(error)
        }
    }

    var description: String {
        switch self {
        case .head(let m, let t, let v, let h, let c): "head(\(m) \(t) \(v) \(h) continue=\(c))"
        case .request(let m, let t, let v, let h, let b, let tr):
            "request(\(m) \(t) \(v) \(h) body=\(String(decoding: b, as: UTF8.self)) trailers=\(tr))"
        case .error(let e): "error(\(e))"
        }
    }

    var error: HTTPParseError? {
        if case .error(let error) = self { return error }
        return nil
    }
}

/// Feeding helpers for parser tests.
enum ParserHarness {
    /// Feeds `input` in pieces ending at `cuts`, draining events after each piece, and stops
    /// at the first error.
    static func events(
        _ input: [UInt8],
        cuts: [Int] = [],
        limits: HTTPLimits = HTTPLimits(),
        keepContinue: Bool = true
    ) -> [ParsedEvent] {
        var parser = HTTPRequestParser(limits: limits)
        var events: [ParsedEvent] = []
        var start = 0
        for end in cuts + [input.count] where end >= start {
            input[start..<end].withUnsafeBytes { parser.append($0) }
            start = end
            while true {
                let event = parser.next()
                guard let parsed = ParsedEvent(event, keepContinue: keepContinue) else { break }
                events.append(parsed)
                if parsed.error != nil { return events }
            }
        }
        return events
    }

    static func events(_ text: String, limits: HTTPLimits = HTTPLimits()) -> [ParsedEvent] {
        events(Array(text.utf8), limits: limits)
    }

    /// The first request of `text`, as handlers get it, or nil when the parser gives none.
    static func request(_ text: String) -> HTTPRequest? {
        var parser = HTTPRequestParser()
        Array(text.utf8).withUnsafeBytes { parser.append($0) }
        while true {
            switch parser.next() {
            case .request(let request): return request
            case .head: continue
            case .needMore, .error: return nil
            }
        }
    }

    /// The error the input ends with, if any.
    static func error(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPParseError? {
        events(text, limits: limits).last?.error
    }

    /// The status the input is answered with when it fails.
    static func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        error(text, limits: limits)?.status.code
    }

    /// Every way of feeding `input`: whole, in two pieces at each offset, and byte by byte.
    static func splits(of count: Int) -> [[Int]] {
        [[]] + (0...count).map { [$0] } + [Array(1..<max(count, 1))]
    }
}
