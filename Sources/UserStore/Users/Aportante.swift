import Foundation

/// A company that pays social security contributions through SOI; SOI users belong to one.
public struct Aportante: Sendable, Equatable {
    /// The row id.
    public var id: Int64
    /// The company's document (usually a NIT).
    public var document: Document
    /// The company name shown to users.
    public var name: String
    /// When the row was written.
    public var createdAt: Date

    /// Creates a value from its fields.
    public init(id: Int64, document: Document, name: String, createdAt: Date) {
        self.id = id
        self.document = document
        self.name = name
        self.createdAt = createdAt
    }

    static let columns = "id, document_type, document_number, name, created_at"

    init(row: Row) throws {
        guard let document = try Row.document(row, type: 1, number: 2) else {
            throw StoreError.invalidValue(column: "document_type", reason: "missing")
        }
        self.init(id: try row.int64(0), document: document, name: try row.string(3), createdAt: try row.date(4))
    }
}

extension Row {
    /// The document in columns `type` and `number`, nil when both are NULL.
    static func document(_ row: Row, type: Int, number: Int) throws -> Document? {
        guard let code = try row.optionalString(type), let value = try row.optionalString(number) else { return nil }
        guard let documentType = DocumentType(rawValue: code) else {
            throw StoreError.invalidValue(column: "document_type", reason: "unknown type '\(code)'")
        }
        do {
            return try Document(type: documentType, number: value)
        } catch {
            throw StoreError.invalidValue(column: "document_number", reason: error.description)
        }
    }
}
