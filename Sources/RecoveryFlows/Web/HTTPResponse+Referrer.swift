import HTTPCore

extension HTTPResponse {
    /// Marks a page that carries a token (a reset link's form with the hidden `token`) so the
    /// browser sends no `Referer` from it (DESIGN.md, Rules). GET pages whose query holds
    /// `token=` get this from ``SecurityHeaders`` already; POST re-renders need this call.
    public func noReferrer() -> HTTPResponse {
        var response = self
        response.headers.replace("Referrer-Policy", "no-referrer")
        return response
    }
}
