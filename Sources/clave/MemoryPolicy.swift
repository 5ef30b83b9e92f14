import CLinux

/// How the long-running server asks glibc's allocator to hand memory back.
///
/// Every password hash allocates scrypt's 16 MiB work area (128·r·N bytes) and frees it a few
/// hundred milliseconds later. glibc serves the first such block with `mmap`, but on freeing it
/// raises its mmap threshold to the block's size, so every later one comes from a thread's heap
/// arena and stays resident after `free`: measured here, `clave serve` held 46 MB after seeding
/// the demo users against 31 MB with the threshold fixed, and each worker thread's arena could
/// keep its own 16 MiB. Fixing the threshold at 1 MiB (which also stops glibc adjusting it)
/// sends every large block to `mmap` and back to the kernel on `free`; the cost is the page
/// faults of one fresh 16 MiB mapping per hash, small beside the hash itself.
enum MemoryPolicy {
    /// Blocks of this size or more are mapped, and unmapped when freed.
    static let mmapThreshold: Int32 = 1 << 20

    /// Applies the policy to this process (before its threads start).
    static func apply() {
        _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
    }
}
