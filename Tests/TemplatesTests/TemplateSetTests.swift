import Foundation
import Testing
import TestSupport
@testable import Templates

@Suite("Template sets from a folder")
struct TemplateSetTests {
    /// Writes `files` (name → content) under a fresh folder.
    static func folder(_ files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "clave-templates")
        for (name, content) in files { try write(content, to: name, in: directory) }
        return directory
    }

    static func write(_ content: String, to name: String, in directory: TemporaryDirectory) throws {
        let url = directory.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    @Test("loads nested folders, names by relative path, picks the mode by extension")
    func loadsFolder() throws {
        let directory = try Self.folder([
            "layout.html": "<body>{{#block \"contenido\"}}{{/block}}</body>",
            "cajacopi/restablecer.html": "{{#extends \"layout\"}}{{#block \"contenido\"}}<p>{{ correo }}</p>{{> partials/pie }}{{/block}}",
            "partials/pie.html": "<small>Cajacopi</small>",
            "correos/restablecer.txt": "Hola {{ nombre }}: {{ enlace }}",
            "correos/restablecer.html": "<a href=\"{{ enlace | url }}\">Restablecer</a> {{ nombre }}",
            "notas.md": "{{ no es plantilla",
        ])
        let set = try TemplateSet(directory: directory.url)
        #expect(set.names == ["cajacopi/restablecer.html", "correos/restablecer.html", "correos/restablecer.txt",
                              "layout.html", "partials/pie.html"])
        #expect(try set.render("cajacopi/restablecer", ["correo": "a<b@c.co"])
            == "<body><p>a&lt;b@c.co</p><small>Cajacopi</small></body>")
        let context: [String: TemplateValue] = ["nombre": "O'Neil <x>", "enlace": "https://c.co/r?t=1&u=2"]
        #expect(try set.render("correos/restablecer.txt", context) == "Hola O'Neil <x>: https://c.co/r?t=1&u=2")
        #expect(try set.render("correos/restablecer.html", context)
            == "<a href=\"https:&#x2F;&#x2F;c.co&#x2F;r?t=1&amp;u=2\">Restablecer</a> O&#39;Neil &lt;x&gt;")
    }

    @Test("a syntax error in any file fails the load with its file and line")
    func loadError() throws {
        let directory = try Self.folder(["bien.html": "ok", "soi/mal.html": "uno\ndos\n{{#if x}}tres"])
        #expect(throws: TemplateError(.unclosedSection("if"), file: "soi/mal.html", line: 3)) {
            try TemplateSet(directory: directory.url)
        }
        #expect(throws: TemplateError.self) {
            try TemplateSet(directory: directory.url.appendingPathComponent("no-existe"))
        }
    }

    @Test("a file that is not UTF-8 is refused by name")
    func invalidEncoding() throws {
        let directory = try Self.folder([:])
        try Data([0x3C, 0xFF, 0xFE]).write(to: directory.url.appendingPathComponent("roto.html"))
        #expect(throws: TemplateError(.invalidEncoding, file: "roto.html", line: 0)) {
            try TemplateSet(directory: directory.url)
        }
    }

    @Test("reload checks the folder at most once per interval, then sees the edit")
    func reloadIsThrottled() throws {
        let directory = try Self.folder(["a.html": "uno"])
        let set = try TemplateSet(directory: directory.url, options: TemplateOptions(reloadOnChange: true, reloadCheckInterval: 0.3))
        #expect(try set.render("a", [:]) == "uno")
        try Self.write("dos, más largo", to: "a.html", in: directory)
        #expect(try set.render("a", [:]) == "uno")
        Thread.sleep(forTimeInterval: 0.35)
        #expect(try set.render("a", [:]) == "dos, más largo")
    }

    @Test("with reloadOnChange an edited, added or broken file is picked up; without, never")
    func reload() throws {
        let directory = try Self.folder(["a.html": "uno {{ x }}"])
        let development = try TemplateSet(directory: directory.url, options: TemplateOptions(reloadOnChange: true, reloadCheckInterval: 0))
        let production = try TemplateSet(directory: directory.url)
        #expect(try development.render("a", ["x": "1"]) == "uno 1")

        try Self.write("dos, más largo {{ x }}", to: "a.html", in: directory)
        #expect(try development.render("a", ["x": "2"]) == "dos, más largo 2")
        #expect(try production.render("a", ["x": "2"]) == "uno 2")

        try Self.write("nuevo", to: "b.html", in: directory)
        #expect(try development.render("b", [:]) == "nuevo")

        try Self.write("roto\n{{ x ", to: "a.html", in: directory)
        #expect(throws: TemplateError(.unclosedTag, file: "a.html", line: 2)) { try development.render("a", [:]) }

        try Self.write("arreglado {{ x }}", to: "a.html", in: directory)
        #expect(try development.render("a", ["x": "3"]) == "arreglado 3")
    }

    /// Runs `body(thread)` on `count` real threads at once and waits for all of them.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.start()
        }
        group.wait()
    }

    @Test("many threads render the same set at once and all get their own result")
    func concurrentRendering() throws {
        let directory = try Self.folder([
            "layout.html": "<ul>{{#block \"items\"}}{{/block}}</ul>",
            "lista.html": "{{#extends \"layout\"}}{{#block \"items\"}}{{#each items}}<li>{{ . }}</li>{{/each}}{{/block}}",
        ])
        let set = try TemplateSet(directory: directory.url, options: TemplateOptions(reloadOnChange: true, reloadCheckInterval: 0))
        let failures = Locked(0)
        Self.onThreads(16) { thread in
            for round in 0..<100 {
                let texts = (0..<(thread % 5)).map { "t\(thread)r\(round)i\($0)" }
                let expected = "<ul>" + texts.map { "<li>\($0)</li>" }.joined() + "</ul>"
                if (try? set.render("lista", ["items": .list(texts.map(TemplateValue.string))])) != expected {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test("renders during edits see the old or the new file, whole, never a mix or a crash")
    func renderWhileReloading() throws {
        let directory = try Self.folder(["a.html": "viejo {{ x }}"])
        let set = try TemplateSet(directory: directory.url, options: TemplateOptions(reloadOnChange: true, reloadCheckInterval: 0))
        let seen = Locked(Set<String>())
        Self.onThreads(8) { thread in
            for round in 0..<200 {
                if thread == 0 {
                    let content = round % 2 == 0 ? "nuevo, más largo {{ x }}" : "viejo {{ x }}"
                    try? Data(content.utf8).write(to: directory.url.appendingPathComponent("a.html"), options: .atomic)
                } else if let page = try? set.render("a", ["x": "1"]) {
                    seen.withLock { _ = $0.insert(page) }
                }
            }
        }
        let pages = seen.withLock { $0 }
        #expect(!pages.isEmpty)
        #expect(pages.isSubset(of: ["viejo 1", "nuevo, más largo 1"]), "\(pages)")
    }
}
