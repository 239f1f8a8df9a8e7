//! The example records of RFC 7208 (SPF), RFC 6376 and RFC 8463 (DKIM) and RFC 7489 /
//! RFC 9989 (DMARC) parse cleanly: no finding above info, except the ones listed here,
//! each with the reason the RFC's example and today's practice part ways.

mod common;

use common::{check_dir, fixtures};
use zonels_analysis::Severity;

/// (file, line, code, why it is expected).
const EXPECTED: &[(&str, u32, &str, &str)] = &[
    (
        "rfc7208.example.com.zone",
        19,
        "spf/permissive-all",
        "A.4 shows `+all` after negative terms to illustrate syntax; published, it passes the internet",
    ),
    ("rfc7208.example.com.zone", 20, "spf/permissive-all", "A.4 again: `+all` as the catch-all"),
    ("rfc7208.example.com.zone", 21, "spf/ptr-mechanism", "A.1 shows `ptr`, which §5.5 itself says SHOULD NOT be published"),
    ("rfc6376.example.com.zone", 9, "dkim/weak-key", "RFC 6376's example key is 1024 bits; RFC 8301 (2018) recommends 2048"),
    ("rfc6376.example.com.zone", 14, "dkim/weak-key", "RFC 8463's RSA example key is 1024 bits too"),
    (
        "rfc7489.example.com.zone",
        13,
        "dmarc/partial-pct",
        "B.2.3 uses pct=25, which leaves three in four failing messages unpoliced at RFC 7489 receivers",
    ),
];

#[test]
fn rfc_example_records_parse_cleanly() {
    let dir = fixtures().join("rfc-examples");
    let (ws, analysis) = check_dir(&dir);
    let mut unexpected = Vec::new();
    let mut seen = vec![false; EXPECTED.len()];
    for d in &analysis.diagnostics {
        if d.severity == Severity::Info {
            continue;
        }
        let src = ws.sources.get(d.file);
        let line = src.line_col(d.range.start, zonels_analysis::text::PositionEncoding::Utf32).line + 1;
        match EXPECTED.iter().position(|(f, l, c, _)| *f == src.display_path && *l == line && *c == d.code()) {
            Some(i) => seen[i] = true,
            None => unexpected.push(format!("{}:{line}: {} {}", src.display_path, d.code(), d.message)),
        }
    }
    assert!(unexpected.is_empty(), "unexpected findings on RFC examples:\n{}", unexpected.join("\n"));
    let missing: Vec<_> = EXPECTED.iter().zip(&seen).filter(|(_, s)| !**s).map(|(e, _)| format!("{}:{} {}", e.0, e.1, e.2)).collect();
    assert!(missing.is_empty(), "expected findings that did not occur: {missing:?}");
}
