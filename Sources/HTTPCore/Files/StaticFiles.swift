/// Serves the files of one folder: `GET`/`HEAD` only, no way out of the folder, a content type
/// per extension, a strong `ETag` with `If-None-Match` answered by 304, and `Cache-Control`.
///
/// The folder is indexed once at start-up. A request is answered only when its decoded path
/// names an indexed file, so `..`, encoded slashes, symbolic links and hidden files can never
/// reach anything else. Files up to `Options.maxCachedFileSize` are held in memory and
/// answered inline on the event loop; larger ones are read from disk on a worker. Files added
/// after start-up are not served until a restart.
///
/// ```swift
/// router.mount("/static/", try StaticFiles(folder: "Resources/static"))
/// ```
public struct StaticFiles: HTTPResponder {
    /// Caching and size choices, with documented defaults.
    public struct Options: Sendable, Equatable {
        /// `Cache-Control: public, max-age=N`, in seconds. Default 3600 (an hour): the files
        /// are small and revalidation with the `ETag` is cheap.
        public var maxAge: Int = 3600
        /// Files up to this size are kept in memory. Default 1 MiB.
        public var maxCachedFileSize: Int = 1024 * 1024
        /// File served for a path ending in `/`. Default `index.html`.
        public var indexFile: String = "index.html"
        /// How a missing file (404) or another method (405) is answered, as the router does.
        /// Default the server's plain page.
        public var unmatched: Router.UnmatchedAnswer = .serverPage

        public init(maxAge: Int = 3600, maxCachedFileSize: Int = 1024 * 1024, indexFile: String = "index.html",
                    unmatched: Router.UnmatchedAnswer = .serverPage) {
            self.maxAge = maxAge
            self.maxCachedFileSize = maxCachedFileSize
            self.indexFile = indexFile
            self.unmatched = unmatched
        }
    }

    struct File: Sendable {
        let path: String
        let contentType: String
        let etag: String
        /// The bytes, when cached.
        let body: [UInt8]?
        /// The fields of a 304 and of a 200, built once at start-up rather than per request.
        let notModifiedHeaders: HTTPHeaders
        let okHeaders: HTTPHeaders

        init(path: String, contentType: String, etag: String, body: [UInt8]?, cacheControl: String) {
            self.path = path
            self.contentType = contentType
            self.etag = etag
            self.body = body
            notModifiedHeaders = ["ETag": etag, "Cache-Control": cacheControl]
            var ok = notModifiedHeaders
            ok.add("Content-Type", contentType)
            ok.add("X-Content-Type-Options", "nosniff")
            okHeaders = ok
        }
    }

    /// Problems found while indexing the folder.
    public enum Failure: Error, Sendable, Equatable {
        /// The folder does not exist or is not a directory.
        case notADirectory(String)
    }

    public let folder: String
    public let options: Options
    private let files: [String: File]
    /// The same files under the request path that names them as it is (`/css/app.css`), when
    /// that path needs no decoding: its name holds no `%` and no segment starts with a dot.
    /// Such a path decodes to itself and normalises to the file's key, so one look-up of the
    /// raw path finds what the full decoding would, without its copies.
    private let direct: [Substring: File]

    /// Indexes `folder`. Throws `Failure.notADirectory` when it is missing.
    public init(folder: String, options: Options = Options()) throws {
        guard FileSystem.isDirectory(folder) else { throw Failure.notADirectory(folder) }
        self.folder = folder
        self.options = options
        let cacheControl = "public, max-age=\(options.maxAge)"
        var files: [String: File] = [:]
        var direct: [Substring: File] = [:]
        for info in FileSystem.regularFiles(under: folder) {
            let path = folder + "/" + info.relativePath
            let type = ContentTypes.forPath(info.relativePath)
            let file: File
            if info.size <= options.maxCachedFileSize, let body = FileSystem.read(path) {
                file = File(path: path, contentType: type, etag: Self.etag(of: body), body: body, cacheControl: cacheControl)
            } else {
                let tag = "\"" + String(info.size, radix: 16) + "-" + String(info.modified, radix: 16) + "\""
                file = File(path: path, contentType: type, etag: tag, body: nil, cacheControl: cacheControl)
            }
            files[info.relativePath] = file
            if Self.isItsOwnRequestPath(info.relativePath) { direct[("/" + info.relativePath)[...]] = file }
        }
        self.files = files
        self.direct = direct
    }

    /// Whether `relativePath` (`css/app.css`), behind a slash, is a request path that
    /// ``file(for:)`` would decode to itself and resolve to this very file: no `%`, backslash
    /// or NUL, no empty segment and no segment starting with a dot.
    static func isItsOwnRequestPath(_ relativePath: String) -> Bool {
        let bytes = relativePath.utf8
        guard !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "\\") || $0 == 0 }) else { return false }
        return relativePath.split(separator: "/", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && !$0.hasPrefix(".") }
    }

    /// How many files were indexed.
    public var count: Int { files.count }

    /// The indexed file a request path names, or nil. `path` is the percent-encoded path
    /// relative to the mount (`/css/app.css`).
    func file(for path: Substring) -> File? {
        if let file = direct[path] { return file }
        // Dot segments, encoded slashes, backslashes and NUL never decode (PercentEncoding).
        guard let decoded = PercentEncoding.decodePath(path) else { return nil }
        var segments: [Substring] = []
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            guard !segment.hasPrefix(".") else { return nil }
            segments.append(segment)
        }
        if path.isEmpty || path.hasSuffix("/") {
            segments.append(Substring(options.indexFile))
        }
        let key: String = segments.joined(separator: "/")
        return files[key]
    }

    public func respond(to request: HTTPRequest) throws -> HTTPResponse {
        guard request.method == .get || request.method == .head else {
            let error = HTTPError(.methodNotAllowed, headers: ["Allow": "GET, HEAD"])
            if options.unmatched == .throwError { throw error }
            return ErrorPage.response(error.status, requestID: request.requestID, headers: error.headers)
        }
        guard let file = file(for: request.path) else {
            if options.unmatched == .throwError { throw HTTPError(.notFound) }
            return ErrorPage.response(.notFound, requestID: request.requestID)
        }
        // RFC 9110 §13.1.2: If-None-Match uses the weak comparison; `*` matches any file.
        if let condition = request.headers.first("If-None-Match"), Self.matches(condition, file.etag) {
            return HTTPResponse(status: .notModified, headers: file.notModifiedHeaders)
        }
        guard let body = file.body ?? FileSystem.read(file.path) else {
            throw HTTPError(.notFound)
        }
        return HTTPResponse(status: .ok, headers: file.okHeaders, body: body)
    }

    /// Inline for files in memory (and for the cheap 404/405 answers).
    public func respondsInline(to request: HTTPRequestHead) -> Bool {
        guard let file = file(for: request.path) else { return true }
        return file.body != nil
    }

    static func matches(_ condition: String, _ etag: String) -> Bool {
        for candidate in condition.split(separator: ",") {
            var tag = candidate.trimmingSpaces()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag || "W/" + tag == etag { return true }
        }
        return false
    }

    /// A strong validator from the content: FNV-1a 64 of the bytes and their length.
    static func etag(of body: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return "\"" + String(body.count, radix: 16) + "-" + String(hash, radix: 16) + "\""
    }
}
