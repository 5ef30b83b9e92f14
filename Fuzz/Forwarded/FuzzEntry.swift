#if FUZZING
/// libFuzzer's entry point: every input goes through the invariant checks, which trap on a
/// violation so libFuzzer records the input as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ForwardedInvariants.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif
