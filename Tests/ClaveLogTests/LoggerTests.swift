import Foundation
import Synchronization
import Testing
@testable import ClaveLog

/// Lines as operators read them: one event per line, fields that input cannot forge.
@Suite struct LoggerTests {
    final class Lines: Sendable {
        let stored = Mutex<[String]>([])
        var all: [String] { stored.withLock { $0 } }
        var sink: Logger.Sink { Logger.Sink { line in self.stored.withLock { $0.append(line) } } }
    }

    @Test func writesLevelLabelMessageAndFields() throws {
        let lines = Lines()
        let log = Logger(label: "http", level: .info, sink: lines.sink)
        log.info("request", ["method": "GET", "path": "/healthz", "status": "200"])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(" level=info label=http msg=request method=GET path=/healthz status=200"))
        let timestamp = line.dropFirst(3).prefix(24)
        #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"))
        #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: String(timestamp)) != nil)
    }

    @Test func dropsLinesBelowItsLevel() {
        let lines = Lines()
        let log = Logger(label: "x", level: .warning, sink: lines.sink)
        log.debug("a")
        log.info("b")
        log.warning("c")
        log.error("d")
        #expect(lines.all.count == 2)
        var off = log
        off.level = .off
        off.error("e")
        #expect(lines.all.count == 2)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("", "\"\""),
        ("two words", "\"two words\""),
        ("a=b", "\"a=b\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("line\nforged level=error", "\"line\\nforged level=error\""),
        ("cr\r", "\"cr\\r\""),
        ("bell\u{07}", "\"bell\\x07\""),
        ("café", "café"),
    ])
    func quotesWhatWouldBreakTheFormat(value: String, expected: String) {
        #expect(Logger.quote(value) == expected)
    }

    @Test func aValueCannotStartASecondLine() throws {
        let lines = Lines()
        Logger(label: "t", level: .info, sink: lines.sink).info("x", ["user": "a\nts=0 level=error msg=owned"])
        #expect(try #require(lines.all.first).split(separator: "\n").count == 1)
    }

    @Test func writerKeepsOrderAcrossFlushes() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let writer = LogWriter(descriptor: fds[1])
        for i in 0..<500 { writer.write(Array("line \(i)".utf8)) }
        writer.flush()
        close(fds[1])
        let text = String(decoding: FileHandle(fileDescriptor: fds[0]).readDataToEndOfFile(), as: UTF8.self)
        let got = text.split(separator: "\n").map(String.init)
        #expect(got == (0..<500).map { "line \($0)" })
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFractionalSeconds: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
