#if !FUZZING
import FuzzSupport

/// Replays the corpus (or the files given) through the form invariants.
@main
struct FormCorpusReplay {
    static func main() {
        CorpusReplay.run(arguments: Array(CommandLine.arguments.dropFirst()), defaultPath: "Fuzz/Form/corpus") {
            FormInvariants.check($0)
        }
    }
}
#endif
