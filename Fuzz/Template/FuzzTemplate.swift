#if !FUZZING
@main
struct FuzzTemplatePlaceholder {
    static func main() {}
}
#endif
