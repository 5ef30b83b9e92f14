import COpenSSL

/// The scrypt key-derivation function (RFC 7914) from libcrypto's `EVP_PBE_scrypt`.
///
/// Memory-hard: each derivation needs about `128 · r · N` bytes, which is what makes guessing
/// passwords on GPUs expensive. `maxmem` is passed explicitly because OpenSSL's default cap
/// (32 MiB) would silently refuse larger parameters.
public enum Scrypt {
    /// Cost parameters: N = 2^`logN`, block size `r`, parallelism `p` (RFC 7914 §2).
    public struct Parameters: Sendable, Equatable, Hashable {
        /// log2 of the CPU/memory cost N.
        public var logN: Int
        /// Block size factor r.
        public var r: Int
        /// Parallelization factor p.
        public var p: Int

        /// Creates a value from its fields.
        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// N = 2^logN.
        public var n: UInt64 { 1 << UInt64(logN) }

        /// The bytes a derivation needs: V (128·r·(N+2)) plus B (128·r·p), OpenSSL's own sum.
        public var memoryBytes: UInt64 { 128 * UInt64(r) * (n + 2 + UInt64(p)) }

        /// Bounds enforced before calling libcrypto, so a hash string from the database (or a
        /// caller's typo) cannot ask for gigabytes or hours: logN 1...22, r 1...32, p 1...16.
        public var isWithinLimits: Bool {
            (1...22).contains(logN) && (1...32).contains(r) && (1...16).contains(p)
        }
    }

    /// Derives `length` bytes from `password` and `salt`.
    public static func derive(password: [UInt8], salt: [UInt8], parameters: Parameters, length: Int) throws(CryptoError) -> [UInt8] {
        guard parameters.isWithinLimits else {
            throw .malformed("scrypt parameters out of range: ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)")
        }
        guard (1...1024).contains(length) else { throw .malformed("scrypt output length \(length) out of range") }
        var out = [UInt8](repeating: 0, count: length)
        // One spare MiB over the exact need: OpenSSL compares with <=, and rounding differs by version.
        let maxmem = parameters.memoryBytes + 1 << 20
        let ok = password.withUnsafeBufferPointer { pass in
            salt.withUnsafeBufferPointer { saltBytes in
                out.withUnsafeMutableBufferPointer { key in
                    // Empty inputs still need non-null pointers for libcrypto.
                    var zero: UInt8 = 0
                    return withUnsafePointer(to: &zero) { fallback in
                        EVP_PBE_scrypt(
                            pass.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
                                ?? UnsafeRawPointer(fallback).assumingMemoryBound(to: CChar.self),
                            pass.count,
                            saltBytes.baseAddress ?? fallback, saltBytes.count,
                            parameters.n, UInt64(parameters.r), UInt64(parameters.p), maxmem,
                            key.baseAddress, key.count)
                    }
                }
            }
        }
        guard ok == 1 else { throw .libcrypto("EVP_PBE_scrypt") }
        return out
    }
}
