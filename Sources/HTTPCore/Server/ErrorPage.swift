/// The small HTML page the server answers with for errors it produces itself (parse errors,
/// 404, 405, 500, 503) and for `HTTPError`s thrown by handlers.
///
/// Spanish, because users read it; every interpolated value is escaped.
///
/// Pages the server writes before any application code runs (a malformed request, 413, 431,
/// 503 when the queue is full) never pass an application's security-header middleware, so the
/// page carries its own (``SecurityHeaders/applyToServerPage(_:)``): it has no script, style or
/// image, so the policy allows nothing at all. A middleware that sees the page later keeps these.
public enum ErrorPage {
    /// A page for `status`, with `message` (or a default sentence) and, for server errors, the
    /// request id so that a user can quote it to support staff.
    public static func response(
        _ status: HTTPStatus,
        message: String? = nil,
        requestID: String? = nil,
        headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        let text = message ?? defaultMessage(for: status)
        var html = """
        <!doctype html>
        <html lang="es"><head><meta charset="utf-8"><title>\(status.code) \(escape(status.reason))</title></head>
        <body><h1>\(status.code)</h1><p>\(escape(text))</p>
        """
        if let requestID, !requestID.isEmpty {
            html += "<p>Código de la solicitud: <code>\(escape(requestID))</code></p>"
        }
        html += "</body></html>\n"
        var response = HTTPResponse.html(html, status: status)
        for (name, value) in headers { response.headers.add(name, value) }
        SecurityHeaders.applyToServerPage(&response)
        return response
    }

    static func defaultMessage(for status: HTTPStatus) -> String {
        switch status.code {
        case 400: "La solicitud no es válida."
        case 403: "No tiene permiso para ver esta página."
        case 404: "La página solicitada no existe."
        case 405: "Este método no está permitido para esta dirección."
        case 408: "La solicitud tardó demasiado en llegar."
        case 413: "La solicitud es demasiado grande."
        case 414: "La dirección solicitada es demasiado larga."
        case 431: "Los encabezados de la solicitud son demasiado grandes."
        case 501: "El servidor no implementa esta función."
        case 503: "El servicio está ocupado. Intente de nuevo en unos segundos."
        case 505: "Versión de HTTP no soportada."
        case 500..<600: "Ocurrió un error interno. Intente de nuevo más tarde."
        default: "No se pudo completar la solicitud."
        }
    }

    /// Escapes the five characters that matter in HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
