//! Small helpers shared across rules.

/// Edit distance counting an insertion, deletion, substitution or swap of two
/// neighbouring characters as one edit (optimal string alignment), case-insensitive:
/// `rau` is one edit from `rua`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
}

/// `bytes` as text, invalid UTF-8 replaced by U+FFFD: [`String::from_utf8_lossy`],
/// with the validation's ASCII fast path first (record values are almost always
/// valid, and this is asked of every term and tag).
pub fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The candidate closest to `word` within `max` edits, if any.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    candidates.into_iter().map(|c| (edit_distance(word, c), c)).filter(|&(d, _)| d <= max).min_by_key(|&(d, _)| d).map(|(_, c)| c)
}

/// The labels an address is looked up under, most specific first, each followed by a
/// dot: IPv4 octets reversed (`10.2.0.192.`), IPv6 nibbles reversed (`1.0.0.0.….2.`),
/// for `in-addr.arpa`/`ip6.arpa` (RFC 1035 §3.5, RFC 3596 §2.5) and DNS blocklists
/// (RFC 5782 §2.1, §2.4).
pub fn reversed_labels(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(a) => {
            let o = a.octets();
            format!("{}.{}.{}.{}.", o[3], o[2], o[1], o[0])
        }
        std::net::IpAddr::V6(a) => {
            let mut s = String::with_capacity(64);
            for b in a.octets().iter().rev() {
                s.push_str(&format!("{:x}.{:x}.", b & 0xf, b >> 4));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn distances() {
        assert_eq!(super::edit_distance("redirect", "redirct"), 1);
        assert_eq!(super::edit_distance("rua", "rau"), 1);
        assert_eq!(super::closest("rejected", ["none", "quarantine", "reject"], 3), Some("reject"));
    }
}

/// `f` of every item, on all cores: each worker takes the next item as it finishes one
/// (list the costliest first). The results come in item order, whatever ran where.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_beside(items, f, || ()).0
}

/// [`par_map`], while this thread first runs `beside` (work that must stay on it), then
/// takes items too.
pub fn par_map_beside<T: Sync, R: Send, B>(items: &[T], f: impl Fn(&T) -> R + Sync, beside: impl FnOnce() -> B) -> (Vec<R>, B) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if threads < 2 {
        let b = beside();
        return (items.iter().map(f).collect(), b);
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { return done };
            done.push((i, f(item)));
        }
    };
    let (mut done, b): (Vec<(usize, R)>, B) = std::thread::scope(|s| {
        let workers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let b = beside();
        let mut done = work();
        for w in workers {
            done.extend(w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        (done, b)
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    (done.into_iter().map(|(_, r)| r).collect(), b)
}

/// Sorts `items` stably by `cmp` without a buffer of their size: the sort orders their
/// indices (a stable sort of `n` items keeps up to `n` of them aside), then moves each
/// item to its place by swaps.
pub fn sort_in_place_by<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    order.sort_by(|&a, &b| cmp(&items[a as usize], &items[b as usize]));
    // `order[i]` is where the item for place `i` is now. Each cycle of the permutation
    // is followed once, carrying one item along it.
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at] as usize;
            order[at] = at as u32;
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// The position of `item` in `items`, when it is one of them (by address, not value).
pub fn index_in<T>(items: &[T], item: &T) -> Option<usize> {
    let size = std::mem::size_of::<T>().max(1);
    let offset = (item as *const T as usize).checked_sub(items.as_ptr() as usize)?;
    (offset % size == 0 && offset / size < items.len()).then_some(offset / size)
}

/// What a [`Job`] does: adds its findings.
pub type JobFn<'a> = Box<dyn Fn(&mut Vec<crate::diagnostics::Diagnostic>) + Sync + 'a>;

/// A unit of checking work for [`run_jobs`]: what it is called (for timings), roughly
/// what it costs (any unit, the same for all jobs of a run), and what it does.
pub struct Job<'a> {
    pub name: &'static str,
    pub cost: u64,
    pub run: JobFn<'a>,
}

impl<'a> Job<'a> {
    pub fn new(name: &'static str, cost: u64, run: impl Fn(&mut Vec<crate::diagnostics::Diagnostic>) + Sync + 'a) -> Self {
        Job { name, cost, run: Box::new(run) }
    }
}

/// Runs `jobs` on all cores, costliest first (so that no long job starts last and
/// leaves the other cores idle), and returns their findings in the order of `jobs`.
pub fn run_jobs(jobs: &[Job<'_>]) -> Vec<Vec<crate::diagnostics::Diagnostic>> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].cost));
    let found = par_map(&order, |&i| {
        let _t = crate::timing::phase(jobs[i].name);
        let mut found = Vec::new();
        (jobs[i].run)(&mut found);
        found
    });
    let mut out: Vec<Vec<crate::diagnostics::Diagnostic>> = (0..jobs.len()).map(|_| Vec::new()).collect();
    for (&i, f) in order.iter().zip(found) {
        out[i] = f;
    }
    out
}

#[cfg(test)]
mod par_tests {
    #[test]
    fn index_in_finds_items_by_address() {
        let items = vec![7u64, 7, 7];
        assert_eq!(super::index_in(&items, &items[2]), Some(2));
        assert_eq!(super::index_in(&items[1..], &items[0]), None);
        let other = 7u64;
        assert_eq!(super::index_in(&items, &other), None);
    }

    #[test]
    fn sorting_in_place_is_the_stable_sort() {
        let mut seed = 12345u64;
        for n in [0usize, 1, 2, 3, 10, 257, 5000] {
            let items: Vec<(u64, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 33) % (n as u64 / 3 + 1), i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|p| p.0);
            let mut got = items;
            super::sort_in_place_by(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, expected, "{n} items");
        }
    }

    #[test]
    fn par_map_keeps_item_order() {
        let items: Vec<u64> = (0..1000).collect();
        let out = super::par_map(&items, |&n| {
            // Uneven work, so workers finish out of order.
            (0..(n % 7) * 1000).fold(n, |a, b| a.wrapping_add(b % 3)) - (0..(n % 7) * 1000).map(|b| b % 3).sum::<u64>()
        });
        assert_eq!(out, items);
        assert!(super::par_map(&[] as &[u8], |&b| b).is_empty());
    }
}
