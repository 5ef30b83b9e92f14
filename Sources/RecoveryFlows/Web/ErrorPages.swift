import ClaveLog
import HTTPCore
import Templates

/// Error pages in Spanish (400, 403, 404, 405, 413, 429, 500, 503), in the portal's theme when
/// the path names a portal, from `errores/error.html`. When the template cannot render, the
/// server's plain `ErrorPage` is used, so an error page never fails.
public enum ErrorPages {
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

    /// The error page for `status`. `message` is escaped by the template.
    public static func response(_ status: HTTPStatus, message: String? = nil, request: HTTPRequest,
                                context: AppContext, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let portal = PortalTheme.forPath(request.path)
        var values: [String: TemplateValue] = [
            "titulo": .string(title(status)),
            "estado": .int(status.code),
            "mensaje": .string(message ?? Self.message(status)),
            "clase_cuerpo": .string(portal?.cssClass ?? "portal-chooser"),
            "desarrollo": .bool(context.configuration.mode == .development),
        ]
        if let portal { values["portal"] = portal.templateValue }
        if status.code >= 500, !request.requestID.isEmpty { values["codigo_solicitud"] = .string(request.requestID) }
        var response: HTTPResponse
        do {
            response = .html(try context.templates.render("errores/error.html", values), status: status)
        } catch {
            context.logger.error("error page template failed", ["error": "\(error)"])
            response = ErrorPage.response(status, message: message, requestID: request.requestID)
        }
        for (name, value) in headers { response.headers.replace(name, value) }
        response.headers.replace(ThemedErrors.marker, "1")
        return response
    }
}

/// Turns the router's own 404/405 pages, and errors thrown by plain router handlers, into
/// themed pages.
struct ThemedErrors: HTTPMiddleware {
    var isNonBlocking: Bool { true }
    /// An internal header marking pages already themed; removed before the response leaves.
    static let marker = "X-Clave-Themed"
    let context: AppContext

    func respond(to request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        var response: HTTPResponse
        do {
            response = try next(request)
        } catch let error as HTTPError {
            // Thrown by a plain router handler (mailbox API, images): a themed page, so the
            // security headers middleware still sees a response.
            response = ErrorPages.response(error.status, message: error.message, request: request, context: context,
                                           headers: error.headers)
        } catch {
            context.logger.error("handler failed", ["path": String(request.path.prefix(80)), "request": request.requestID,
                                                    "error": "\(error)"])
            response = ErrorPages.response(.internalServerError, request: request, context: context)
        }
        if response.headers[Self.marker] != nil {
            response.headers.remove(Self.marker)
            return response
        }
        guard response.status == .notFound || response.status == .methodNotAllowed,
              response.headers["Content-Type"]?.hasPrefix("text/html") == true else { return response }
        var headers = HTTPHeaders()
        if let allow = response.headers["Allow"] { headers.replace("Allow", allow) }
        var themed = ErrorPages.response(response.status, request: request, context: context, headers: headers)
        themed.headers.remove(Self.marker)
        return themed
    }
}
