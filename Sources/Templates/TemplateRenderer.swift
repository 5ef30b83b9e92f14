/// Renders one template against one context into a single byte buffer.
///
/// Made per render call, so concurrent renders share nothing mutable: the templates are
/// immutable values and each renderer owns its buffer and scope stack.
struct TemplateRenderer {
    /// A page's block body and the template it was written in (for errors and partials).
    private struct Fill {
        let nodes: [TemplateNode]
        let template: Template
    }

    /// One `{{#each}}` level.
    private struct Scope {
        let item: TemplateValue
        let index: Int
        let count: Int
        let key: String?
    }

    let templates: [String: Template]
    let options: TemplateOptions
    let context: [String: TemplateValue]
    private(set) var output: [UInt8] = []
    private var scopes: [Scope] = []
    private var fills: [String: Fill] = [:]
    private var depth = 0

    init(templates: [String: Template], options: TemplateOptions, context: [String: TemplateValue]) {
        self.templates = templates
        self.options = options
        self.context = context
        output.reserveCapacity(8 * 1024)
    }

    /// Finds `name` as written, else with the extension of the template that names it, so
    /// `{{> partials/campo }}` in `login.html` means `partials/campo.html`.
    static func resolve(_ name: String, from template: String, in templates: [String: Template]) -> Template? {
        if let exact = templates[name] { return exact }
        guard let dot = template.lastIndex(of: "."), !template[dot...].contains("/") else { return nil }
        return templates[name + template[dot...]]
    }

    /// Renders `template`, first walking up its `{{#extends}}` chain: the outermost layout
    /// is rendered, and each block takes the innermost template's definition.
    mutating func render(_ template: Template) throws(TemplateError) {
        var current = template
        var levels = 0
        while let layout = current.layout {
            for (name, body) in current.blocks where fills[name] == nil {
                fills[name] = Fill(nodes: body, template: current)
            }
            guard let next = Self.resolve(layout.name, from: current.name, in: templates) else {
                throw TemplateError(.missingLayout(layout.name), file: current.name, line: layout.line)
            }
            levels += 1
            guard levels <= options.maxDepth else {
                throw TemplateError(.tooDeep(limit: options.maxDepth), file: current.name, line: layout.line)
            }
            current = next
        }
        try render(current.nodes, in: current)
    }

    private mutating func render(_ nodes: [TemplateNode], in template: Template) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let bytes):
                output.append(contentsOf: bytes)
            case .value(let path, let form, let line):
                guard let value = lookup(path) else {
                    if options.strict { throw TemplateError(.missingValue(path.text), file: template.name, line: line) }
                    continue
                }
                try write(value, form, mode: template.mode, path: path, file: template.name, line: line)
            case .conditional(let path, let negated, let then, let otherwise, _):
                let truthy = lookup(path)?.isTruthy ?? false
                try render(truthy != negated ? then : otherwise, in: template)
            case .loop(let path, let body, let empty, let line):
                try loop(path, body: body, empty: empty, in: template, line: line)
            case .partial(let name, let line):
                guard let partial = Self.resolve(name, from: template.name, in: templates) else {
                    throw TemplateError(.missingPartial(name), file: template.name, line: line)
                }
                try nested(partial.nodes, in: partial, file: template.name, line: line)
            case .block(let name, let body, let line):
                if let fill = fills[name] {
                    try nested(fill.nodes, in: fill.template, file: template.name, line: line)
                } else {
                    try render(body, in: template)
                }
            }
        }
    }

    /// Renders another template's nodes one level deeper, refusing to pass ``TemplateOptions/maxDepth``.
    private mutating func nested(_ nodes: [TemplateNode], in template: Template, file: String, line: Int) throws(TemplateError) {
        guard depth < options.maxDepth else {
            throw TemplateError(.tooDeep(limit: options.maxDepth), file: file, line: line)
        }
        depth += 1
        defer { depth -= 1 }
        try render(nodes, in: template)
    }

    private mutating func loop(
        _ path: TemplatePath, body: [TemplateNode], empty: [TemplateNode], in template: Template, line: Int
    ) throws(TemplateError) {
        let items: [(key: String?, value: TemplateValue)]
        switch lookup(path) {
        case .list(let list)?:
            items = list.map { (nil, $0) }
        case .dictionary(let entries)?:
            items = entries.keys.sorted().compactMap { key in entries[key].map { (key, $0) } }
        case nil where options.strict:
            throw TemplateError(.missingValue(path.text), file: template.name, line: line)
        default:
            items = []
        }
        guard !items.isEmpty else { return try render(empty, in: template) }
        for (index, item) in items.enumerated() {
            scopes.append(Scope(item: item.value, index: index, count: items.count, key: item.key))
            defer { scopes.removeLast() }
            try render(body, in: template)
        }
    }

    /// The value at `path`: loop items innermost first, then the context.
    private func lookup(_ path: TemplatePath) -> TemplateValue? {
        var value: TemplateValue?
        switch path.head {
        case .current: value = scopes.last?.item ?? .dictionary(context)
        case .index: value = scopes.last.map { .int($0.index) }
        case .number: value = scopes.last.map { .int($0.index + 1) }
        case .first: value = scopes.last.map { .bool($0.index == 0) }
        case .last: value = scopes.last.map { .bool($0.index == $0.count - 1) }
        case .key: value = scopes.last?.key.map { .string($0) }
        case .name(let name):
            for scope in scopes.reversed() {
                if case .dictionary(let entries) = scope.item, let found = entries[name] {
                    value = found
                    break
                }
            }
            if value == nil { value = context[name] }
        }
        for key in path.rest { value = value?[key] }
        return value
    }

    private mutating func write(
        _ value: TemplateValue, _ form: TemplateOutput, mode: TemplateMode, path: TemplatePath, file: String, line: Int
    ) throws(TemplateError) {
        switch value {
        case .string(let text), .trustedHTML(let text):
            switch form {
            case .raw: output.append(contentsOf: text.utf8)
            case .url: TemplateEscaping.append(TemplateEscaping.safeURL(text), to: &output, mode: mode)
            case .escaped:
                if case .trustedHTML = value {
                    output.append(contentsOf: text.utf8)
                } else {
                    TemplateEscaping.append(text, to: &output, mode: mode)
                }
            }
        case .int(let number):
            output.append(contentsOf: String(number).utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .list, .dictionary:
            if options.strict { throw TemplateError(.notPrintable(path.text), file: file, line: line) }
        }
    }
}
