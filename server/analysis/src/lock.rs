//! `zonels.lock`: the DNS answers for names outside the repository that the checks
//! depend on, written by `zonels lock` and committed, so CI runs are deterministic and
//! need no network.
//!
//! ```toml
//! version = 1
//!
//! [[answer]]
//! name = "_spf.google.com."
//! type = "TXT"
//! rcode = "NOERROR"
//! fetched = "2026-11-28T05:40:00Z"
//! records = ['"v=spf1 include:_netblocks.google.com ~all"']
//! ```
//!
//! One `[[answer]]` per (name, type), sorted by name then type. `rcode` is `NOERROR`
//! (with `records`, possibly empty), `NXDOMAIN` or `SERVFAIL`. Records are in zone-file
//! presentation format.

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, FileId};
use crate::dns::{Answers, DnsResult, QType, Rdata};
use crate::text::TextRange;

pub const FILE_NAME: &str = "zonels.lock";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLock {
    version: Spanned<u32>,
    #[serde(default)]
    answer: Vec<Spanned<RawAnswer>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    name: String,
    #[serde(rename = "type")]
    rtype: String,
    rcode: String,
    fetched: String,
    #[serde(default)]
    records: Vec<String>,
    #[serde(default)]
    error: Option<String>,
}

fn invalid(file: FileId, range: TextRange, msg: String) -> Diagnostic {
    Diagnostic::new(&crate::rules::lock::invalid::RULE, file, range, msg)
}

/// Parses a lock file. Entries older than `max_age_days` (relative to `now`, Unix
/// seconds) are reported as stale.
pub fn parse(text: &str, file: FileId, now: u64, max_age_days: u64) -> (Answers, Vec<Diagnostic>) {
    let mut answers = Answers::default();
    let mut diags = Vec::new();
    let raw: RawLock = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let range = e.span().map_or(TextRange::default(), |s| TextRange::from_usize(s.start, s.end));
            diags.push(invalid(
                file,
                range,
                format!("zonels.lock is not valid: {}; it is ignored (regenerate it with `zonels lock`)", e.message().trim()),
            ));
            return (answers, diags);
        }
    };
    if *raw.version.get_ref() != 1 {
        let s = raw.version.span();
        diags.push(invalid(
            file,
            TextRange::from_usize(s.start, s.end),
            format!("zonels.lock version {} is not supported (this zonels writes version 1)", raw.version.get_ref()),
        ));
        return (answers, diags);
    }
    let mut stale = 0usize;
    let mut oldest: Option<(u64, TextRange)> = None;
    for entry in raw.answer {
        let span = entry.span();
        let range = TextRange::from_usize(span.start, span.end);
        let a = entry.into_inner();
        let Some(t) = QType::parse(&a.rtype) else {
            diags.push(invalid(file, range, format!("unsupported type `{}` (A, AAAA, MX, TXT, PTR)", a.rtype)));
            continue;
        };
        let Some(fetched) = parse_time(&a.fetched) else {
            diags.push(invalid(file, range, format!("`{}` is not a time (write `2026-01-31T12:00:00Z`)", a.fetched)));
            continue;
        };
        let result = match a.rcode.as_str() {
            "NXDOMAIN" => DnsResult::NxDomain,
            "SERVFAIL" => DnsResult::Error(a.error.unwrap_or_else(|| "SERVFAIL".into())),
            "NOERROR" => {
                let mut records = Vec::new();
                let mut bad = false;
                for r in &a.records {
                    match Rdata::parse(t, r) {
                        Some(x) => records.push(x),
                        None => {
                            diags.push(invalid(file, range, format!("`{r}` is not {t} data")));
                            bad = true;
                        }
                    }
                }
                if bad {
                    continue;
                }
                if records.is_empty() { DnsResult::NoData } else { DnsResult::Records(records) }
            }
            other => {
                diags.push(invalid(file, range, format!("`rcode = \"{other}\"` is not NOERROR, NXDOMAIN or SERVFAIL")));
                continue;
            }
        };
        if now > fetched && now - fetched > max_age_days * 86_400 {
            stale += 1;
            if oldest.is_none_or(|(o, _)| fetched < o) {
                oldest = Some((fetched, range));
            }
        }
        answers.insert(&a.name, t, result, fetched);
    }
    if let Some((when, range)) = oldest {
        diags.push(Diagnostic::new(
            &crate::rules::lock::stale_entry::RULE,
            file,
            range,
            format!(
                "{stale} answer{} in zonels.lock {} older than {max_age_days} days (the oldest was fetched {}); run `zonels lock` to refresh them",
                if stale == 1 { "" } else { "s" },
                if stale == 1 { "is" } else { "are" },
                format_time(when)
            ),
        ));
    }
    (answers, diags)
}

/// Writes a lock file: one answer per (name, type), sorted.
pub fn render(answers: &Answers) -> String {
    let mut out = String::from(
        "# zonels.lock: DNS answers for names outside this repository that zonels checks\n# depend on. Written by `zonels lock`; commit it so checks are the same offline and in CI.\nversion = 1\n",
    );
    for ((name, t), e) in &answers.entries {
        out.push_str("\n[[answer]]\n");
        out.push_str(&format!("name = {}\n", toml_str(name)));
        out.push_str(&format!("type = \"{t}\"\n"));
        out.push_str(&format!("rcode = \"{}\"\n", e.result.rcode()));
        out.push_str(&format!("fetched = \"{}\"\n", format_time(e.fetched)));
        if let DnsResult::Error(msg) = &e.result {
            out.push_str(&format!("error = {}\n", toml_str(msg)));
        }
        let records = e.result.records();
        if !records.is_empty() {
            let mut texts: Vec<String> = records.iter().map(Rdata::to_text).collect();
            texts.sort();
            out.push_str("records = [\n");
            for r in texts {
                out.push_str(&format!("  {},\n", toml_str(&r)));
            }
            out.push_str("]\n");
        }
    }
    out
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `2026-11-28T05:40:00Z` from Unix seconds.
pub fn format_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

/// Unix seconds from `YYYY-MM-DDTHH:MM:SSZ`.
pub fn parse_time(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let days = days_from_civil(y as i64, mo, d);
    (days >= 0).then(|| days as u64 * 86_400 + h as u64 * 3600 + mi as u64 * 60 + se as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        let t = parse_time("2026-11-28T05:40:07Z").unwrap();
        assert_eq!(format_time(t), "2026-11-28T05:40:07Z");
        assert_eq!(parse_time("2024-02-29T00:00:00Z").map(format_time).as_deref(), Some("2024-02-29T00:00:00Z"));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn round_trip() {
        let mut a = Answers::default();
        a.insert(
            "_spf.example.net",
            QType::Txt,
            DnsResult::Records(vec![Rdata::Txt(vec![b"v=spf1 ip4:192.0.2.0/24 -all".to_vec()])]),
            1_700_000_000,
        );
        a.insert("nx.example.net.", QType::Txt, DnsResult::NxDomain, 1_700_000_000);
        a.insert("mx.example.net.", QType::Mx, DnsResult::Records(vec![Rdata::Mx(10, "a.example.net.".into())]), 1_700_000_000);
        a.insert("down.example.net.", QType::Txt, DnsResult::Error("timed out".into()), 1_700_000_000);
        let text = render(&a);
        let (b, diags) = parse(&text, FileId(0), 1_700_000_000, 30);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(a, b);
        let (_, diags) = parse(&text, FileId(0), 1_700_000_000 + 40 * 86_400, 30);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("4 answers in zonels.lock are older than 30 days"));
        let (_, diags) = parse(
            "version = 1\n[[answer]]\nname = \"x.\"\ntype = \"SOA\"\nrcode = \"NOERROR\"\nfetched = \"2026-01-01T00:00:00Z\"\n",
            FileId(0),
            0,
            30,
        );
        assert!(diags[0].message.contains("unsupported type"));
    }
}
