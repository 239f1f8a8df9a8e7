// mimalloc: a check allocates millions of small objects (names, findings, parsed
// tags) from two threads, and spends markedly less time in the allocator and in page
// faults with it than with the system's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(zonels::cli::main());
}
