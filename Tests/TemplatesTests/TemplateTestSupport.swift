@testable import Templates

/// Renders one template source (plus optional others it refers to) the way the web layer
/// would: through a ``TemplateSet``.
func render(
    _ source: String,
    _ context: [String: TemplateValue] = [:],
    name: String = "page.html",
    others: [String: String] = [:],
    options: TemplateOptions = TemplateOptions()
) throws(TemplateError) -> String {
    var sources = others
    sources[name] = source
    return try TemplateSet(templates: sources, options: options).render(name, context)
}

/// The error a load or render throws, or `nil` when it succeeds.
func templateError(
    _ source: String,
    _ context: [String: TemplateValue] = [:],
    name: String = "page.html",
    others: [String: String] = [:],
    options: TemplateOptions = TemplateOptions()
) -> TemplateError? {
    do {
        _ = try render(source, context, name: name, others: others, options: options)
        return nil
    } catch {
        return error
    }
}
