import Testing
@testable import Templates

@Suite("Template escaping")
struct TemplateEscapingTests {
    static let hostile = #"<script>alert("x's & y")</script>"#

    @Test("element content: markup in a value is inert")
    func elementContent() throws {
        let html = try render("<p>{{ v }}</p>", ["v": .string(Self.hostile)])
        #expect(html == "<p>&lt;script&gt;alert(&quot;x&#39;s &amp; y&quot;)&lt;&#x2F;script&gt;</p>")
        #expect(!html.contains("<script"))
    }

    @Test("quoted attributes: neither quote can end the value")
    func quotedAttributes() throws {
        let value: TemplateValue = #"" onfocus="alert(1)' x='"#
        let double = try render(#"<input value="{{ v }}">"#, ["v": value])
        #expect(double == #"<input value="&quot; onfocus=&quot;alert(1)&#39; x=&#39;">"#)
        let single = try render("<input value='{{ v }}'>", ["v": value])
        #expect(!single.dropFirst(14).dropLast(2).contains("'"))
    }

    @Test("every byte of the OWASP set is escaped; other text, accents included, is kept")
    func escapeSet() throws {
        #expect(try render("{{ v }}", ["v": "&<>\"'/ ñandú ¿qué? =`"]) == "&amp;&lt;&gt;&quot;&#39;&#x2F; ñandú ¿qué? =`")
    }

    @Test("raw forms print trusted markup unchanged, in both spellings")
    func raw() throws {
        let context: [String: TemplateValue] = ["m": "<b>negrita</b>"]
        #expect(try render("{{{ m }}}|{{ m | raw }}", context) == "<b>negrita</b>|<b>negrita</b>")
        #expect(try render("{{ t }}", ["t": .trustedHTML("<br>")]) == "<br>")
    }

    @Test("numbers and flags need no escaping but go through the same path")
    func scalars() throws {
        #expect(try render("<i data-n=\"{{ n }}\">{{ b }}</i>", ["n": -12, "b": false]) == "<i data-n=\"-12\">false</i>")
    }

    @Test("text templates print values as they are")
    func textMode() throws {
        #expect(try render("Hola {{ v }}", ["v": .string(Self.hostile)], name: "correo.txt") == "Hola " + Self.hostile)
        #expect(TemplateMode.forFile("a/b.txt") == .text)
        #expect(TemplateMode.forFile("a/b.html") == .html)
        #expect(TemplateMode.forFile("a/b.eml") == .html)
    }

    @Test("the url filter lets http(s) and relative URLs through and turns the rest into #")
    func urlFilter() throws {
        let allowed = [
            "https://soi.example.co/restablecer?token=abc&x=1", "http://localhost:8080/", "HTTPS://A.CO",
            "/cajacopi/restablecer", "restablecer?x=a:b", "#arriba", "?pagina=2", "../arriba", "",
        ]
        for url in allowed {
            #expect(TemplateEscaping.safeURL(url) == url, "\(url)")
        }
        let refused = [
            "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
            "java\nscript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "mailto:a@b.co",
            "https ://x", "http\u{0}:x",
        ]
        for url in refused {
            #expect(TemplateEscaping.safeURL(url) == "#", "\(url)")
        }
        let html = try render(#"<a href="{{ u | url }}">x</a>"#, ["u": "javascript:alert(document.cookie)"])
        #expect(html == "<a href=\"#\">x</a>")
        let good = try render(#"<a href="{{ u | url }}">x</a>"#, ["u": "https://a.co/r?t=1&s=\"2\""])
        #expect(good == #"<a href="https:&#x2F;&#x2F;a.co&#x2F;r?t=1&amp;s=&quot;2&quot;">x</a>"#)
    }

    @Test("a value starting a URL attribute must go through | url (or be raw, trusted)")
    func urlAttributesNeedFilter() throws {
        let error = templateError("<p>\n<a class=\"b\" href=\"{{ u }}\">x</a>")
        #expect(error == TemplateError(.unfilteredURL(attribute: "href"), file: "page.html", line: 2))
        #expect(templateError("<form action='{{ u }}'>")?.kind == .unfilteredURL(attribute: "action"))
        #expect(templateError("<IMG SRC=\"{{ u }}\">")?.kind == .unfilteredURL(attribute: "src"))
        // Not at the start of the value: the scheme is the template's own.
        #expect(templateError("<a href=\"/soi/{{ u }}\">x</a>") == nil)
        #expect(templateError("<a href=\"{{ u | url }}\">{{ u }}</a>") == nil)
        #expect(templateError("<a href=\"{{{ u }}}\" title=\"{{ u }}\">") == nil)
        #expect(templateError("<p>href=\"{{ u }}\"</p>") == nil)
    }

    @Test("a value in an unquoted attribute is a load error naming file and line")
    func unquotedAttribute() {
        #expect(templateError("<div>\n\n<input value={{ v }}>") == TemplateError(.unquotedAttribute, file: "page.html", line: 3))
        #expect(templateError("<input value = {{ v }}>")?.kind == .unquotedAttribute)
        #expect(templateError("<input value=\"{{ v }}\" {{#if d}}disabled{{/if}}>") == nil)
        #expect(templateError("<p>a={{ v }}</p>") == nil)
        #expect(templateError("value={{ v }}", name: "correo.txt") == nil)
    }

    @Test("an escaped value inside <script> or <style> is a load error; after the element it is fine")
    func rawTextElements() {
        #expect(templateError("<p></p>\n<script>\nvar a = \"{{ v }}\";</script>")
            == TemplateError(.valueInRawText(element: "script"), file: "page.html", line: 3))
        #expect(templateError("<STYLE type=\"text/css\">p { color: {{ c }} }</STYLE>")?.kind == .valueInRawText(element: "style"))
        #expect(templateError("<script src=\"/a.js\"></script><p>{{ v }}</p>") == nil)
        #expect(templateError("<script>if (a </b) {}</script>{{ v }}") == nil)
        #expect(templateError("<script type=\"application/json\">{{{ datos }}}</script>") == nil)
        #expect(templateError("<scripts>{{ v }}</scripts>") == nil)
    }
}
