import Foundation

/// Replays fuzz inputs without libFuzzer, so every target's corpus (and every crash input kept
/// in it) is a regression test: `swift run fuzz-form Fuzz/Form/corpus`.
///
/// Each fuzz target's `@main` (compiled when `FUZZING` is not defined) calls this with its own
/// check; under `-DFUZZING` libFuzzer's `main` drives `LLVMFuzzerTestOneInput` instead.
public enum CorpusReplay {
    /// Feeds every file named in `arguments` (files or folders, folders in name order) to
    /// `check`, or the files of `defaultPath` when no argument is given. Returns the count.
    @discardableResult
    public static func run(arguments: [String], defaultPath: String, _ check: ([UInt8]) -> Void) -> Int {
        let paths = arguments.isEmpty ? [defaultPath] : arguments
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                check([UInt8](data))
                count += 1
            }
        }
        FileHandle.standardOutput.write(Data("replayed \(count) inputs\n".utf8))
        return count
    }

    /// `path` itself when it is a file, else the files directly inside it, sorted.
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}
