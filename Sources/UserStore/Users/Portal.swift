/// The three portals Clave serves. Each identifies its users differently (see `NewUser`).
public enum Portal: String, Sendable, CaseIterable, Codable {
    case soi, secop, cajacopi

    /// The name users see.
    public var displayName: String {
        switch self {
        case .soi: "SOI"
        case .secop: "SECOP II"
        case .cajacopi: "Cajacopi"
        }
    }
}
