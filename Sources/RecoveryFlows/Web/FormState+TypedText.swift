import Foundation
import UserStore

/// Reading identifiers and passwords from a form, with the one check every portal makes
/// before anything is looked up or counted: no control or invisible characters
/// (``ControlCharacters``). A NUL in `usuario` must be a field error, not a look-up of the
/// name before it under a rate-limit key of its own.
extension FormState {
    /// What a field holding a control or invisible character reads, on every portal.
    public static let controlCharacterMessage =
        "Tiene caracteres no permitidos (de control o invisibles). Escríbalo de nuevo sin copiar y pegar."

    /// The ``Identifier`` typed in `field`, or nil with the field's error recorded: `missing`
    /// when it is empty, a length error past `maxLength` characters, ``controlCharacterMessage``
    /// for a control character. Read from the raw field, so a trailing newline is refused
    /// rather than trimmed away. The value shown back is the typed text without the refused
    /// characters.
    public mutating func identifier(_ field: String, in request: WebRequest, maxLength: Int = 254,
                                    missing: String = "Este campo es obligatorio.") -> Identifier? {
        let typed = request.rawField(field)
        do {
            let identifier = try Identifier(typed)
            if identifier.value.count > maxLength {
                fail(field, "Este campo admite como máximo \(maxLength) caracteres.")
                return nil
            }
            return identifier
        } catch {
            switch error {
            case .empty:
                fail(field, missing)
            case .controlCharacter:
                values[field] = Self.visible(typed).trimmingCharacters(in: .whitespaces)
                fail(field, Self.controlCharacterMessage)
            }
        }
        return nil
    }

    /// The password typed in `field`, exactly as typed (never trimmed), with `missing` recorded
    /// when it is empty and ``controlCharacterMessage`` when it holds a control character (the
    /// join controls of emoji sequences are allowed, ``ControlCharacters``).
    public mutating func password(_ field: String, in request: WebRequest, missing: String) -> String {
        password(field, typed: request.rawField(field), missing: missing)
    }

    /// The same checks on `typed`, a value of `field` the caller already read (and cleaned).
    public mutating func password(_ field: String, typed: String, missing: String) -> String {
        if typed.isEmpty {
            fail(field, missing)
        } else if ControlCharacters.contains(typed, allowingJoinControls: true) {
            fail(field, Self.controlCharacterMessage)
        }
        return typed
    }

    /// `text` without the characters ``ControlCharacters`` refuses, to show back safely.
    static func visible(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.filter { !ControlCharacters.isRefused($0) })
        return String(kept)
    }
}
