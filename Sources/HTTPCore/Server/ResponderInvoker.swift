import ClaveLog

/// Calls the application's responder and turns whatever it throws into a response, so a
/// handler's error never reaches the event loop: an `HTTPResponseError` becomes its status page, anything
/// else a 500 page with the request id and one log line.
struct ResponderInvoker: Sendable {
    let responder: any HTTPResponder
    let logger: Logger

    func response(for request: HTTPRequest) -> HTTPResponse {
        do {
            return try responder.respond(to: request)
        } catch let error as any HTTPResponseError {
            return ErrorPage.response(error.status, message: error.message, requestID: request.requestID, headers: error.headers)
        } catch {
            logger.error("handler failed", [
                "method": request.method.rawValue,
                "path": String(request.path),
                "request_id": request.requestID,
                "error": String(describing: type(of: error)) + ": " + String(describing: error),
            ])
            return ErrorPage.response(.internalServerError, requestID: request.requestID)
        }
    }
}

/// A request on its way to a worker, and where its response goes back.
struct WorkerJob: Sendable {
    let request: HTTPRequest
    let token: UInt64
    let loop: EventLoop
}
