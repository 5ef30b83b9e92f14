/// Why a `TYPE:NUMBER` document was refused, worded for the person who typed it.
public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingSeparator(String)
    case unknownType(String)
    case invalidNumber(DocumentType, String)
    case wrongCheckDigit(expected: Int)

    /// A one-line message for logs and the command line.
    public var description: String {
        switch self {
        case .missingSeparator(let text): "document '\(text)' must be TYPE:NUMBER, e.g. CC:1234567890"
        case .unknownType(let code):
            "unknown document type '\(code)'; use one of \(DocumentType.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidNumber(let type, let reason): "invalid \(type.rawValue) number: \(reason)"
        case .wrongCheckDigit(let expected): "NIT check digit does not match (expected \(expected))"
        }
    }
}

/// An identity document: a type and a normalized number.
///
/// Numbers are stored normalized so that lookups match however the user typed them: thousands
/// separators (`.`, spaces) dropped, letters upper-cased, and a NIT's check digit verified and
/// then dropped (it is computed from the number, `nitCheckDigit`).
public struct Document: Sendable, Hashable, CustomStringConvertible {
    /// The kind of document.
    public var type: DocumentType
    /// Normalized: no separators, upper case, a NIT without its check digit.
    public var number: String

    /// Digits (letters too for PA/SC), 3 to 15 of them once separators are dropped.
    public static let numberLengths = 3...15

    /// Validates and normalizes `number` for `type`.
    public init(type: DocumentType, number: String) throws(DocumentError) {
        var text = number.filter { $0 != "." && $0 != " " }
        if type == .nit, let dash = text.lastIndex(of: "-") {
            let check = text[text.index(after: dash)...]
            text = String(text[..<dash])
            guard check.count == 1, let digit = check.first?.wholeNumberValue, check.allSatisfy(\.isASCII) else {
                throw .invalidNumber(type, "the check digit after '-' must be one digit")
            }
            guard Document.numberLengths.contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidNumber(type, "expected \(Document.numberLengths.lowerBound) to \(Document.numberLengths.upperBound) digits")
            }
            let expected = Document.nitCheckDigit(text)
            guard digit == expected else { throw .wrongCheckDigit(expected: expected) }
        }
        text = text.uppercased()
        guard Document.numberLengths.contains(text.count) else {
            throw .invalidNumber(type, "expected \(Document.numberLengths.lowerBound) to \(Document.numberLengths.upperBound) characters")
        }
        let allowed: (Character) -> Bool = type.isAlphanumeric
            ? { $0.isASCII && ($0.isNumber || $0.isLetter) }
            : { $0.isASCII && $0.isNumber }
        guard text.allSatisfy(allowed) else {
            throw .invalidNumber(type, type.isAlphanumeric ? "only letters and digits" : "only digits")
        }
        self.type = type
        self.number = text
    }

    /// Parses `TYPE:NUMBER` (`CC:1234567890`, `NIT:900123456-8`, `PA:AB123456`).
    public init(parsing text: String) throws(DocumentError) {
        guard let colon = text.firstIndex(of: ":") else { throw .missingSeparator(text) }
        let code = String(text[..<colon]).trimmingSpaces
        guard let type = DocumentType(code: code) else { throw .unknownType(code) }
        try self.init(type: type, number: String(text[text.index(after: colon)...]).trimmingSpaces)
    }

    /// `TYPE:NUMBER`, the form `init(parsing:)` reads (a NIT without its check digit).
    public var description: String { "\(type.rawValue):\(number)" }

    /// How people write it: `NIT 900123456-8`, `CC 1234567890`.
    public var displayText: String {
        type == .nit ? "NIT \(number)-\(Document.nitCheckDigit(number))" : "\(type.rawValue) \(number)"
    }

    /// The DIAN check digit of a NIT: digits weighted from the right by 3, 7, 13, 17, 19, 23,
    /// 29, 37, 41, 43, 47, 53, 59, 67, 71; the sum mod 11 is the digit when 0 or 1, else 11 minus it.
    public static func nitCheckDigit(_ digits: String) -> Int {
        let weights = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71]
        var sum = 0
        for (index, character) in digits.reversed().enumerated() where index < weights.count {
            sum += (character.wholeNumberValue ?? 0) * weights[index]
        }
        let remainder = sum % 11
        return remainder < 2 ? remainder : 11 - remainder
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
