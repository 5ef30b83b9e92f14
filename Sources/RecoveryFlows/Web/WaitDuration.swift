import Foundation

/// How long someone must wait, in the words a page uses («1 minuto», «15 minutos», «2 horas»),
/// read from a limit's real window (a `Retry-After`), so a 429 page or a throttled login says
/// the true wait rather than «unos minutos».
public enum WaitDuration {
    /// `seconds` rounded up to whole minutes (at least one); from two hours on, whole hours
    /// rounded up, so the page never promises less than the real wait.
    public static func spanish(_ seconds: TimeInterval) -> String {
        let minutes = max(1, Int((max(0, seconds) / 60).rounded(.up)))
        if minutes == 1 { return "1 minuto" }
        if minutes < 120 { return "\(minutes) minutos" }
        return "\(Int((Double(minutes) / 60).rounded(.up))) horas"
    }
}
