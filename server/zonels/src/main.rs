// mimalloc: a check allocates millions of small objects (names, findings, parsed
// tags) from two threads, and spends markedly less time in the allocator and in page
// faults with it than with the system's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 2's `mi_option_t` (the bindings name no constant
/// for it); the version is pinned in Cargo.toml.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Memory freed in bulk goes back to the system after 1 ms instead of 10. A large
    // check frees its parse buffers, then its indexes, while the next phase allocates;
    // within 10 ms that phase lands on fresh pages while the freed ones are still held,
    // and the peak is both at once (~15 MB more on a 1M-record zone). Purges are batched
    // per page either way: no measurable time.
    // SAFETY: sets an option of the allocator this binary links, before any thread starts.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    std::process::exit(zonels::cli::main());
}
