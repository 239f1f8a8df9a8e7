//! Output formats of `zonels check`: human (rustc/ruff style), JSON (version 1),
//! SARIF 2.1.0 and GitHub workflow annotations.

use std::io::{self, Write};

use serde_json::{Value, json};
use zonels_analysis::diagnostics::{Diagnostic, Edit, Severity};
use zonels_analysis::rules;
use zonels_analysis::source::SourceDb;
use zonels_analysis::text::PositionEncoding;

/// 1-based line and column (Unicode characters) of a byte offset.
fn pos(db: &SourceDb, d_file: zonels_analysis::FileId, offset: u32) -> (u32, u32) {
    let lc = db.get(d_file).line_col(offset, PositionEncoding::Utf32);
    (lc.line + 1, lc.col + 1)
}

struct Span {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

fn span(db: &SourceDb, file: zonels_analysis::FileId, range: zonels_analysis::text::TextRange) -> Span {
    let (line, column) = pos(db, file, range.start);
    let (end_line, end_column) = pos(db, file, range.end);
    Span { line, column, end_line, end_column }
}

fn counts(diags: &[Diagnostic]) -> (usize, usize, usize) {
    let c = |s| diags.iter().filter(|d| d.severity == s).count();
    (c(Severity::Error), c(Severity::Warning), c(Severity::Info))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// Expands tabs to 4 spaces; returns the expanded text and a map from char index to column.
fn expand_tabs(line: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(line.len());
    let mut cols = Vec::with_capacity(line.len() + 1);
    let mut col = 0;
    for ch in line.chars() {
        cols.push(col);
        if ch == '\t' {
            out.push_str("    ");
            col += 4;
        } else {
            out.push(ch);
            col += 1;
        }
    }
    cols.push(col);
    (out, cols)
}

/// Writes what `render` makes of each finding, in order. Blocks of findings are rendered
/// on all cores (a finding's text depends on it alone) while this thread writes the
/// blocks already rendered; each worker has at most one block waiting, so memory stays
/// at a few blocks per core whatever the number of findings.
fn write_each<F>(out: &mut impl Write, diags: &[Diagnostic], render: F) -> io::Result<()>
where
    F: Fn(usize, &Diagnostic, &mut Vec<u8>) -> io::Result<()> + Sync,
{
    const BLOCK: usize = 1024;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || diags.len() < 2 * BLOCK {
        let mut buf = Vec::new();
        for (i, d) in diags.iter().enumerate() {
            buf.clear();
            render(i, d, &mut buf)?;
            out.write_all(&buf)?;
        }
        return Ok(());
    }
    let blocks: Vec<&[Diagnostic]> = diags.chunks(BLOCK).collect();
    let render = &render;
    std::thread::scope(|s| -> io::Result<()> {
        // Worker `w` renders blocks w, w + threads, w + 2·threads, … in that order, so
        // the blocks arrive in order by taking one from each worker in turn.
        let receivers: Vec<_> = (0..threads)
            .map(|w| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<io::Result<Vec<u8>>>(1);
                let blocks = &blocks;
                s.spawn(move || {
                    for k in (w..blocks.len()).step_by(threads) {
                        let mut buf = Vec::with_capacity(BLOCK * 512);
                        let first = k * BLOCK;
                        let done = blocks[k].iter().enumerate().try_for_each(|(j, d)| render(first + j, d, &mut buf));
                        // The writer has stopped (an error): stop too.
                        if tx.send(done.map(|()| buf)).is_err() {
                            return;
                        }
                    }
                });
                rx
            })
            .collect();
        for k in 0..blocks.len() {
            let block = receivers[k % threads].recv().map_err(|_| io::Error::other("a rendering thread stopped"))??;
            out.write_all(&block)?;
        }
        Ok(())
    })
}

pub fn human(out: &mut impl Write, db: &SourceDb, diags: &[Diagnostic], files: usize) -> io::Result<()> {
    write_each(out, diags, |_, d, out| {
        let src = db.get(d.file);
        let s = span(db, d.file, d.range);
        writeln!(out, "{}:{}:{}: {}[{}]: {}", src.display_path, s.line, s.column, d.severity, d.code(), d.message)?;
        if !src.text.is_empty() {
            let line_text = src.line_text(s.line - 1);
            let (shown, cols) = expand_tabs(line_text);
            let gutter = s.line.to_string().len();
            let start_char = (s.column - 1) as usize;
            let end_char = if s.end_line == s.line { (s.end_column - 1) as usize } else { line_text.chars().count() };
            let start_col = cols.get(start_char).copied().unwrap_or(shown.len());
            let end_col = cols.get(end_char.max(start_char)).copied().unwrap_or(shown.len());
            let width = (end_col.saturating_sub(start_col)).max(1);
            writeln!(out, "{:gutter$} |", "")?;
            writeln!(out, "{} | {}", s.line, shown.trim_end())?;
            writeln!(out, "{:gutter$} | {}{}", "", " ".repeat(start_col), "^".repeat(width))?;
            for f in &d.fixes {
                let tag = if f.applicability == zonels_analysis::Applicability::Safe { "fix" } else { "fix (changes behaviour)" };
                writeln!(out, "{:gutter$} = {tag}: {}", "", f.title)?;
            }
        }
        for r in &d.related {
            let rs = span(db, r.file, r.range);
            writeln!(out, "  note: {}:{}:{}: {}", db.get(r.file).display_path, rs.line, rs.column, r.message)?;
        }
        writeln!(out)
    })?;
    let (e, w, i) = counts(diags);
    if diags.is_empty() {
        writeln!(out, "No findings in {}.", plural(files, "file"))?;
    } else {
        writeln!(out, "Found {}, {}, {} in {}.", plural(e, "error"), plural(w, "warning"), plural(i, "info"), plural(files, "file"))?;
    }
    Ok(())
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it (`"`, `\\`, the
/// short forms `\b \f \n \r \t`, other control characters as `\u00XX`). Runs of
/// bytes that need no escape are copied whole: most text here needs none.
fn json_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.push(b'"');
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs an escape.
        if let Some(word) = bytes[i..].first_chunk::<8>()
            && !needs_escape(u64::from_le_bytes(*word))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[run..i - 1]);
        run = i;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]),
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// Whether any of eight bytes is a control character, `"` or `\\` (exact: the usual
/// "has a byte less than n" and "has a zero byte" bit tricks, which never flag a byte
/// at or above 0x80).
fn needs_escape(x: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    (below_space | zero_in(x ^ (ONES * u64::from(b'"'))) | zero_in(x ^ (ONES * u64::from(b'\\')))) != 0
}

/// Appends `"path":…,"line":…,"column":…,"end_line":…,"end_column":…` for `range`.
fn json_location(out: &mut Vec<u8>, db: &SourceDb, file: zonels_analysis::FileId, range: zonels_analysis::text::TextRange) {
    let s = span(db, file, range);
    let mut n = itoa::Buffer::new();
    out.extend_from_slice(b"\"path\":");
    json_str(out, &db.get(file).display_path);
    for (key, v) in
        [(&b",\"line\":"[..], s.line), (b",\"column\":", s.column), (b",\"end_line\":", s.end_line), (b",\"end_column\":", s.end_column)]
    {
        out.extend_from_slice(key);
        out.extend_from_slice(n.format(v).as_bytes());
    }
}

/// One finding as a compact JSON object: the fields in the order of the version-1
/// contract (product.md), written straight into `out` (no value tree per finding).
fn json_diagnostic(out: &mut Vec<u8>, db: &SourceDb, d: &Diagnostic) {
    out.push(b'{');
    json_location(out, db, d.file, d.range);
    out.extend_from_slice(b",\"severity\":");
    json_str(out, d.severity.as_str());
    out.extend_from_slice(b",\"code\":");
    json_str(out, d.code());
    out.extend_from_slice(b",\"message\":");
    json_str(out, &d.message);
    out.extend_from_slice(b",\"fixes\":");
    json_array(out, &d.fixes, |out, f| {
        out.extend_from_slice(b"{\"title\":");
        json_str(out, &f.title);
        out.extend_from_slice(b",\"edits\":");
        json_array(out, &f.edits, |out, e| {
            out.push(b'{');
            json_location(out, db, e.file, e.range);
            out.extend_from_slice(b",\"new_text\":");
            json_str(out, &e.new_text);
            out.push(b'}');
        });
        out.push(b'}');
    });
    out.push(b'}');
}

/// Appends `[…]`: what `each` writes for each item, separated by commas.
fn json_array<T>(out: &mut Vec<u8>, items: &[T], mut each: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, item);
    }
    out.push(b']');
}

/// The version-1 JSON document, streamed: one finding per line inside the array, so
/// output of any size costs no more memory than one finding.
pub fn json(out: &mut impl Write, db: &SourceDb, diags: &[Diagnostic], files: usize) -> io::Result<()> {
    out.write_all(b"{\n  \"version\": 1,\n  \"diagnostics\": [")?;
    write_each(out, diags, |i, d, out| {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"\n    ");
        json_diagnostic(out, db, d);
        Ok(())
    })?;
    let (e, w, i) = counts(diags);
    let summary = json!({"files": files, "error": e, "warning": w, "info": i});
    write!(out, "{}],\n  \"summary\": {summary}\n}}\n", if diags.is_empty() { "" } else { "\n  " })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(db: &SourceDb, file: zonels_analysis::FileId, range: zonels_analysis::text::TextRange) -> Value {
    let s = span(db, file, range);
    json!({"startLine": s.line, "startColumn": s.column, "endLine": s.end_line, "endColumn": s.end_column})
}

pub fn sarif(out: &mut impl Write, db: &SourceDb, diags: &[Diagnostic]) -> io::Result<()> {
    let all = rules::all();
    let rule_list: Vec<Value> = all
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc_text(), "markdown": r.doc_text()},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let index = all.iter().position(|r| r.code == d.code()).unwrap_or(0);
            json!({
                "ruleId": d.code(),
                "ruleIndex": index,
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&db.get(d.file).display_path)},
                    "region": region(db, d.file, d.range),
                }}],
                "relatedLocations": d.related.iter().enumerate().map(|(i, r)| json!({
                    "id": i,
                    "message": {"text": r.message},
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&db.get(r.file).display_path)},
                        "region": region(db, r.file, r.range),
                    },
                })).collect::<Vec<_>>(),
                "fixes": d.fixes.iter().map(|f| json!({
                    "description": {"text": f.title},
                    "artifactChanges": group_edits(&f.edits).into_iter().map(|(file, edits)| json!({
                        "artifactLocation": {"uri": uri(&db.get(file).display_path)},
                        "replacements": edits.iter().map(|e| json!({
                            "deletedRegion": region(db, e.file, e.range),
                            "insertedContent": {"text": e.new_text},
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "zonels",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/zonels/zonels",
                "rules": rule_list,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn group_edits(edits: &[Edit]) -> Vec<(zonels_analysis::FileId, Vec<&Edit>)> {
    let mut groups: Vec<(zonels_analysis::FileId, Vec<&Edit>)> = Vec::new();
    for e in edits {
        match groups.iter_mut().find(|(f, _)| *f == e.file) {
            Some((_, v)) => v.push(e),
            None => groups.push((e.file, vec![e])),
        }
    }
    groups
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github(out: &mut impl Write, db: &SourceDb, diags: &[Diagnostic]) -> io::Result<()> {
    write_each(out, diags, |_, d, out| {
        let s = span(db, d.file, d.range);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            gh_escape_prop(&db.get(d.file).display_path),
            s.line,
            s.column,
            s.end_line,
            s.end_column,
            gh_escape_prop(d.code()),
            gh_escape_data(&d.message)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0u8..0x80).map(char::from).collect();
        for s in [
            "",
            "plain",
            "aaaaaaa\"",
            "aaaaaaaa\\bbbbbbb\u{1f}",
            "é\u{0}aaaaaaaaaaaaaaaaaaaaaaaaa\"",
            "\"quoted\" \\back\\",
            "tab\there\nnew\r\u{8}\u{c}",
            "\u{1}\u{1f}\u{7f}",
            "é ☃ 𝄞",
            &every_ascii,
        ] {
            let mut out = Vec::new();
            json_str(&mut out, s);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn arrays_separate_their_items_with_commas() {
        for (items, expected) in [(&[][..], "[]"), (&["a"][..], "[\"a\"]"), (&["a", "b\"", "c"][..], "[\"a\",\"b\\\"\",\"c\"]")] {
            let mut out = Vec::new();
            json_array(&mut out, items, |out, s| json_str(out, s));
            assert_eq!(String::from_utf8(out).unwrap(), expected);
            assert_eq!(expected, serde_json::to_string(items).unwrap());
        }
    }

    #[test]
    fn the_eight_byte_test_flags_exactly_the_bytes_to_escape() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let expected = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(needs_escape(u64::from_le_bytes(word)), expected, "byte {b:#x} at {at}");
                // Next to bytes at or above 0x80 (UTF-8), which must not flag.
                let mut high = [0xc3; 8];
                high[at] = b;
                assert_eq!(needs_escape(u64::from_le_bytes(high)), expected, "byte {b:#x} at {at} among 0xc3");
            }
        }
    }
}
