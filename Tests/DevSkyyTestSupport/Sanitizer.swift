#if canImport(Glibc)
    import Glibc
#endif

/// Whether this process (and so the daemon built beside it) runs under AddressSanitizer or ThreadSanitizer
/// (`scripts/sanitize`): their runtimes then define their entry points. Tests use it to leave out what the sanitizer
/// itself changes (resident memory, a few times the time per run), never to loosen what the code must do.
public enum Sanitizer {
    public static let active: Bool = {
        let handle = dlopen(nil, RTLD_NOW)
        defer { if let handle { dlclose(handle) } }
        return dlsym(handle, "__asan_init") != nil || dlsym(handle, "__tsan_init") != nil
    }()
}
