import HTTPCore
import Templates

/// The page at `/`: one card per portal, leading to its login page.
enum PortalChooser {
    /// `GET /`.
    static let routes = RouteTable("clave", [
        .page("/") { request in
            let cards: [TemplateValue] = [PortalTheme.soi, .secop, .cajacopi].map { theme in
                .dictionary(["codigo": .string(theme.portal.rawValue), "nombre": .string(theme.name),
                             "lema": .string(theme.tagline), "ingreso": .string(theme.prefix + "/ingreso")])
            }
            return try request.page("inicio.html", title: "Clave: recuperación de contraseñas",
                                    values: ["portales": .list(cards)])
        },
    ])
}
