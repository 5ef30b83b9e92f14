import Foundation
import FuzzSupport
import Templates

/// Feeds arbitrary bytes to the template parser and renders what parses, with a partial and a
/// layout available and a context holding hostile text. Invariants: nothing crashes, every
/// error names a line inside the input, and a hostile value never comes out unescaped from
/// an escaped tag.
enum TemplateFuzz {
    static let context: [String: TemplateValue] = [
        "v": "<script>'\"&", "n": 42, "b": true,
        "l": ["<a>", ["k": "<b>"], []], "d": ["x": ["y": "<i>"]],
    ]

    static func run(_ bytes: [UInt8]) {
        let source = String(decoding: bytes, as: UTF8.self)
        let lines = source.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        for name in ["f.html", "f.txt"] {
            do {
                let set = try TemplateSet(
                    templates: [name: source, "p.html": "[{{ v }}]", "l.html": "<{{#block \"a\"}}d{{/block}}>"],
                    options: TemplateOptions(maxDepth: 8)
                )
                _ = try set.render(name, context)
            } catch {
                if error.file == name, !(0...lines).contains(error.line) {
                    preconditionFailure("error line \(error.line) outside 1...\(lines): \(error)")
                }
            }
        }
        if let escaped = try? TemplateSet(templates: ["e.html": "{{ v }}"]).render("e.html", ["v": .string(source)]) {
            precondition(!escaped.contains("<"), "unescaped '<' from an escaped tag")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    TemplateFuzz.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Replays the corpus (or the files given) through the same checks.
@main
struct FuzzTemplateReplay {
    static func main() {
        CorpusReplay.run(arguments: Array(CommandLine.arguments.dropFirst()), defaultPath: "Fuzz/Template/corpus") {
            TemplateFuzz.run($0)
        }
    }
}
#endif
