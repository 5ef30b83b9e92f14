import Templates
import UserStore

/// How one portal looks and where its pages are: name, colours (a CSS class), footer lines.
///
/// No logos are copied: each portal is recognisable by a wordmark drawn for Clave (inline SVG,
/// `partials/marcas/`), its colours and its guide's wording.
public struct PortalTheme: Sendable, Equatable {
    /// The portal.
    public var portal: Portal
    /// The path prefix (`/soi`).
    public var prefix: String
    /// The name shown in the header.
    public var name: String
    /// A short line under the name.
    public var tagline: String
    /// The `<body>` class carrying the colours (`portal-soi`).
    public var cssClass: String
    /// Contact lines of the footer, as in the portal's guide (shared/seeds).
    public var footer: [String]
    /// Where a person asks for a new recovery email (the way forward from a broken link).
    public var recoveryRequestPath: String = ""
    /// The page an emailed link opens, when the portal's email has one: a path cut short or
    /// with junk after it (a link broken by a mail client) is treated as a broken link.
    public var emailLinkPath: String?

    /// The theme of `portal`.
    public static func of(_ portal: Portal) -> PortalTheme {
        switch portal {
        case .soi: soi
        case .secop: secop
        case .cajacopi: cajacopi
        }
    }

    /// Whether `path` looks like this portal's emailed link broken on its way (cut short by a
    /// line break, or with something stuck after it), not some other unknown page.
    public func isBrokenEmailLink(_ path: Substring) -> Bool {
        guard let link = emailLinkPath, path.count > prefix.count + 4 else { return false }
        let lowered = path.lowercased()
        return link.hasPrefix(lowered) || lowered.hasPrefix(link)
    }

    /// The theme of the portal a path belongs to (`/secop/...`), if any.
    public static func forPath(_ path: Substring) -> PortalTheme? {
        Portal.allCases.lazy.map(of).first { path == $0.prefix || path.hasPrefix($0.prefix + "/") }
    }

    /// SOI: Soluciones en Operaciones Integrales, PILA payments.
    public static let soi = PortalTheme(
        portal: .soi, prefix: "/soi", name: "SOI", tagline: "Pago de aportes a la seguridad social (PILA)",
        cssClass: "portal-soi",
        footer: ["Líneas de atención: Bogotá 380 8880 · Medellín 204 0180 · Resto del país 01 8000 110 764",
                 "Contáctenos y Consultor Virtual en www.soi.com.co",
                 "Entorno de demostración: no es el portal oficial."],
        recoveryRequestPath: "/soi/olvido-clave")
    /// SECOP II: Colombia Compra Eficiente's procurement platform.
    public static let secop = PortalTheme(
        portal: .secop, prefix: "/secop", name: "SECOP II", tagline: "Sistema Electrónico de Contratación Pública",
        cssClass: "portal-secop",
        footer: ["Mesa de Servicio: lunes a viernes de 7:00 a. m. a 7:00 p. m.; sábados de 8:00 a. m. a 12:00 p. m.",
                 "Línea nacional 018000 52 0808 · En Bogotá 745 6753 · www.colombiacompra.gov.co/soporte",
                 "Colombia Compra Eficiente nunca le pedirá su contraseña ni datos personales por correo.",
                 "Entorno de demostración: no es el portal oficial."],
        recoveryRequestPath: "/secop/olvide-contrasena", emailLinkPath: "/secop/cambiar-contrasena")
    /// Cajacopi EPS, plataforma Hanna.
    public static let cajacopi = PortalTheme(
        portal: .cajacopi, prefix: "/cajacopi", name: "Cajacopi", tagline: "Plataforma Hanna · Portal de afiliados",
        cssClass: "portal-cajacopi",
        footer: ["Si presenta algún inconveniente, comuníquese a nuestra línea de atención al cliente o escríbanos a asisplaneacion@cajacopi.com · www.cajacopi.com",
                 "Si no recibe el correo en 12 horas, revise la carpeta de spam o comuníquese con nuestras centrales de atención.",
                 "Entorno de demostración: no es el portal oficial."],
        recoveryRequestPath: "/cajacopi/restablecer", emailLinkPath: "/cajacopi/nueva-contrasena")

    /// The theme as template values (`portal.nombre`, `portal.clase`, `portal.pie`, ...).
    public var templateValue: TemplateValue {
        .dictionary([
            "codigo": .string(portal.rawValue),
            "nombre": .string(name),
            "lema": .string(tagline),
            "clase": .string(cssClass),
            "ruta": .string(prefix),
            "inicio": .string(prefix + "/inicio"),
            "ingreso": .string(prefix + "/ingreso"),
            "salir": .string(prefix + "/salir"),
            "pie": .list(footer.map { .string($0) }),
            "recuperar": .string(recoveryRequestPath),
            // Which wordmark the layout draws (`partials/marcas/…`: inline SVG drawn for Clave).
            "es_soi": .bool(portal == .soi), "es_secop": .bool(portal == .secop), "es_cajacopi": .bool(portal == .cajacopi),
        ])
    }
}
