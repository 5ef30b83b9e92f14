import Testing
@testable import ClaveCrypto

/// The queue under a TLS session's ciphertext: bytes leave in the order they came, whatever
/// the mix of appends, partial consumes and takes, across its growth and compaction.
@Suite struct ByteQueueTests {
    @Test func anEmptyQueueGivesNothing() {
        let queue = ByteQueue()
        #expect(queue.count == 0)
        #expect(queue.bytes.isEmpty)
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(buffer.withUnsafeMutableBytes { queue.take(into: $0) } == 0)
        queue.consume(5)
        #expect(queue.count == 0)
    }

    /// A model (an array) and the queue get the same operations; after each they must agree.
    @Test(arguments: [1, 7, 300, 5000, 40_000])
    func bytesLeaveInOrder(pieceSize: Int) {
        let queue = ByteQueue()
        var model: [UInt8] = []
        var next: UInt8 = 0
        for round in 0..<60 {
            let piece = (0..<pieceSize + round).map { _ -> UInt8 in
                next &+= 1
                return next
            }
            piece.withUnsafeBytes { queue.append($0) }
            model += piece
            if round % 3 == 0 {
                let dropped = min(model.count, pieceSize / 2 + round)
                queue.consume(dropped)
                model.removeFirst(dropped)
            } else {
                var buffer = [UInt8](repeating: 0, count: pieceSize + round / 2)
                let taken = buffer.withUnsafeMutableBytes { queue.take(into: $0) }
                #expect(Array(buffer[0..<taken]) == Array(model.prefix(taken)))
                model.removeFirst(taken)
            }
            #expect(queue.count == model.count)
            #expect(Array(queue.bytes) == model)
        }
        queue.consume(queue.count + 10)
        #expect(queue.count == 0)
    }
}
