import HTTPCore

/// The placeholder home page at `/`, in Spanish. The web layer replaces this one function with
/// the portal chooser.
enum HomePage {
    static func response(_ request: HTTPRequest) -> HTTPResponse {
        .html("""
        <!doctype html>
        <html lang="es">
        <head><meta charset="utf-8"><title>Clave</title><link rel="stylesheet" href="/static/clave.css"></head>
        <body>
        <h1>Clave</h1>
        <p>Recuperación de contraseñas para los portales SOI, SECOP II y Cajacopi.</p>
        <p>El servicio está en construcción.</p>
        </body>
        </html>

        """)
    }
}
