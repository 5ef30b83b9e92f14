/// An ordered list of header fields with case-insensitive look-up (RFC 9110 §5).
///
/// Order and repetition are kept because they matter: a repeated `Host` or `Content-Length`
/// must be seen to be rejected, and `Set-Cookie` is one field per cookie.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, Equatable {
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    public init() { fields = [] }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    /// The first value of `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        get { first(name) }
        set {
            // Only a list that holds the name is rewritten (a shared one is then copied).
            if contains(name) { remove(name) }
            if let newValue { fields.append((name: name, value: newValue)) }
        }
    }

    /// The first value of `name`.
    public func first(_ name: String) -> String? {
        fields.first { HTTPHeaders.sameName($0.name, name) }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { HTTPHeaders.sameName($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { HTTPHeaders.sameName($0.name, name) }
    }

    /// Makes room for `count` fields in all, so that adding several grows the list once.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Appends a field, keeping any earlier field of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field named `name` with one field.
    public mutating func replace(_ name: String, _ value: String) {
        self[name] = value
    }

    /// Removes every field named `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { HTTPHeaders.sameName($0.name, name) }
    }

    public func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// ASCII case-insensitive comparison: field names are tokens, so no Unicode folding.
    ///
    /// Every look-up, `replace` and the response writer call it once per field, so it
    /// compares the bytes in place when both strings are contiguous (native strings are).
    @inlinable
    public static func sameName(_ a: String, _ b: String) -> Bool {
        let a = a.utf8, b = b.utf8
        guard a.count == b.count else { return false }
        let inPlace: Bool? = a.withContiguousStorageIfAvailable { a in
            b.withContiguousStorageIfAvailable { b in
                for index in 0..<a.count where a[index] != b[index] {
                    guard foldsEqual(a[index], b[index]) else { return false }
                }
                return true
            }
        } ?? nil
        if let inPlace { return inPlace }
        for (x, y) in zip(a, b) where x != y {
            guard foldsEqual(x, y) else { return false }
        }
        return true
    }

    /// Two bytes equal once ASCII letters are lowered.
    @inlinable
    static func foldsEqual(_ x: UInt8, _ y: UInt8) -> Bool {
        let lx = (x >= 0x41 && x <= 0x5A) ? x | 0x20 : x
        let ly = (y >= 0x41 && y <= 0x5A) ? y | 0x20 : y
        return lx == ly
    }
}
