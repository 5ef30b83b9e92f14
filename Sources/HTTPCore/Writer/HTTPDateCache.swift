import Foundation

/// The `Date` field value for the current second, formatted once per second and reused.
///
/// `Date` uses the IMF-fixdate form, `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7).
/// Formatting it per response would cost more than the rest of the head, so each event-loop
/// thread keeps one cache (a value type: no locking, `Sendable`).
///
/// ```swift
/// var dates = HTTPDateCache()
/// let value = dates.current(at: clock.now())   // "Sun, 22 Nov 2026 04:30:00 GMT"
/// ```
public struct HTTPDateCache: Sendable {
    private var cachedSecond: Int = .min
    private var cachedValue: String = ""

    /// An empty cache; the first call formats.
    public init() {}

    /// The date for the wall-clock second `now` falls in. The server passes its configured
    /// clock's `now()`, so a test's `ManualClock` sets the `Date` header too.
    public mutating func current(at now: Date) -> String {
        string(forEpochSeconds: Int(now.timeIntervalSince1970.rounded(.down)))
    }

    /// The date for `seconds` since 1970-01-01T00:00:00Z, reusing the last value when the
    /// second is the same.
    public mutating func string(forEpochSeconds seconds: Int) -> String {
        if seconds != cachedSecond {
            cachedSecond = seconds
            cachedValue = Self.format(epochSeconds: seconds)
        }
        return cachedValue
    }

    /// Formats `seconds` since the Unix epoch as an IMF-fixdate (RFC 9110 §5.6.7).
    public static func format(epochSeconds seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        // 1970-01-01 was a Thursday.
        let weekday = ((days % 7) + 7 + 4) % 7
        var text = weekdayNames[weekday]
        text += ", "
        text += twoDigits(day)
        text += " "
        text += monthNames[month - 1]
        text += " "
        text += String(year)
        text += " "
        text += twoDigits(secondOfDay / 3600)
        text += ":"
        text += twoDigits(secondOfDay / 60 % 60)
        text += ":"
        text += twoDigits(secondOfDay % 60)
        text += " GMT"
        return text
    }

    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    /// Year, month (1-12) and day (1-31) of a day count since 1970-01-01, in the proleptic
    /// Gregorian calendar (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
