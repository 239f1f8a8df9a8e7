//! How the process takes memory from the system: page sizes and when freed memory goes
//! back, set for the size of the input.

/// A file from which on a check frees and allocates in bulk (see
/// [`return_freed_memory_sooner`]) and parses on huge pages (see [`huge_pages`]).
pub const LARGE_FILE: usize = 16 << 20;

/// `mi_option_purge_delay` in `mi_option_t`: 15 in mimalloc 3 (what libmimalloc-sys
/// builds) as in 2; the bindings name no constant for it. The version is pinned in
/// Cargo.toml, and a test checks the option's default (1 000 ms in mimalloc 3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed in bulk goes back to the system after 1 ms instead of mimalloc's 1 s.
///
/// A check of a large zone frees its parse buffers, then its indexes, while the next
/// phase allocates; while the freed pages are held, that phase lands on fresh ones and
/// the peak is both at once: on the 1M-record zone, 411 MiB with the default delay,
/// 405 with 10 ms, 393 with 1 ms (at the cost of re-faulting pages: 113 000 → 153 000
/// page faults). For many small files (and in the language server) the default is
/// faster: freed pages are reused before they would be purged. `MIMALLOC_PURGE_DELAY`
/// still decides.
pub fn return_freed_memory_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets an option of the allocator the binary links (of none in use in
        // a test build), between the load and the analysis: no other thread runs.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    }
}

/// Keeps memory in small pages (`true`: allows transparent huge pages again, in the
/// regions the allocator asks them for).
///
/// The allocator asks for huge pages throughout; with them a 10k-record check would
/// take three times its memory and the language server would hold on to whole 2 MiB
/// pages for hours. So memory is in small pages but while a large file is read and its
/// zone parsed: its text, records and names are dense and live to the end, and
/// faulting them in 2 MiB at a time instead of 4 KiB takes ~60 000 of the 1M-record
/// zone's 150 000 page faults (and their TLB misses) away, ~10 % of the check's time,
/// for ~3 MiB more at the peak.
/// What comes later (indexes, findings) is freed and allocated in pieces, for which
/// huge pages would cost memory: measured, 8 more MiB for 40 000 fewer faults.
pub fn huge_pages(allow: bool) {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with integer arguments; a failure is an error return.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, libc::c_ulong::from(!allow), 0, 0, 0);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = allow;
}

/// Huge pages allowed (see [`huge_pages`]) while this lives; dropped (on a panic too),
/// the setting is what it was before.
pub struct HugePages {
    restore: bool,
}

impl HugePages {
    pub fn allow() -> HugePages {
        #[cfg(target_os = "linux")]
        {
            // SAFETY: prctl with integer arguments; 1 when huge pages are off, 0 when
            // on, -1 on error (then nothing is changed or restored).
            let off = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) } == 1;
            if off {
                huge_pages(true);
            }
            HugePages { restore: off }
        }
        #[cfg(not(target_os = "linux"))]
        HugePages { restore: false }
    }
}

impl Drop for HugePages {
    fn drop(&mut self) {
        if self.restore {
            huge_pages(false);
        }
    }
}

/// Runs `f` with huge pages allowed, then restores the previous setting: for one large,
/// dense buffer such as a big zone file's text.
pub fn with_huge_pages<T>(f: impl FnOnce() -> T) -> T {
    let _allowed = HugePages::allow();
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_named() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return; // the environment decides the value: nothing to compare with
        }
        // SAFETY: reads an option of the linked allocator.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000, "mimalloc's default purge delay");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_turned_off_and_on_for_the_process() {
        let thp = || {
            let status = std::fs::read_to_string("/proc/self/status").unwrap();
            status.lines().find_map(|l| l.strip_prefix("THP_enabled:")).map(|v| v.trim().to_string())
        };
        // Kernels before 5.0 do not report the flag: nothing to read back.
        if thp().is_none() {
            return;
        }
        huge_pages(false);
        assert_eq!(thp().as_deref(), Some("0"));
        huge_pages(true);
        assert_eq!(thp().as_deref(), Some("1"));
        huge_pages(false);
        assert_eq!(thp().as_deref(), Some("0"));
        // Allowed inside, and off again after.
        assert_eq!(with_huge_pages(thp).as_deref(), Some("1"));
        assert_eq!(thp().as_deref(), Some("0"));
        // Left on when they were on.
        huge_pages(true);
        assert_eq!(with_huge_pages(thp).as_deref(), Some("1"));
        assert_eq!(thp().as_deref(), Some("1"));
        huge_pages(false);
    }
}
