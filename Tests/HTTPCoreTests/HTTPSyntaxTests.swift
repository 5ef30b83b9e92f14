import Testing
@testable import HTTPCore

/// The word-at-a-time field-value check against the byte-at-a-time rule it stands for.
@Suite struct HTTPSyntaxTests {
    /// Every byte value at every position of buffers from 1 to 24 bytes (three words and
    /// their tails), among allowed neighbours of both kinds (ASCII and obs-text).
    @Test(arguments: [UInt8(ascii: "a"), 0x80, 0xFF])
    func theWordCheckAgreesWithTheByteRule(filler: UInt8) {
        for length in 1...24 {
            for position in 0..<length {
                for byte in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: filler, count: length)
                    bytes[position] = byte
                    let fast = bytes.withUnsafeBufferPointer { HTTPSyntax.areFieldValueBytes($0) }
                    guard fast == HTTPSyntax.isFieldValueByte(byte) else {
                        Issue.record("byte \(byte) at \(position) of \(length) among \(filler): \(fast)")
                        return
                    }
                }
            }
        }
    }

    @Test func anEmptyValueIsAllowed() {
        #expect([UInt8]().withUnsafeBufferPointer { HTTPSyntax.areFieldValueBytes($0) })
    }
}
