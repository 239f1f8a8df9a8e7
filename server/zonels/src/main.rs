// mimalloc: a check allocates millions of small objects (names, findings, parsed
// tags) from two threads, and spends markedly less time in the allocator and in page
// faults with it than with the system's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::ffi::c_void;

use libmimalloc_sys::{mi_calloc, mi_free, mi_malloc, mi_realloc};

/// Tree-sitter's allocations (the octoDNS, DNSControl and Terraform parsers: a parse
/// tree is thousands of small nodes) go to mimalloc too, not to the C library's
/// malloc. Out of memory aborts, as it does for Rust's allocations and in
/// tree-sitter's own default.
fn parsers_allocate_with_mimalloc() {
    fn non_null(p: *mut c_void, bytes: usize) -> *mut c_void {
        if p.is_null() && bytes != 0 {
            std::process::abort();
        }
        p
    }
    unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
        // SAFETY: mimalloc's malloc, for any size.
        non_null(unsafe { mi_malloc(size) }, size)
    }
    unsafe extern "C" fn calloc(n: usize, size: usize) -> *mut c_void {
        // SAFETY: as above; mimalloc checks `n * size` for overflow.
        non_null(unsafe { mi_calloc(n, size) }, n.saturating_mul(size))
    }
    unsafe extern "C" fn realloc(p: *mut c_void, size: usize) -> *mut c_void {
        // SAFETY: `p` is null or came from these functions (tree-sitter's contract).
        non_null(unsafe { mi_realloc(p, size) }, size)
    }
    unsafe extern "C" fn free(p: *mut c_void) {
        // SAFETY: as for `realloc`.
        unsafe { mi_free(p) }
    }
    // SAFETY: called first thing in `main`, before any tree-sitter object exists and
    // before other threads; the four functions are one allocator family, and mimalloc
    // aligns as malloc does.
    unsafe { tree_sitter::set_allocator(Some(tree_sitter::Allocator { malloc, calloc, realloc, free })) };
}

fn main() {
    parsers_allocate_with_mimalloc();
    std::process::exit(zonels::cli::main());
}
