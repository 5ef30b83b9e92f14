import Templates

/// The box at the top of a form page that failed (GOV.UK's error summary pattern): «Hay un
/// problema», then one line per problem, each a link to the field to fix. The layout renders
/// it (`partials/resumen-errores`) and moves focus to it; a page with one gets «Error: » before
/// its title, so a screen reader says so first.
///
/// ``WebRequest/page(_:title:values:form:status:)`` builds it from the ``FormState`` (fields in
/// the order they failed, then the form's own error); a page whose errors are not per field
/// passes its own under `resumen_errores`.
public struct ErrorSummary: Sendable, Equatable {
    /// One problem: the field's `id` (nil for a problem of the whole form) and what to do.
    public struct Item: Sendable, Equatable {
        /// The `id` of the field the link leads to.
        public var field: String?
        /// The message, the same as beside the field.
        public var message: String

        /// A problem with `field` (nil: the whole form).
        public init(field: String?, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// The problems, in the order the page shows its fields.
    public var items: [Item]

    /// A summary of `items`.
    public init(_ items: [Item]) { self.items = items }

    /// The summary of a form's state: each failed field, then the form's own error.
    public init(_ form: FormState) {
        items = form.failedFields.compactMap { field in form.errors[field].map { Item(field: field, message: $0) } }
        if let formError = form.formError { items.append(Item(field: nil, message: formError)) }
    }

    /// Whether there is nothing to show.
    public var isEmpty: Bool { items.isEmpty }

    /// The title of a page showing a summary: «Error: » and its own.
    public static func errorTitle(_ title: String) -> String { "Error: " + title }

    /// The template value (`resumen_errores`): a list of `campo` (may be empty) and `texto`.
    public var templateValue: TemplateValue {
        .list(items.map { .dictionary(["campo": .string($0.field ?? ""), "texto": .string($0.message)]) })
    }
}
