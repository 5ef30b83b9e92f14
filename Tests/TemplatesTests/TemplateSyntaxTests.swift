import Testing
@testable import Templates

@Suite("Template syntax")
struct TemplateSyntaxTests {
    @Test("variables, dotted paths, numbers and flags")
    func variables() throws {
        let context: [String: TemplateValue] = [
            "nombre": "Ana",
            "usuario": ["correo": "ana@example.co", "perfil": ["rol": "admin"]],
            "intentos": 3,
            "activo": true,
        ]
        #expect(try render("Hola {{ nombre }}!", context) == "Hola Ana!")
        #expect(try render("{{usuario.correo}} {{ usuario.perfil.rol }}", context) == "ana@example.co admin")
        #expect(try render("{{ intentos }}/{{ activo }}", context) == "3/true")
        #expect(try render("[{{ falta }}][{{ usuario.falta.mas }}]", context) == "[][]")
        #expect(try render("{{ usuario }}", context) == "")
    }

    @Test("comments print nothing")
    func comments() throws {
        #expect(try render("a{{! nota para el equipo }}b") == "ab")
    }

    @Test("if, else and unless follow truthiness")
    func conditionals() throws {
        let source = "{{#if x}}sí{{else}}no{{/if}}|{{#unless x}}U{{/unless}}"
        let cases: [(TemplateValue?, String)] = [
            (true, "sí|"), (false, "no|U"), ("", "no|U"), ("texto", "sí|"), (0, "no|U"), (7, "sí|"),
            ([], "no|U"), (["a"], "sí|"), ([:], "no|U"), (["k": "v"], "sí|"), (nil, "no|U"),
            (.trustedHTML("<b>"), "sí|"),
        ]
        for (value, expected) in cases {
            var context: [String: TemplateValue] = [:]
            context["x"] = value
            #expect(try render(source, context) == expected, "value \(String(describing: value))")
        }
    }

    @Test("each over lists with index, number, first, last and else")
    func loops() throws {
        let source = "{{#each items}}{{ @index }}{{ @number }}{{ . }}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}};{{else}}vacío{{/each}}"
        #expect(try render(source, ["items": ["a", "b", "c"]]) == "01aF;12b;23cL;")
        #expect(try render(source, ["items": []]) == "vacío")
        #expect(try render(source, [:]) == "vacío")
    }

    @Test("each over a dictionary goes by key order and exposes @key")
    func dictionaryLoop() throws {
        #expect(try render("{{#each d}}{{ @key }}={{ . }},{{/each}}", ["d": ["b": 2, "a": 1]]) == "a=1,b=2,")
    }

    @Test("nested loops see item fields first, then outer items, then the context")
    func nestedLoops() throws {
        let context: [String: TemplateValue] = [
            "titulo": "T",
            "grupos": [
                ["nombre": "g1", "campos": [["nombre": "c1"], ["otro": "x"]]],
                ["nombre": "g2", "campos": []],
            ],
        ]
        let source = "{{#each grupos}}[{{ nombre }}:{{#each campos}}{{ nombre }}/{{ @index }}/{{ titulo }} {{else}}-{{/each}}]{{/each}}"
        #expect(try render(source, context) == "[g1:c1/0/T g1/1/T ][g2:-]")
    }

    @Test("a line holding only a section tag disappears, keeping text emails tidy")
    func standaloneLines() throws {
        let source = """
        Hola {{ nombre }},
        {{#if codigo}}
          Su código: {{ codigo }}
        {{/if}}
        {{! firma }}
        Gracias

        """
        #expect(try render(source, ["nombre": "Ana", "codigo": "123"], name: "c.txt") == "Hola Ana,\n  Su código: 123\nGracias\n")
        #expect(try render(source, ["nombre": "Ana"], name: "c.txt") == "Hola Ana,\nGracias\n")
        #expect(try render("{{#if a}}\nx\n{{/if}}", ["a": true]) == "x\n")
        #expect(try render("  {{#if a}}  \r\nx\n  {{/if}}  ", ["a": true]) == "x\n")
        // Not standalone: text or another tag shares the line.
        #expect(try render("a {{#if b}}b{{/if}} c\n", ["b": true]) == "a b c\n")
        #expect(try render("{{ v }}{{#if b}}\nx{{/if}}", ["b": true, "v": "V"]) == "V\nx")
    }

    @Test("partials render with the caller's context and inherit its extension")
    func partials() throws {
        let others = ["partials/campo.html": "<label>{{ etiqueta }}</label>", "partials/x.txt": "TXT"]
        let context: [String: TemplateValue] = ["campos": [["etiqueta": "Correo"], ["etiqueta": "Clave"]]]
        #expect(try render("{{#each campos}}{{> partials/campo }}{{/each}}", context, others: others)
            == "<label>Correo</label><label>Clave</label>")
        #expect(try render("{{> partials/x.txt }}", others: others) == "TXT")
        #expect(try render("{{> \"partials/campo\" }}", ["etiqueta": "E"], others: others) == "<label>E</label>")
    }

    @Test("a layout's blocks take the page's content or keep their defaults")
    func layouts() throws {
        let layout = """
        <html><title>{{#block "titulo"}}Clave{{/block}}</title>
        <main>{{#block "contenido"}}vacío{{/block}}</main>
        <footer>{{#block "pie"}}pie por defecto{{/block}}</footer></html>
        """
        let page = """
        {{! la página de inicio }}
        {{#extends "layout"}}
        {{#block "titulo"}}Ingreso – {{ portal }}{{/block}}
        {{#block "contenido"}}<p>Hola {{ nombre }}</p>{{/block}}
        """
        let html = try render(page, ["portal": "SOI", "nombre": "<Ana>"], others: ["layout.html": layout])
        #expect(html == """
        <html><title>Ingreso – SOI</title>
        <main><p>Hola &lt;Ana&gt;</p></main>
        <footer>pie por defecto</footer></html>
        """)
    }

    @Test("layouts chain: the innermost definition of a block wins")
    func layoutChain() throws {
        let others = [
            "base.html": "[{{#block \"a\"}}A0{{/block}}|{{#block \"b\"}}B0{{/block}}|{{#block \"c\"}}C0{{/block}}]",
            "portal.html": "{{#extends \"base\"}}{{#block \"a\"}}A1{{/block}}{{#block \"b\"}}B1{{/block}}",
        ]
        #expect(try render("{{#extends \"portal\"}}{{#block \"b\"}}B2{{/block}}", others: others) == "[A1|B2|C0]")
    }

    @Test("a partial in a layout can hold a block the page fills")
    func blockInPartial() throws {
        let others = ["layout.html": "<h>{{> cabecera }}</h>", "cabecera.html": "{{#block \"nav\"}}-{{/block}}"]
        #expect(try render("{{#extends \"layout\"}}{{#block \"nav\"}}menú{{/block}}", others: others) == "<h>menú</h>")
    }

    @Test("values render the same whichever way the context is built")
    func literalsMatchCases() {
        let built: TemplateValue = ["a": [1, "dos", true], "b": .trustedHTML("<i>")]
        #expect(built == .dictionary(["a": .list([.int(1), .string("dos"), .bool(true)]), "b": .trustedHTML("<i>")]))
        let name = "Ana"
        let interpolated: TemplateValue = "Hola \(name)"
        #expect(interpolated == .string("Hola Ana"))
    }
}
