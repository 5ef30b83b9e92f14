import Templates
import UserStore

/// Document types for `<select>`s, shown with their full names (DESIGN.md, Routes).
public enum DocumentTypeOptions {
    /// Types a person's document may have.
    public static let person: [DocumentType] = [.cc, .ce, .ti, .pa, .pep, .ppt, .rc, .cd, .sc]
    /// Types an aportante (company or person) may have.
    public static let aportante: [DocumentType] = [.nit, .cc, .ce, .pa, .ti, .pep, .ppt, .cd, .sc]

    /// `types` as template values (`codigo`, `nombre`, `elegido` when it is `selected`).
    public static func values(_ types: [DocumentType], selected: String) -> TemplateValue {
        .list(types.map { type in
            .dictionary(["codigo": .string(type.rawValue), "nombre": .string(type.fullName),
                         "elegido": .bool(type.rawValue == selected)])
        })
    }
}
