import HTTPCore

/// What must hold for any input to the form, query and path decoders (checked with
/// `precondition`, so a violation is a crash libFuzzer keeps):
/// - decoding never traps; on success the pairs respect the limits;
/// - re-encoding the pairs with `PercentEncoding.encode` and decoding again gives the same
///   pairs (the encoder and decoder agree);
/// - a decoded path holds no NUL and no dot segment, and re-encoding its segments decodes
///   back to it.
enum FormInvariants {
    static let limits = FormLimits(maxFields: 20, maxLength: 4096)

    static func check(_ input: [UInt8]) {
        if let form = try? FormData(urlEncoded: input, limits: limits) {
            precondition(form.pairs.count <= limits.maxFields, "too many pairs")
            let encoded = form.pairs.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
                .joined(separator: "&")
            guard let again = try? FormData(urlEncoded: Array(encoded.utf8), limits: FormLimits(maxFields: 20, maxLength: .max)) else {
                preconditionFailure("re-encoded form does not decode")
            }
            // Pairs with an empty name and value ("=") survive; empty sequences were dropped.
            precondition(again == form, "round trip changed the form")
        }
        let text = String(decoding: input, as: UTF8.self)
        _ = try? FormData(query: text[...], limits: limits)
        if let path = PercentEncoding.decodePath(text[...]) {
            // Split on bytes, not Characters: "/" followed by a combining mark is one Character.
            let segments = path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            precondition(!path.utf8.contains(0), "NUL in a decoded path")
            precondition(!segments.contains(".") && !segments.contains(".."), "dot segment in a decoded path")
            let reencoded = segments.map { PercentEncoding.encode($0) }.joined(separator: "/")
            precondition(PercentEncoding.decodePath(reencoded[...]) == path, "path round trip changed it")
        }
    }
}
