#if !FUZZING
import FuzzSupport

/// Replays the corpus (or the files given) through the cookie invariants.
@main
struct CookieCorpusReplay {
    static func main() {
        CorpusReplay.run(arguments: Array(CommandLine.arguments.dropFirst()), defaultPath: "Fuzz/Cookie/corpus") {
            CookieInvariants.check($0)
        }
    }
}
#endif
