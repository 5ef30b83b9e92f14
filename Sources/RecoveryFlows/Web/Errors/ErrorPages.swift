import ClaveLog
import HTTPCore
import Templates
import UserStore

/// The one place errors become pages: in Spanish, in the portal's theme when the path names a
/// portal, from `errores/error.html`.
///
/// An `HTTPResponseError` (``HTTPError``, ``RateLimited``, a spent hashing slot) renders its own
/// status, message and header fields; anything else is a 500 with the request id and one log
/// line. When the template itself cannot render, the server's plain `ErrorPage` is used, so an
/// error page never fails.
public enum ErrorPages {
    /// The page for `error`, thrown while answering `request`.
    public static func response(for error: any Error, request: HTTPRequest, context: AppContext) -> HTTPResponse {
        if let error = error as? any HTTPResponseError {
            return response(error.status, message: error.message, request: request, context: context, headers: error.headers)
        }
        if let error = error as? StoreError, error.isTemporary {
            // The database is away, busy or in conflict (a PostgreSQL restart, a lock held past
            // the timeout): nothing was committed, and asking again soon will work.
            context.logger.warning("database unavailable", ["path": String(request.path.prefix(80)), "request": request.requestID,
                                                            "error": "\(error)"])
            var headers = HTTPHeaders()
            headers.add("Retry-After", String(storeRetryAfterSeconds))
            return response(.serviceUnavailable, message: storeUnavailableMessage, request: request, context: context, headers: headers)
        }
        context.logger.error("handler failed", ["path": String(request.path.prefix(80)), "request": request.requestID,
                                                "error": String(describing: type(of: error)) + ": \(error)"])
        return response(.internalServerError, request: request, context: context)
    }

    /// What the page says while the database cannot be reached: nothing the person did was
    /// wrong, and nothing was changed.
    static let storeUnavailableMessage = "El servicio no está disponible en este momento. No se guardó ningún cambio: intente de nuevo en unos segundos."
    /// `Retry-After` on that page.
    static let storeRetryAfterSeconds = 5

    /// The page title for `status`.
    static func title(_ status: HTTPStatus) -> String {
        switch status.code {
        case 400: "Solicitud no válida"
        case 403: "Acceso denegado"
        case 404: "Página no encontrada"
        case 405: "Método no permitido"
        case 413: "Solicitud demasiado grande"
        case 429: "Demasiados intentos"
        case 503: "Servicio ocupado"
        default: status.code >= 500 ? "Error interno" : "No se pudo completar la solicitud"
        }
    }

    /// The title of a 404 for a path that looks like a broken emailed link.
    static let brokenLinkTitle = "Enlace no válido"
    /// What a broken emailed link's page says.
    static let brokenLinkMessage = "El enlace está incompleto o no es válido. Copie el enlace completo del correo o solicite un nuevo correo."

    /// The default sentence for `status`.
    static func message(_ status: HTTPStatus) -> String {
        switch status.code {
        case 403: "El formulario venció o no es válido. Vuelva a la página anterior, recárguela e intente de nuevo."
        case 429: "Ha realizado demasiados intentos. Por seguridad, espere unos minutos antes de intentar de nuevo."
        case 413: "Los datos enviados son demasiado grandes."
        case 400: "La solicitud no es válida. Revise los datos enviados."
        case 404: "La página solicitada no existe."
        case 405: "Este método no está permitido para esta dirección."
        case 503: "El servicio está ocupado. Intente de nuevo en unos segundos."
        default: status.code >= 500 ? "Ocurrió un error interno. Intente de nuevo más tarde." : "No se pudo completar la solicitud."
        }
    }

    /// The themed page for `status`. `message` is escaped by the template.
    static func response(_ status: HTTPStatus, message: String? = nil, request: HTTPRequest,
                         context: AppContext, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let portal = PortalTheme.forPath(request.path)
        var values: [String: TemplateValue] = [
            "titulo": .string(title(status)),
            "estado": .int(status.code),
            "mensaje": .string(message ?? Self.message(status)),
            "clase_cuerpo": .string(portal?.cssClass ?? "portal-chooser"),
            "desarrollo": .bool(context.configuration.mode == .development),
            "resumen_errores": .list([]),
            "pedir_correo": .bool(false),
        ]
        if let portal {
            values["portal"] = portal.templateValue
            // A 404 on a portal says what to do next: a broken emailed link is named as such.
            if status.code == 404 {
                values["pedir_correo"] = .bool(true)
                if message == nil, portal.isBrokenEmailLink(request.path) {
                    values["titulo"] = .string(brokenLinkTitle)
                    values["mensaje"] = .string(brokenLinkMessage)
                }
            }
        }
        if status.code >= 500, !request.requestID.isEmpty { values["codigo_solicitud"] = .string(request.requestID) }
        var response: HTTPResponse
        do {
            response = .html(try context.templates.render("errores/error.html", values), status: status)
        } catch {
            context.logger.error("error page template failed", ["error": "\(error)"])
            response = ErrorPage.response(status, message: message, requestID: request.requestID)
        }
        for (name, value) in headers { response.headers.replace(name, value) }
        return response
    }
}

/// Renders what the routes outside the shell throw (resources, the router's own 404 and 405,
/// missing static files) through ``ErrorPages``, so every error page of the app is themed.
struct ErrorMiddleware: HTTPMiddleware {
    /// Renders templates in memory: never blocks.
    var isNonBlocking: Bool { true }
    let context: AppContext

    func respond(to request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        do {
            return try next(request)
        } catch {
            return ErrorPages.response(for: error, request: request, context: context)
        }
    }
}
