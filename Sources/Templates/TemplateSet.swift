import Dispatch
import Foundation

/// Every template of a folder (`Resources/templates`), parsed once and rendered from many
/// threads at once.
///
/// Templates are named by their path under the folder, extension included
/// (`cajacopi/restablecer.html`, `correos/restablecer.txt`); ``render(_:_:)`` also accepts a
/// name without extension and then tries `.html`, then `.txt`. The extension picks the
/// escaping (``TemplateMode``), so one email has an HTML and a text template side by side.
///
/// Loading parses every file and checks that every partial and layout named exists, so a
/// typo fails at start-up with `file:line`, not on the first request that hits it.
///
/// ```swift
/// let templates = try TemplateSet(directory: URL(fileURLWithPath: "Resources/templates"))
/// let page = try templates.render("cajacopi/restablecer", ["correo": .string(email)])
/// ```
public final class TemplateSet: @unchecked Sendable {
    // `snapshot` is read and replaced only under `lock` (see `withSnapshot`).
    /// The templates and, when loaded from disk, what the files looked like then.
    private struct Snapshot: Sendable {
        var templates: [String: Template]
        var stamps: [String: FileStamp]
        /// When the folder was last scanned (monotonic seconds), for ``TemplateOptions/reloadCheckInterval``.
        var checkedAt: Double = 0
    }

    /// A file's modification time and size: enough to notice an edit in development.
    struct FileStamp: Sendable, Equatable {
        let modified: Date
        let size: Int
    }

    /// How the set loads and renders.
    public let options: TemplateOptions
    /// The folder read, or `nil` for a set built from strings.
    public let directory: URL?
    /// A pthread lock rather than `Synchronization.Mutex`, whose futex ThreadSanitizer cannot
    /// see (it reported the guarded snapshot as raced).
    private let lock = NSLock()
    private var snapshot: Snapshot

    /// Loads every template file under `directory` (see ``TemplateOptions/extensions``).
    public init(directory: URL, options: TemplateOptions = TemplateOptions()) throws(TemplateError) {
        self.options = options
        self.directory = directory
        let stamps = try Self.scan(directory, options: options)
        snapshot = Snapshot(templates: try Self.load(directory, stamps: stamps), stamps: stamps)
    }

    /// Builds a set from sources keyed by name (with extension): for tests, and for emails
    /// kept in code. ``TemplateOptions/reloadOnChange`` has no effect here.
    public init(templates sources: [String: String], options: TemplateOptions = TemplateOptions()) throws(TemplateError) {
        self.options = options
        directory = nil
        var templates: [String: Template] = [:]
        for name in sources.keys.sorted() {
            templates[name] = try Template(name: name, source: sources[name] ?? "")
        }
        try Self.checkReferences(templates)
        snapshot = Snapshot(templates: templates, stamps: [:])
    }

    /// The names of the templates held, sorted.
    public var names: [String] {
        withSnapshot { $0.templates.keys.sorted() }
    }

    /// Renders the template `name` with `context`.
    ///
    /// Throws ``TemplateError`` naming the file and line at fault: a missing template,
    /// partial or layout, nesting past ``TemplateOptions/maxDepth``, a missing value in strict
    /// mode, or (with ``TemplateOptions/reloadOnChange``) a syntax error in an edited file.
    public func render(_ name: String, _ context: [String: TemplateValue]) throws(TemplateError) -> String {
        String(decoding: try renderUTF8(name, context), as: UTF8.self)
    }

    /// ``render(_:_:)`` as UTF-8 bytes, ready for a response body.
    public func renderUTF8(_ name: String, _ context: [String: TemplateValue]) throws(TemplateError) -> [UInt8] {
        let templates = try current()
        guard let template = templates[name] ?? templates[name + ".html"] ?? templates[name + ".txt"] else {
            throw TemplateError(.missingTemplate(name), file: name, line: 0)
        }
        var renderer = TemplateRenderer(templates: templates, options: options, context: context)
        try renderer.render(template)
        return renderer.output
    }

    /// The templates to render with, re-read first when in development and a file changed.
    private func current() throws(TemplateError) -> [String: Template] {
        guard options.reloadOnChange, let directory else {
            return withSnapshot { $0.templates }
        }
        let now = Self.monotonicSeconds()
        let interval = options.reloadCheckInterval
        if interval > 0, let fresh = withSnapshot({ now - $0.checkedAt < interval ? $0.templates : nil }) {
            return fresh
        }
        let stamps = try Self.scan(directory, options: options)
        if let unchanged = withSnapshot({ snapshot -> [String: Template]? in
            guard snapshot.stamps == stamps else { return nil }
            snapshot.checkedAt = now
            return snapshot.templates
        }) {
            return unchanged
        }
        // Parse outside the lock; two threads may both parse after an edit, which is
        // harmless (same files, same result) and keeps renders from waiting on each other.
        let templates = try Self.load(directory, stamps: stamps)
        withSnapshot { $0 = Snapshot(templates: templates, stamps: stamps, checkedAt: now) }
        return templates
    }

    private func withSnapshot<T>(_ body: (inout Snapshot) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&snapshot)
    }

    static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// The stamp of every template file under `directory`, by name.
    static func scan(_ directory: URL, options: TemplateOptions) throws(TemplateError) -> [String: FileStamp] {
        let root = directory.path
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue,
              let enumerator = files.enumerator(atPath: root) else {
            throw TemplateError(.unreadable("no such folder"), file: root, line: 0)
        }
        var stamps: [String: FileStamp] = [:]
        while let relative = enumerator.nextObject() as? String {
            let ext = (relative as NSString).pathExtension
            guard options.extensions.contains(ext) else { continue }
            guard let attributes = try? files.attributesOfItem(atPath: root + "/" + relative),
                  attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            stamps[relative] = FileStamp(
                modified: attributes[.modificationDate] as? Date ?? .distantPast,
                size: (attributes[.size] as? NSNumber)?.intValue ?? 0
            )
        }
        return stamps
    }

    /// Reads and parses the files in `stamps`, then checks their references.
    private static func load(_ directory: URL, stamps: [String: FileStamp]) throws(TemplateError) -> [String: Template] {
        var templates: [String: Template] = [:]
        for name in stamps.keys.sorted() {
            let data: Data
            do {
                data = try Data(contentsOf: directory.appendingPathComponent(name))
            } catch {
                throw TemplateError(.unreadable(String(describing: error)), file: name, line: 0)
            }
            guard let source = String(data: data, encoding: .utf8) else {
                throw TemplateError(.invalidEncoding, file: name, line: 0)
            }
            templates[name] = try Template(name: name, source: source)
        }
        try checkReferences(templates)
        return templates
    }

    /// Every `{{> partial}}` and `{{#extends}}` must name a template of the set.
    private static func checkReferences(_ templates: [String: Template]) throws(TemplateError) {
        for name in templates.keys.sorted() {
            guard let template = templates[name] else { continue }
            if let layout = template.layout, TemplateRenderer.resolve(layout.name, from: name, in: templates) == nil {
                throw TemplateError(.missingLayout(layout.name), file: name, line: layout.line)
            }
            for partial in template.partials where TemplateRenderer.resolve(partial.name, from: name, in: templates) == nil {
                throw TemplateError(.missingPartial(partial.name), file: name, line: partial.line)
            }
        }
    }
}
