#if !FUZZING
import FuzzSupport

/// Replays the corpus (or the files given) through the forwarding-field invariants.
@main
struct ForwardedCorpusReplay {
    static func main() {
        CorpusReplay.run(arguments: Array(CommandLine.arguments.dropFirst()), defaultPath: "Fuzz/Forwarded/corpus") {
            ForwardedInvariants.check($0)
        }
    }
}
#endif
