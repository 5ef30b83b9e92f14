#if canImport(Glibc)
import Glibc
#endif

/// The few file-system calls static files need, kept here so HTTP code never calls libc.
enum FileSystem {
    /// A regular file found under a folder.
    struct FileInfo: Sendable {
        /// Path relative to the folder, `/`-separated, without a leading slash.
        let relativePath: String
        let size: Int
        /// Modification time, seconds since the epoch.
        let modified: Int
    }

    /// Every regular file below `root`, skipping names that start with `.` and symbolic links
    /// (which could point outside the folder).
    static func regularFiles(under root: String) -> [FileInfo] {
        var found: [FileInfo] = []
        walk(root: root, relative: "", depth: 0, into: &found)
        return found
    }

    private static func walk(root: String, relative: String, depth: Int, into found: inout [FileInfo]) {
        guard depth < 32 else { return }
        let folder = relative.isEmpty ? root : root + "/" + relative
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let path = folder + "/" + name
            let child = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(root: root, relative: child, depth: depth + 1, into: &found)
            case S_IFREG:
                found.append(FileInfo(relativePath: child, size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec)))
            default:
                continue
            }
        }
    }

    /// Whether `path` is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The whole file, or nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        let ok = bytes.withUnsafeMutableBytes { raw -> Bool in
            while offset < size {
                let n = Glibc.read(fd, raw.baseAddress! + offset, size - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        return ok ? bytes : nil
    }
}
