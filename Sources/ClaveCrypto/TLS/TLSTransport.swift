import COpenSSL

/// The ciphertext queues of one ``TLSServerSession`` and the BIO through which libssl reads
/// and writes them: reads take from ``input``, writes append to ``output``.
///
/// OpenSSL's memory BIO would do the same job at a cost paid on every response: each write
/// zeroes the room it grows into before copying (`BUF_MEM_grow_clean`), and the only way to
/// drop sent bytes is to read them out, one more copy into a scratch buffer. Here the event
/// loop sends straight from ``output`` and dropping sent bytes moves an offset.
final class TLSTransport {
    /// Ciphertext from the peer, not yet read by libssl.
    let input = ByteQueue()
    /// Ciphertext libssl wrote for the peer, not yet sent.
    let output = ByteQueue()

    /// A BIO over these queues, for `SSL_set_bio` (one BIO for both directions). It refers to
    /// `self` without retaining it: the session keeps both and frees the `SSL`, hence the
    /// BIO, first.
    func makeBIO() -> OpaquePointer? {
        guard let method = Self.method, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(self).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }

    private static func transport(_ bio: OpaquePointer?) -> TLSTransport? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<TLSTransport>.fromOpaque(data).takeUnretainedValue()
    }

    // `BIO_clear_retry_flags` and `BIO_set_retry_read` are macros, which Swift does not import.
    private static let retryFlags = Int32(BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY)

    /// Made once per process; BIO methods are immutable once set up and shared by all BIOs.
    nonisolated(unsafe) private static let method: OpaquePointer? = {
        guard let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "clave ciphertext queues") else { return nil }
        _ = BIO_meth_set_write_ex(method) { bio, data, count, written in
            guard let transport = TLSTransport.transport(bio), let data else { return 0 }
            BIO_clear_flags(bio, TLSTransport.retryFlags)
            transport.output.append(UnsafeRawBufferPointer(start: data, count: count))
            written?.pointee = count
            return 1
        }
        _ = BIO_meth_set_read_ex(method) { bio, data, count, read in
            guard let transport = TLSTransport.transport(bio), let data else { return 0 }
            BIO_clear_flags(bio, TLSTransport.retryFlags)
            let taken = transport.input.take(into: UnsafeMutableRawBufferPointer(start: data, count: count))
            guard taken > 0 else {
                // Empty means "retry once more bytes arrive", not end of file.
                BIO_set_flags(bio, Int32(BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY))
                return 0
            }
            read?.pointee = taken
            return 1
        }
        _ = BIO_meth_set_ctrl(method) { bio, command, _, _ in
            guard let transport = TLSTransport.transport(bio) else { return 0 }
            switch command {
            case BIO_CTRL_PENDING: return transport.input.count
            case BIO_CTRL_WPENDING: return transport.output.count
            case BIO_CTRL_FLUSH: return 1  // the event loop sends; nothing is held back here
            default: return 0
            }
        }
        return method
    }()
}

/// Bytes appended at the back and consumed from the front of one growing allocation; the
/// front moves back to the start when the queue empties, or when room is needed.
final class ByteQueue {
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0
    private var start = 0
    private var end = 0

    deinit { storage?.deallocate() }

    var count: Int { end - start }

    /// The queued bytes, valid until the next change.
    var bytes: UnsafeRawBufferPointer {
        guard let storage else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: storage + start, count: count)
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if end + bytes.count > capacity { makeRoom(for: bytes.count) }
        guard let storage else { return }
        (storage + end).copyMemory(from: source, byteCount: bytes.count)
        end += bytes.count
    }

    /// Drops the first `count` bytes (at most all of them).
    func consume(_ count: Int) {
        start += min(max(count, 0), self.count)
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Moves up to `buffer.count` bytes from the front into `buffer`; returns how many.
    func take(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let taken = min(buffer.count, count)
        guard taken > 0, let storage, let target = buffer.baseAddress else { return 0 }
        target.copyMemory(from: storage + start, byteCount: taken)
        consume(taken)
        return taken
    }

    private func makeRoom(for extra: Int) {
        let queued = count
        if queued + extra <= capacity, let storage {
            storage.copyMemory(from: storage + start, byteCount: queued)  // memmove: may overlap
        } else {
            // Twice what is needed: a response's records arrive in one write, then the queue
            // is drained; 16 KiB is one full TLS record and its overhead.
            let grownCapacity = max(16 * 1024 + 512, (queued + extra) * 2)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: grownCapacity, alignment: 16)
            if let storage {
                grown.copyMemory(from: storage + start, byteCount: queued)
                storage.deallocate()
            }
            storage = grown
            capacity = grownCapacity
        }
        start = 0
        end = queued
    }
}
