#if !FUZZING
import Foundation

/// Without `-DFUZZING` the target replays files instead of fuzzing, so the corpus (and every
/// crash kept in it) is a regression test: `swift run fuzz-http-request Fuzz/HTTPRequest/corpus`.
/// `--bench` prints the parser's throughput instead (see `ParserBenchmark`).
@main
struct CorpusReplay {
    static func main() {
        var paths = Array(CommandLine.arguments.dropFirst())
        if paths == ["--bench"] {
            ParserBenchmark.run()
            return
        }
        if paths.isEmpty { paths = ["Fuzz/HTTPRequest/corpus"] }
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                RequestInvariants.check([UInt8](data))
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }

    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}
#endif
