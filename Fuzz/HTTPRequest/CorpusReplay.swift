#if !FUZZING
import FuzzSupport

/// Replays the corpus (or the files given) through the request-parser invariants;
/// `--bench` prints the parser's throughput instead (see `ParserBenchmark`).
@main
struct RequestCorpusReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--bench"] {
            ParserBenchmark.run()
            return
        }
        CorpusReplay.run(arguments: arguments, defaultPath: "Fuzz/HTTPRequest/corpus") {
            RequestInvariants.check($0)
        }
    }
}
#endif
