// Analysis allocates many small, short-lived values (names, findings, parsed tags):
// mimalloc frees them in bulk far faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(zonels::cli::main());
}
