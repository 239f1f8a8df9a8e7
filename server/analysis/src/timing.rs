//! Phase timings (and resident memory) for measuring where a check spends its time (`ZONELS_TIMINGS=1`
//! makes the CLI print them to standard error). Off by default; a phase that is not
//! recorded costs one relaxed atomic load.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static PHASES: Mutex<Vec<Phase>> = Mutex::new(Vec::new());

/// One finished phase: its name, when it started (since the first recorded phase's
/// start, or since [`enable`]) and how long it took.
#[derive(Clone, Debug)]
pub struct Phase {
    pub name: &'static str,
    pub start: Duration,
    pub took: Duration,
    /// Resident memory when the phase ended, when a probe is set.
    pub rss: Option<u64>,
}

static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
/// Reads the process's resident memory in bytes (the caller knows how: the core does no IO).
static MEMORY: std::sync::OnceLock<fn() -> Option<u64>> = std::sync::OnceLock::new();

/// Sets how the resident memory at the end of each phase is read.
pub fn set_memory_probe(probe: fn() -> Option<u64>) {
    let _ = MEMORY.set(probe);
}

/// Starts recording phases from now on.
pub fn enable() {
    EPOCH.get_or_init(Instant::now);
    ENABLED.store(true, Ordering::Relaxed);
}

/// A phase in progress; recorded when dropped.
pub struct Guard {
    name: &'static str,
    start: Option<Instant>,
}

/// Times the code until the returned guard is dropped.
pub fn phase(name: &'static str) -> Guard {
    let start = ENABLED.load(Ordering::Relaxed).then(Instant::now);
    Guard { name, start }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let Some(start) = self.start else { return };
        let epoch = *EPOCH.get_or_init(Instant::now);
        let rss = MEMORY.get().and_then(|probe| probe());
        let phase = Phase { name: self.name, start: start.saturating_duration_since(epoch), took: start.elapsed(), rss };
        if let Ok(mut p) = PHASES.lock() {
            p.push(phase);
        }
    }
}

/// The phases recorded so far, in the order they started.
pub fn phases() -> Vec<Phase> {
    let mut p = PHASES.lock().map(|p| p.clone()).unwrap_or_default();
    p.sort_by_key(|p| p.start);
    p
}

/// The recorded phases as a table, one line each (start offset, duration, name).
pub fn report() -> String {
    let mut out = String::new();
    for p in phases() {
        let rss = p.rss.map(|b| format!("{:>6} MiB", b >> 20)).unwrap_or_default();
        out.push_str(&format!("{:>8.1} ms {:>8.1} ms {rss}  {}\n", p.start.as_secs_f64() * 1e3, p.took.as_secs_f64() * 1e3, p.name));
    }
    out
}
