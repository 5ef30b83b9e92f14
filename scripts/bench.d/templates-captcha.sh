#!/usr/bin/env bash
# Figures for the two pure libraries, built with -O: template renders per second (a page with
# a layout, partials and a loop) and captcha images per second with their PNG size.
# The module sources are compiled together with a small driver, so no test build is needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=".build/bench-pieces"
mkdir -p "$out"
cat > "$out/main.swift" <<'SWIFT'
import Foundation

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let templates = try TemplateSet(templates: [
    "layout.html": """
    <!doctype html><html lang="es"><head><title>{{#block "titulo"}}Clave{{/block}}</title></head>
    <body><header>{{> partials/cabecera }}</header><main>{{#block "contenido"}}{{/block}}</main></body></html>
    """,
    "partials/cabecera.html": "<nav><a href=\"{{ inicio | url }}\">{{ portal }}</a></nav>",
    "partials/campo.html": "<label>{{ etiqueta }}<input name=\"{{ nombre }}\" value=\"{{ valor }}\"></label>{{#if error}}<p class=\"error\">{{ error }}</p>{{/if}}",
    "pagina.html": """
    {{#extends "layout"}}
    {{#block "titulo"}}Restablecer – {{ portal }}{{/block}}
    {{#block "contenido"}}<form method="post">{{#each campos}}{{> partials/campo }}{{/each}}<button>Enviar</button></form>{{/block}}
    """,
])
let campos: [TemplateValue] = (0..<8).map { index in
    ["etiqueta": .string("Campo \(index)"), "nombre": .string("campo\(index)"), "valor": "O'Neil <x> & \"y\"",
     "error": index % 3 == 0 ? "Obligatorio" : ""]
}
let context: [String: TemplateValue] = ["portal": "Cajacopi", "inicio": "/cajacopi", "campos": .list(campos)]
var bytes = 0
let renders = 20_000
let renderTime = try seconds { for _ in 0..<renders { bytes += try templates.renderUTF8("pagina.html", context).count } }
print(String(format: "templates: %d renders in %.2f s = %.0f renders/s, %.1f µs each, page %d bytes",
             renders, renderTime, Double(renders) / renderTime, renderTime / Double(renders) * 1e6, bytes / renders))

let renderer = CaptchaRenderer()
var random = SplitMix(state: 42)
let images = 300
var pngBytes = 0, largest = 0
let captchaTime = try seconds {
    for _ in 0..<images {
        let png = try renderer.render(text: CaptchaRenderer.randomText(using: &random), random: &random)
        pngBytes += png.count
        largest = max(largest, png.count)
    }
}
print(String(format: "captcha: %d images in %.2f s = %.1f ms each, PNG %d bytes average, %d largest",
             images, captchaTime, captchaTime / Double(images) * 1000, pngBytes / images, largest))
var pixels: [[UInt8]] = []
let drawTime = try seconds {
    for _ in 0..<images { pixels.append(try renderer.renderPixels(text: "AdHe3mRt", random: &random)) }
}
let encodeTime = try seconds { for image in pixels { _ = try PNGEncoder.encode(width: 200, height: 70, pixels: image) } }
print(String(format: "captcha: drawing %.2f ms, PNG encoding %.2f ms per image", drawTime / Double(images) * 1000,
             encodeTime / Double(images) * 1000))
SWIFT
swiftc -O -module-name PiecesBench -o "$out/bench" \
  $(find Sources/Templates Sources/CaptchaImage -name '*.swift') "$out/main.swift"
"$out/bench"
