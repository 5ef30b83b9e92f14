import ClaveCrypto
import COpenSSL

/// Fuzzes how ``TLSServerSession`` copes with record boundaries: the TLS bytes of a real
/// handshake, a request and a response are moved between an OpenSSL client and our server in
/// pieces whose sizes the input chooses (1 to 256 bytes, every boundary inside a record
/// header, a record body or a handshake flight), and both must still see exactly the bytes
/// the other sent. Two more modes feed the server raw input as its ClientHello, and a valid
/// exchange with one byte flipped: neither may crash, and a flipped record must never decrypt
/// into plaintext the client did not send (AEAD).
func fuzzTLSRecords(_ input: [UInt8]) {
    guard let mode = input.first else { return }
    let schedule = PieceSchedule(Array(input.dropFirst()))
    switch mode % 3 {
    case 0: exchange(schedule)
    case 1: rawHello(Array(input.dropFirst()), schedule)
    default: flipped(Array(input.dropFirst()))
    }
}

let request = Array(("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 3000\r\n\r\n" + String(repeating: "q", count: 3000)).utf8)
let response = [UInt8]((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })

/// Piece sizes from the input, cycling; 1...256.
struct PieceSchedule {
    let sizes: [Int]
    var index = 0
    init(_ bytes: [UInt8]) { sizes = bytes.isEmpty ? [1] : bytes.map { Int($0) + 1 } }
    mutating func next() -> Int {
        defer { index = (index + 1) % sizes.count }
        return sizes[index]
    }
}

private func exchange(_ schedule: PieceSchedule) {
    var schedule = schedule
    guard let server = FuzzFixture.context.makeSession() else { trap("no session") }
    let client = FuzzClient()
    pump(client, server, &schedule)
    guard client.handshakeDone(), server.isHandshakeComplete else { trap("handshake did not finish") }
    client.write(request)
    var received = pump(client, server, &schedule)
    while received.count < request.count {
        let more = pump(client, server, &schedule)
        guard !more.isEmpty else { break }
        received += more
    }
    guard received == request else { trap("server plaintext differs from what the client sent") }
    var offset = 0
    while offset < response.count {
        let size = schedule.next() * 64
        let end = min(response.count, offset + size)
        let taken = response[offset..<end].withUnsafeBytes { server.write($0) }
        guard taken == end - offset else { trap("server did not take the whole write") }
        offset = end
    }
    pump(client, server, &schedule)
    guard client.read() == response else { trap("client plaintext differs from what the server sent") }
}

private func rawHello(_ bytes: [UInt8], _ schedule: PieceSchedule) {
    var schedule = schedule
    guard let server = FuzzFixture.context.makeSession() else { trap("no session") }
    var buffer = [UInt8](repeating: 0, count: 4096)
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + schedule.next())
        bytes[offset..<end].withUnsafeBytes { server.receive($0) }
        offset = end
        let result = buffer.withUnsafeMutableBytes { server.read(into: $0) }
        if case .bytes = result, !server.isHandshakeComplete { trap("plaintext before a handshake") }
        if case .failed = result { return }
        guard server.pendingOutput.count < 64 * 1024 else { trap("unbounded output") }
    }
}

private func flipped(_ bytes: [UInt8]) {
    guard bytes.count >= 3, let server = FuzzFixture.context.makeSession() else { return }
    var schedule = PieceSchedule([255])
    let client = FuzzClient()
    pump(client, server, &schedule)
    client.write(request)
    var record = client.takeOutput()
    guard !record.isEmpty else { trap("no record") }
    let position = (Int(bytes[0]) << 8 | Int(bytes[1])) % record.count
    record[position] ^= bytes[2] | 1
    record.withUnsafeBytes { server.receive($0) }
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var received: [UInt8] = []
    while case .bytes(let n) = buffer.withUnsafeMutableBytes({ server.read(into: $0) }) { received += buffer[0..<n] }
    guard received.count <= request.count, Array(request[0..<received.count]) == received else {
        trap("a flipped record decrypted into other plaintext")
    }
}

/// Moves bytes both ways in scheduled pieces until neither side has any; returns the server's plaintext.
@discardableResult
private func pump(_ client: FuzzClient, _ server: TLSServerSession, _ schedule: inout PieceSchedule) -> [UInt8] {
    var plaintext: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    for _ in 0..<1000 {
        _ = client.handshakeDone()
        let toServer = client.takeOutput()
        var offset = 0
        while offset < toServer.count {
            let end = min(toServer.count, offset + schedule.next())
            toServer[offset..<end].withUnsafeBytes { server.receive($0) }
            offset = end
            while case .bytes(let n) = buffer.withUnsafeMutableBytes({ server.read(into: $0) }) { plaintext += buffer[0..<n] }
        }
        _ = buffer.withUnsafeMutableBytes { server.read(into: $0) }
        let pending = Array(server.pendingOutput)
        server.consumeOutput(pending.count)
        var index = 0
        while index < pending.count {
            let end = min(pending.count, index + schedule.next())
            client.receive(Array(pending[index..<end]))
            index = end
        }
        if toServer.isEmpty && pending.isEmpty { break }
    }
    return plaintext
}

func trap(_ message: String) -> Never {
    // A deliberate crash is how libFuzzer learns of a failed property.
    preconditionFailure(message)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    fuzzTLSRecords(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import FuzzSupport

/// Replays the corpus (or the files given) through the same checks.
@main
struct ReplayTLSRecords {
    static func main() {
        CorpusReplay.run(arguments: Array(CommandLine.arguments.dropFirst()), defaultPath: "Fuzz/TLSRecords/corpus") {
            fuzzTLSRecords($0)
        }
    }
}
#endif
