//! The quick look after an edit: re-read only the changed lines of a zone file and
//! report their syntax and data findings at once, together with the last analysis's
//! findings for the rest of the file, moved along with the text. The full analysis runs
//! next and replaces them; on a large zone it takes a while, and typing should not wait.

use std::sync::Arc;

use ropey::Rope;
use zonels_analysis::analysis;
use zonels_analysis::diagnostics::{Diagnostic, FileId};
use zonels_analysis::model::Zone;
use zonels_analysis::source::{NoIncludes, SourceFile};
use zonels_analysis::text::TextRange;
use zonels_analysis::zone::parser::{ParseInput, Resume, parse_region};

use super::state::Snapshot;

/// The most text the quick look re-reads; a larger change waits for the full analysis.
const MAX_REGION: usize = 64 * 1024;

/// What the quick look found: fresh findings for the re-read lines and, for the rest of
/// the file, the last analysis's (borrowed; those after the change are moved by `delta`).
pub struct Quick<'a> {
    fresh: Vec<Diagnostic>,
    kept: Vec<&'a Diagnostic>,
    /// The text the kept findings point into.
    pub old: &'a SourceFile,
    /// Old-text offset from which kept findings move, by `delta` bytes and `line_delta`
    /// lines (the re-read region is whole lines: columns stay).
    moved_from: u32,
    delta: i64,
    line_delta: i64,
}

/// Where a finding of the quick look is.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// In the new text, at this range.
    New(TextRange),
    /// At its range in the old text, moved down by this many lines.
    Old(i64),
}

/// The quick look at `rope`, the new text of `file` in `snap`, or `None` when the change
/// cannot be read on its own (it touches directives, leaves a `(` open, the file is a
/// fragment another zone includes, the edit is at the very top, …). `unchanged`, when
/// known, is how many bytes at either end the edits since the analysed text left alone;
/// otherwise the texts are compared.
pub fn findings<'a>(snap: &'a Snapshot, file: FileId, rope: &Rope, unchanged: Option<(usize, usize)>) -> Option<Quick<'a>> {
    let world = &snap.world;
    let old_src = world.sources.get(file);
    let old: &str = &old_src.text;
    if world.zones.iter().any(|z| z.file != file && z.included.contains(&file)) {
        return None;
    }
    // Zone files only: a host file is re-read whole by the full analysis.
    let zone = world.zones.iter().find(|z| z.file == file).filter(|z| z.format == zonels_analysis::model::Format::Bind)?;
    let (prefix, suffix) = match unchanged {
        Some((p, s)) => {
            let n = old.len().min(rope.len_bytes());
            let p = p.min(n);
            (p, s.min(n - p))
        }
        None => common_ends(old.as_bytes(), rope),
    };
    let old_end = old.len() - suffix;
    let delta = rope.len_bytes() as i64 - old.len() as i64;
    let (region_old, prev) = region(zone, file, old, prefix, old_end)?;
    let region_new = region_old.start as usize..usize::try_from(region_old.end as i64 + delta).ok()?;
    if region_old.len() as usize > MAX_REGION || region_new.len() > MAX_REGION {
        return None;
    }
    let new_lines = rope.get_byte_slice(region_new.clone())?.to_string();
    // Directives change how every later line reads. Parentheses may stay: the region
    // holds whole records of the old text, and the new lines are read alone only when
    // each `(` among them closes there (see `parse_region`).
    let directive = |t: &str| t.contains('$');
    if directive(&old[region_old.as_usize()]) || directive(&new_lines) {
        return None;
    }
    // The re-read lines, after the line before them (a suppression comment there counts).
    let context = memchr::memrchr(b'\n', &old.as_bytes()[..(region_old.start as usize).saturating_sub(1)]).map_or(0, |i| i + 1);
    let local: Arc<str> = Arc::from(format!("{}{new_lines}", &old[context..region_old.start as usize]));
    let local_region = TextRange::from_usize(region_old.start as usize - context, local.len());
    let prev_rec = &zone.records[prev];
    let default_ttl = zone.ttl_defaults.iter().rev().find(|(before, _)| *before as usize <= prev + 1).and_then(|(_, t)| *t);
    let resume = Resume {
        origin: prev_rec.origin.clone(),
        owner: Some(prev_rec.owner.clone()),
        default_ttl,
        last_ttl: Some(prev_rec.ttl),
        class: Some(prev_rec.class),
    };
    let input = ParseInput {
        file,
        path: &old_src.path,
        text: &local,
        origin: prev_rec.origin.clone(),
        origin_source: zone.origin_source,
        root: std::path::Path::new(""),
        loader: &NoIncludes,
        limits: &world.config.limits,
    };
    let (_, fresh) = parse_region(input, local_region, resume)?;
    let local_src = SourceFile::new(old_src.display_path.clone(), old_src.path.clone(), local.clone());
    let mut fresh = analysis::finish_file(&local_src, fresh, &world.config);
    for d in &mut fresh {
        d.range = shift(d.range, context as i64);
        d.record_start = d.record_start.map(|s| s + context as u32);
    }
    // The rest of the file: the last analysis's findings outside the re-read lines.
    let kept = snap
        .diagnostics
        .iter()
        .filter(|d| d.file == file)
        .filter(|d| {
            let anchor = d.record_start.unwrap_or(d.range.start);
            !(d.range.intersects(region_old) || region_old.contains(d.range.start) || region_old.contains(anchor))
        })
        .collect();
    let lines = |t: &[u8]| memchr::memchr_iter(b'\n', t).count() as i64;
    let line_delta = lines(new_lines.as_bytes()) - lines(&old.as_bytes()[region_old.as_usize()]);
    Some(Quick { fresh, kept, old: old_src, moved_from: region_old.end, delta, line_delta })
}

impl Quick<'_> {
    /// At most `limit` findings (0: all), chosen as for a full analysis, each with its
    /// place in the new text; and how many were left out. Related places and fixes are
    /// the full analysis's business.
    pub fn shown(&self, limit: usize) -> (Vec<(&Diagnostic, Place)>, usize) {
        let items: Vec<(&Diagnostic, TextRange, Place)> = self
            .fresh
            .iter()
            .map(|d| (d, d.range, Place::New(d.range)))
            .chain(self.kept.iter().map(|d| match d.range.start >= self.moved_from {
                true => (*d, shift(d.range, self.delta), Place::Old(self.line_delta)),
                false => (*d, d.range, Place::Old(0)),
            }))
            .collect();
        let (shown, hidden) = super::features::cap(items, limit, |(d, _, _)| d.severity, |(_, r, _)| (r.start, r.end));
        (shown.into_iter().map(|(d, _, place)| (d, place)).collect(), hidden)
    }
}

/// Lengths of the common prefix of `old` and `new` and of their common suffix (not
/// overlapping it), both ending on character boundaries.
fn common_ends(old: &[u8], new: &Rope) -> (usize, usize) {
    let n = old.len().min(new.len_bytes());
    let mut p = 0;
    for chunk in new.chunks() {
        let c = chunk.as_bytes();
        let m = c.len().min(n - p);
        // Slice equality is a memcmp; only a differing chunk is searched byte by byte.
        if c[..m] == old[p..p + m] {
            p += m;
            if m < c.len() {
                break;
            }
            continue;
        }
        p += c.iter().zip(&old[p..]).position(|(x, y)| x != y).unwrap_or(m);
        break;
    }
    while p > 0 && (old.get(p).is_some_and(|c| (c & 0xC0) == 0x80) || (p < new.len_bytes() && (new.byte(p) & 0xC0) == 0x80)) {
        p -= 1;
    }
    let max = n - p;
    let mut s = 0;
    for chunk in new.chunks_at_byte(new.len_bytes()).0.reversed() {
        let c = chunk.as_bytes();
        let m = c.len().min(max - s);
        let (cs, os) = (&c[c.len() - m..], &old[old.len() - s - m..old.len() - s]);
        if cs == os {
            s += m;
            if m < c.len() {
                break;
            }
            continue;
        }
        s += cs.iter().rev().zip(os.iter().rev()).position(|(x, y)| x != y).unwrap_or(m);
        break;
    }
    while s > 0 && ((old[old.len() - s] & 0xC0) == 0x80 || (new.byte(new.len_bytes() - s) & 0xC0) == 0x80) {
        s -= 1;
    }
    (p, s)
}

/// The whole lines of the old text to re-read for a change of `[start, end)`: from the
/// line after the last record of the file that ends before the change to the line of the
/// first record that starts after it. Returns them with the index (in the zone) of that
/// last untouched record, whose state the re-reading resumes from.
fn region(zone: &Zone, file: FileId, old: &str, start: usize, end: usize) -> Option<(TextRange, usize)> {
    let bytes = old.as_bytes();
    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1) as u32;
    let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(old.len(), |i| end + i) as u32;
    let mut prev = None;
    let mut next_start = None;
    for (i, r) in zone.records.iter().enumerate().filter(|(_, r)| r.file == file) {
        if r.span.end < line_start {
            prev = Some(i);
        } else if r.span.start > line_end {
            next_start = Some(r.span.start as usize);
            break;
        }
    }
    let prev = prev?;
    let after_prev =
        memchr::memchr(b'\n', &bytes[zone.records[prev].span.end as usize..]).map(|i| zone.records[prev].span.end as usize + i + 1)?;
    let region_end = match next_start {
        Some(s) => memchr::memrchr(b'\n', &bytes[..s]).map_or(0, |i| i + 1),
        None => old.len(),
    };
    (after_prev <= line_start as usize && region_end >= line_end as usize).then(|| (TextRange::from_usize(after_prev, region_end), prev))
}

fn shift(r: TextRange, delta: i64) -> TextRange {
    TextRange::new((r.start as i64 + delta) as u32, (r.end as i64 + delta) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ends_across_rope_chunks_and_multibyte_characters() {
        let old: String = (0..3000).map(|i| format!("r{i} IN A 192.0.2.{}\n", i % 250)).collect();
        let mid = old.len() / 2;
        let cases: Vec<String> = vec![
            old.clone(),
            format!("{}X{}", &old[..mid], &old[mid..]),
            format!("{}{}", &old[..mid], &old[mid + 7..]),
            format!("{}é{}", &old[..mid], &old[mid + 1..]),
            format!("x{old}"),
            format!("{old}x"),
            String::new(),
        ];
        for new in cases {
            let rope = Rope::from_str(&new);
            let (p, s) = common_ends(old.as_bytes(), &rope);
            assert!(p + s <= old.len().min(new.len()));
            assert_eq!(old[..p], new[..p]);
            assert_eq!(old[old.len() - s..], new[new.len() - s..]);
            // Maximal: the next byte on either side differs (or there is none).
            let rest_old = &old.as_bytes()[p..old.len() - s];
            let rest_new = &new.as_bytes()[p..new.len() - s];
            if !rest_old.is_empty() && !rest_new.is_empty() {
                assert!(rest_old[0] != rest_new[0] || !new.is_char_boundary(p + 1), "prefix stops early at {p}");
                assert!(rest_old[rest_old.len() - 1] != rest_new[rest_new.len() - 1] || !new.is_char_boundary(new.len() - s - 1));
            }
        }
    }
}
