import Foundation

/// Where the package's own files and built products are, for tests that run the `clave`
/// executable or read `Resources/`.
public enum PackagePaths {
    /// The package root: the folder holding `Package.swift`, found from this source file.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The folder of the built products (`.build/debug` or the scratch path in use): the one
    /// holding the running test bundle.
    public static let products: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var url = bundle.deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("clave").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug")
    }()

    /// The built `clave` executable.
    public static var claveExecutable: URL { products.appendingPathComponent("clave") }

    /// The package's `Resources/` folder.
    public static var resources: URL { root.appendingPathComponent("Resources") }
}
