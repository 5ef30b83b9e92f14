// Placeholder until the fuzz target is written (issue 2).
#if !FUZZING
@main
struct FuzzPlaceholder {
    static func main() {}
}
#endif
