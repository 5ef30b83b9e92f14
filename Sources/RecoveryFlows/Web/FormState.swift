import HTTPCore
import Templates

/// What a form page shows again after a failed POST: the values typed (never passwords) and
/// one error per field, shown next to the field (`valores.usuario`, `errores.usuario`).
public struct FormState: Sendable, Equatable {
    /// Values to put back in the fields.
    public var values: [String: String]
    /// Error messages by field name.
    public var errors: [String: String]
    /// An error about the whole form (shown above it).
    public var formError: String?
    /// The fields with an error, in the order they failed (the checks follow the form's order),
    /// so the error summary lists them as the page shows them.
    public private(set) var failedFields: [String]

    /// An empty form.
    public init(values: [String: String] = [:], errors: [String: String] = [:], formError: String? = nil) {
        self.values = values
        self.errors = errors
        self.formError = formError
        failedFields = errors.keys.sorted()
    }

    /// The submitted values of `fields` (trimmed), to show again. Pass only non-secret fields.
    public init(keeping fields: [String], from request: WebRequest) {
        self.init()
        for name in fields { values[name] = request.field(name) }
    }

    /// The state with an empty value for each of `fields` not already set: the form's template
    /// reads every field's value (strict templates refuse a missing one), also on a first GET.
    public func showing(_ fields: [String]) -> FormState {
        var shown = self
        for field in fields where shown.values[field] == nil { shown.values[field] = "" }
        return shown
    }

    /// Whether any error was recorded.
    public var hasErrors: Bool { !errors.isEmpty || formError != nil }

    /// Records `message` for `field` unless it already has one.
    public mutating func fail(_ field: String, _ message: String) {
        if errors[field] == nil {
            errors[field] = message
            failedFields.append(field)
        }
    }

    /// Checks that `field` is not empty; records "Este campo es obligatorio." otherwise.
    /// Returns the trimmed value.
    @discardableResult
    public mutating func require(_ field: String, in request: WebRequest, maxLength: Int = 254) -> String {
        let value = request.field(field)
        if value.isEmpty {
            fail(field, "Este campo es obligatorio.")
        } else if value.count > maxLength {
            fail(field, "Este campo admite como máximo \(maxLength) caracteres.")
        }
        return value
    }

    /// The state as template values: `valores`, `errores`, `error_formulario`, `hay_errores`.
    public var templateValues: [String: TemplateValue] {
        var result: [String: TemplateValue] = [
            "valores": .dictionary(values.mapValues { .string($0) }),
            "errores": .dictionary(errors.mapValues { .string($0) }),
            "hay_errores": .bool(hasErrors),
        ]
        if let formError { result["error_formulario"] = .string(formError) }
        return result
    }
}
