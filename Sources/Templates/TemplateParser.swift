/// Turns tokens into a node tree, matching sections and checking HTML attribute use.
struct TemplateParser {
    let file: String
    let mode: TemplateMode
    private(set) var layout: TemplateReference?
    private(set) var blocks: [String: [TemplateNode]] = [:]
    private(set) var partials: [TemplateReference] = []

    /// An open section waiting for its closing tag.
    private struct OpenSection {
        let keyword: String
        let argument: String
        let path: TemplatePath?
        let line: Int
        var body: [TemplateNode] = []
        var otherwise: [TemplateNode]?
    }

    private var root: [TemplateNode] = []
    private var stack: [OpenSection] = []
    private var sawTag = false
    private var html = HTMLAttributeContext()

    init(file: String, mode: TemplateMode) {
        self.file = file
        self.mode = mode
    }

    /// The node tree for `tokens`.
    mutating func parse(_ tokens: [TemplateToken]) throws(TemplateError) -> [TemplateNode] {
        for token in tokens {
            switch token {
            case .text(let bytes, let line):
                if mode == .html { html.feed(bytes) }
                if layout != nil, stack.isEmpty, let first = bytes.firstIndex(where: { !Self.isBlank($0) }) {
                    let newlines = bytes[..<first].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                    throw error(.contentOutsideBlock, line + newlines)
                }
                append(.text(bytes))
            case .tag(let tag, let line):
                try handle(tag, line: line)
            }
        }
        if let open = stack.last { throw error(.unclosedSection(open.keyword), open.line) }
        return root
    }

    private mutating func handle(_ tag: TemplateTag, line: Int) throws(TemplateError) {
        defer { if tag != .comment { sawTag = true } }
        if layout != nil, stack.isEmpty {
            switch tag {
            case .comment: break
            case .open("block", _): break
            case .open("extends", _): throw error(.misplacedExtends, line)
            default: throw error(.contentOutsideBlock, line)
            }
        }
        switch tag {
        case .comment:
            return
        case .value(let expression, let triple):
            let (path, output) = try value(expression, triple: triple, line: line)
            if mode == .html {
                switch html.value() {
                case .fine: break
                case .unquotedAttribute: throw error(.unquotedAttribute, line)
                case .startsURLAttribute(let attribute):
                    if output == .escaped { throw error(.unfilteredURL(attribute: attribute), line) }
                case .insideRawText(let element):
                    if output != .raw { throw error(.valueInRawText(element: element), line) }
                }
            }
            append(.value(path, output, line: line))
        case .partial(let name):
            partials.append(TemplateReference(name: name, line: line))
            append(.partial(name, line: line))
        case .open("extends", let argument):
            let name = argument.unquoted()
            guard !sawTag, layout == nil, stack.isEmpty, !name.isEmpty else { throw error(.misplacedExtends, line) }
            layout = TemplateReference(name: name, line: line)
        case .open(let keyword, let argument):
            var path: TemplatePath?
            if keyword == "block" {
                guard !argument.unquoted().isEmpty else { throw error(.invalidExpression(argument), line) }
            } else {
                guard let parsed = TemplatePath(Substring(argument)) else { throw error(.invalidExpression(argument), line) }
                path = parsed
            }
            stack.append(OpenSection(keyword: keyword, argument: argument.unquoted(), path: path, line: line))
        case .otherwise:
            guard var open = stack.popLast(), open.keyword != "block", open.otherwise == nil else {
                throw error(.misplacedElse, line)
            }
            open.otherwise = []
            stack.append(open)
        case .close(let keyword):
            guard let open = stack.popLast() else { throw error(.mismatchedClose(expected: nil, found: keyword), line) }
            guard open.keyword == keyword else { throw error(.mismatchedClose(expected: open.keyword, found: keyword), line) }
            try close(open)
        }
    }

    private mutating func close(_ open: OpenSection) throws(TemplateError) {
        let otherwise = open.otherwise ?? []
        let body = open.body
        switch open.keyword {
        case "block":
            guard blocks[open.argument] == nil else { throw error(.duplicateBlock(open.argument), open.line) }
            blocks[open.argument] = body
            append(.block(open.argument, body: body, line: open.line))
        case "each":
            guard let path = open.path else { return }
            append(.loop(path, body: body, empty: otherwise, line: open.line))
        default:
            guard let path = open.path else { return }
            append(.conditional(path, negated: open.keyword == "unless", then: body, otherwise: otherwise, line: open.line))
        }
    }

    /// Reads `path`, `path | raw`, `path | url`.
    private func value(_ expression: String, triple: Bool, line: Int) throws(TemplateError) -> (TemplatePath, TemplateOutput) {
        let parts = expression.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        guard let first = parts.first, let path = TemplatePath(Substring(first)) else {
            throw error(.invalidExpression(expression), line)
        }
        var output: TemplateOutput = triple ? .raw : .escaped
        for filter in parts.dropFirst() {
            switch filter {
            case "raw": output = .raw
            case "url": output = .url
            case "": throw error(.invalidExpression(expression), line)
            default: throw error(.unknownFilter(filter), line)
            }
        }
        return (path, output)
    }

    /// Adds a node to the innermost open section (its `else` branch once one was seen).
    private mutating func append(_ node: TemplateNode) {
        guard var open = stack.popLast() else {
            root.append(node)
            return
        }
        if open.otherwise != nil { open.otherwise?.append(node) } else { open.body.append(node) }
        stack.append(open)
    }

    private func error(_ kind: TemplateError.Kind, _ line: Int) -> TemplateError {
        TemplateError(kind, file: file, line: line)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
