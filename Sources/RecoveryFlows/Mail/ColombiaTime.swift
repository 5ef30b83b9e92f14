import Foundation

/// Dates as Colombian users read them in emails: "22 de noviembre de 2026, 5:30 a. m."
/// in Colombia's time (UTC−5 all year: the country has no daylight saving time).
///
/// Written by hand rather than with `DateFormatter` so the words do not depend on which
/// locales the machine has installed.
public enum ColombiaTime {
    /// Colombia's fixed offset from UTC, in seconds.
    public static let offsetSeconds = -5 * 3_600

    private static let months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                                 "agosto", "septiembre", "octubre", "noviembre", "diciembre"]

    /// `date` in words, e.g. `22 de noviembre de 2026, 5:30 a. m. (hora de Colombia)`.
    public static func text(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offsetSeconds) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let hour = parts.hour ?? 0
        let minute = parts.minute ?? 0
        let clock = hour % 12 == 0 ? 12 : hour % 12
        let period = hour < 12 ? "a. m." : "p. m."
        let month = months[max(0, min(11, (parts.month ?? 1) - 1))]
        let minutes = minute < 10 ? "0\(minute)" : "\(minute)"
        return "\(parts.day ?? 1) de \(month) de \(parts.year ?? 1970), \(clock):\(minutes) \(period) (hora de Colombia)"
    }
}
