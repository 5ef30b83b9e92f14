/// Colombian identity document types, by the short codes forms and the CLI use.
public enum DocumentType: String, Sendable, CaseIterable, Codable {
    case cc = "CC"
    case ce = "CE"
    case ti = "TI"
    case pa = "PA"
    case nit = "NIT"
    case rc = "RC"
    case pep = "PEP"
    case ppt = "PPT"
    case cd = "CD"
    case sc = "SC"

    /// The full Spanish name shown next to the code in forms.
    public var fullName: String {
        switch self {
        case .cc: "Cédula de ciudadanía"
        case .ce: "Cédula de extranjería"
        case .ti: "Tarjeta de identidad"
        case .pa: "Pasaporte"
        case .nit: "NIT"
        case .rc: "Registro civil"
        case .pep: "Permiso especial de permanencia"
        case .ppt: "Permiso por protección temporal"
        case .cd: "Carné diplomático"
        case .sc: "Salvoconducto"
        }
    }

    /// Whether numbers of this type may hold letters (passports and safe-conducts do; the
    /// registries' numbers are digits only).
    public var isAlphanumeric: Bool { self == .pa || self == .sc }

    /// The code, case-insensitively (`cc` → `.cc`).
    public init?(code: String) {
        self.init(rawValue: code.uppercased())
    }
}
