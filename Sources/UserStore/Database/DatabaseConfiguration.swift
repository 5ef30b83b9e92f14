/// How a `Database` opens its connections. Every field has a documented default that suits the
/// development server and the tests.
public struct DatabaseConfiguration: Sendable, Equatable {
    /// How long a connection waits for another process's lock before failing with
    /// `StoreError.busy`, in milliseconds. Default 5,000: long enough for a CLI command to
    /// run while the server writes, short enough that a stuck lock surfaces.
    public var busyTimeoutMilliseconds: Int32
    /// How many read-only connections may be open at once. Default 4. Reads beyond this wait
    /// for a free connection rather than opening more file descriptors.
    public var maximumReaders: Int
    /// How many prepared statements each connection keeps. Default 64: the repositories use
    /// fewer distinct statements than that, so none is prepared twice.
    public var statementCacheCapacity: Int

    /// WAL pages after which a commit copies the log back into the database file
    /// (`PRAGMA wal_autocheckpoint`). Default 4,000 (about 16 MiB): SQLite's 1,000 makes the
    /// append-heavy outbox and token tables copy the same hot pages back four times as often.
    public var walAutoCheckpointPages: Int

    /// Whether each commit waits for the WAL to reach the disk (`PRAGMA synchronous = FULL`).
    /// Default false (`NORMAL`): a commit survives the process being killed, and a power cut
    /// may lose the last transactions but never corrupts the file. True makes every commit
    /// survive a power cut too, as PostgreSQL's default does, at the cost of a sync per commit
    /// (`make bench` prints both, to compare the engines at equal durability).
    public var syncsEveryCommit: Bool

    /// Creates a value from its fields.
    public init(busyTimeoutMilliseconds: Int32 = 5_000, maximumReaders: Int = 4, statementCacheCapacity: Int = 64,
                walAutoCheckpointPages: Int = 4_000, syncsEveryCommit: Bool = false) {
        self.syncsEveryCommit = syncsEveryCommit
        self.walAutoCheckpointPages = max(0, walAutoCheckpointPages)
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.maximumReaders = max(1, maximumReaders)
        self.statementCacheCapacity = max(1, statementCacheCapacity)
    }

    /// The defaults above.
    public static let `default` = DatabaseConfiguration()
}
