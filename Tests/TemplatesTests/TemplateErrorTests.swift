import Testing
@testable import Templates

@Suite("Template errors name file and line")
struct TemplateErrorTests {
    @Test("syntax errors", arguments: [
        ("línea 1\n<p>{{ nombre </p>\n", TemplateError.Kind.unclosedTag, 2),
        ("a\nb {{{ x }}\n", .unclosedTag, 2),
        ("\n\n{{#if x}}\n{{ y }}", .unclosedSection("if"), 3),
        ("{{#each xs}}\n{{#if y}}\n{{/each}}", .mismatchedClose(expected: "if", found: "each"), 3),
        ("ok\n{{/if}}", .mismatchedClose(expected: nil, found: "if"), 2),
        ("\n{{#with x}}{{/with}}", .unknownTag("#with"), 2),
        ("{{ }}", .emptyTag, 1),
        ("\n\n\n{{ a b }}", .invalidExpression("a b"), 4),
        ("{{ a..b }}", .invalidExpression("a..b"), 1),
        ("{{#if}}{{/if}}", .invalidExpression(""), 1),
        ("{{ a | upper }}", .unknownFilter("upper"), 1),
        ("{{ a | }}", .invalidExpression("a |"), 1),
        ("x\n{{else}}", .misplacedElse, 2),
        ("{{#if a}}{{else}}\n{{else}}{{/if}}", .misplacedElse, 2),
        ("{{#block \"a\"}}{{else}}{{/block}}", .misplacedElse, 1),
        ("{{ x }}\n{{#extends \"l\"}}", .misplacedExtends, 2),
        ("{{#extends \"l\"}}\n{{#block \"a\"}}{{/block}}\ntexto suelto", .contentOutsideBlock, 3),
        ("{{#extends \"l\"}}\n{{ x }}", .contentOutsideBlock, 2),
        ("{{#block \"a\"}}{{/block}}\n{{#block \"a\"}}{{/block}}", .duplicateBlock("a"), 2),
        ("\n{{> no/existe }}", .missingPartial("no/existe"), 2),
        ("{{#extends \"nada\"}}", .missingLayout("nada"), 1),
    ])
    func syntax(source: String, kind: TemplateError.Kind, line: Int) {
        let error = templateError(source, name: "portal/pagina.html", others: ["l.html": ""])
        #expect(error == TemplateError(kind, file: "portal/pagina.html", line: line))
    }

    @Test("lines keep counting through tags that span lines and through comments")
    func multilineTags() {
        let source = "{{! una nota\nde dos líneas }}\n{{#if\n  x}}\n{{ a b }}{{/if}}"
        #expect(templateError(source) == TemplateError(.invalidExpression("a b"), file: "page.html", line: 5))
        #expect(templateError("{{\n\n}}") == TemplateError(.emptyTag, file: "page.html", line: 1))
    }

    @Test("an error in a partial names the partial's file")
    func errorInPartial() {
        let error = templateError("{{> p }}", others: ["p.html": "uno\ndos {{#if}}"])
        #expect(error == TemplateError(.invalidExpression(""), file: "p.html", line: 2))
    }

    @Test("description reads file:line: message")
    func description() {
        let error = TemplateError(.unclosedSection("each"), file: "soi/login.html", line: 12)
        #expect(error.description == "soi/login.html:12: section 'each' is never closed")
    }

    @Test("strict mode names missing values where they are used; lax mode renders empty")
    func strictMode() {
        let strict = TemplateOptions(strict: true)
        #expect(templateError("a\n{{ falta }}", options: strict) == TemplateError(.missingValue("falta"), file: "page.html", line: 2))
        #expect(templateError("{{#each falta}}{{/each}}", options: strict)?.kind == .missingValue("falta"))
        #expect(templateError("{{ l }}", ["l": []], options: strict)?.kind == .notPrintable("l"))
        #expect(templateError("{{#if falta}}x{{/if}}{{#unless falta}}y{{/unless}}", options: strict) == nil)
        #expect(templateError("{{ falta }}{{ l }}") == nil)
    }

    @Test("a partial including itself stops at the depth limit instead of overflowing")
    func recursion() {
        let error = templateError("{{> bucle }}", others: ["bucle.html": "x\n{{> bucle }}"], options: TemplateOptions(maxDepth: 8))
        #expect(error == TemplateError(.tooDeep(limit: 8), file: "bucle.html", line: 2))
        let layouts = templateError("{{#extends \"a\"}}", others: ["a.html": "{{#extends \"b\"}}", "b.html": "{{#extends \"a\"}}"])
        #expect(layouts?.kind == .tooDeep(limit: 16))
    }

    @Test("recursion a context ends is fine: a tree rendered by a self-including partial")
    func boundedRecursion() throws {
        let tree: TemplateValue = ["nombre": "raíz", "hijos": [["nombre": "a", "hijos": [["nombre": "a1", "hijos": []]]]]]
        let html = try render("{{#each arbol}}{{> nodo }}{{/each}}", ["arbol": [tree]],
                              others: ["nodo.html": "({{ nombre }}{{#each hijos}}{{> nodo }}{{/each}})"])
        #expect(html == "(raíz(a(a1)))")
    }

    @Test("asking for an unknown template names it")
    func missingTemplate() throws {
        let set = try TemplateSet(templates: ["a.html": "A"])
        #expect(throws: TemplateError(.missingTemplate("b"), file: "b", line: 0)) { try set.render("b", [:]) }
        #expect(try set.render("a", [:]) == "A")
    }
}

@Suite("Template parser on every prefix")
struct TemplatePrefixTests {
    static let page = """
    {{#extends "layout"}}
    {{#block "contenido"}}
    <form action="{{ accion | url }}" method="post">
      {{#each campos}}{{> campo }}{{else}}<p>{{{ aviso }}}</p>{{/each}}
      {{#if error}}<p class="error">{{ error }}</p>{{/if}}{{#unless ok}}!{{/unless}}
    </form>{{! fin }}
    {{/block}}
    """

    @Test("every cut of a real page either loads or names a line inside the cut")
    func everyPrefix() throws {
        let others = ["layout.html": "<main>{{#block \"contenido\"}}{{/block}}</main>", "campo.html": "<input name=\"{{ n }}\">"]
        var loaded = 0
        for cut in 0...Self.page.count {
            let prefix = String(Self.page.prefix(cut))
            let lines = prefix.filter { $0 == "\n" }.count + 1
            if let error = templateError(prefix, others: others) {
                #expect(error.file == "page.html", "cut \(cut)")
                #expect((1...lines).contains(error.line), "cut \(cut): \(error)")
            } else {
                loaded += 1
            }
        }
        #expect(loaded >= 2)  // the empty page and the whole page at least
        #expect(try render(Self.page, ["accion": "/r", "aviso": "<b>sin campos</b>"], others: others)
            == "<main><form action=\"&#x2F;r\" method=\"post\">\n  <p><b>sin campos</b></p>\n  !\n</form>\n</main>")
    }
}
