//! Differential test against the `mail-auth` crate (a mail server's parser): it must
//! accept every SPF, DKIM and DMARC record we call valid and reject every one we call
//! invalid. The records are every one in the rule fixtures plus a hand-picked list.
//! Disagreements are listed below with their reasons; the list is checked both ways.

use std::path::{Path, PathBuf};

use mail_auth::common::parse::TxtRecordParser;
use zonels_analysis::analysis::{AnalysisInput, analyze};
use zonels_analysis::config::Config;
use zonels_analysis::mail::value::TxtValue;
use zonels_analysis::mail::{Kind, classify};
use zonels_analysis::records::spf::Modifier;
use zonels_analysis::records::{dkim_key::KeyVerdict, dmarc};
use zonels_analysis::source::{NoIncludes, SourceDb};

/// Where we deliberately disagree with mail-auth, and why.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "v=spf1 ip4:192.0.2.0/33 -all",
        "RFC 7208 §12 limits ip4-cidr-length to 0-32 and the RFC 7208 test suite expects permerror; mail-auth accepts /33",
    ),
    (
        "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
        "modifier names may contain `.`, `-`, `_` (RFC 7208 §12); the test suite's modifier-charset-good expects pass; mail-auth rejects it",
    ),
    (
        "v=spf1 ip4:192.0.2.0/24 inlcude:_spf.example.net a:foo-bar ip4:192.0.2.01 -all",
        "`inlcude:` is no mechanism, `a:foo-bar` has no valid top label and `192.0.2.01` a leading zero: each is PermError (RFC 7208 §4.6, §7.1, §12; the test suite's detect-errors-anywhere and invalid-domain); mail-auth accepts all three",
    ),
    (
        "v=DMARC1",
        "no `p=`: RFC 7489 §6.6.3 receivers discard the record, and RFC 9989 applies p=none only with a valid rua; mail-auth defaults to none",
    ),
    (
        "v=DMARC1; rua=mailto:dmarc@example.com",
        "no `p=`: RFC 7489 receivers discard it (zonels reports dmarc/missing-policy for them); mail-auth, like RFC 9989, applies p=none",
    ),
    (
        "v=DMARC1; p reject; rua=mailto:dmarc@example.com",
        "`p reject` has no `=`: a tag-list syntax error (RFC 7489 §6.4); mail-auth skips the malformed tag",
    ),
    (
        "v=DMARC1;\u{a0}p=reject",
        "a non-breaking space is not white space in a tag list (RFC 6376 §3.2, used by RFC 7489 §6.4), so `\u{a0}p` is no tag name; mail-auth treats it as a space",
    ),
    (
        "v=DMARC1; p=reject; rua=dmarc@example.com, mailto:bad; ruf=mailto:f@example.com!10q",
        "RFC 7489 §6.3: tag values with syntax errors are discarded, not the record (zonels reports dmarc/bad-uri); mail-auth rejects the whole record",
    ),
];

/// DKIM records are long: exceptions for them match on a pattern.
type Matcher = fn(&str) -> bool;

const DKIM_EXCEPTIONS: &[(Matcher, &str)] = &[
    (|t| t.starts_with("k=rsa; v=DKIM1; p="), "RFC 6376 §3.6.1: `v=`, when present, MUST be the first tag; mail-auth ignores the order"),
    (|t| t.matches("; p=").count() == 2, "the record has `p=` twice; RFC 6376 §3.2 makes the whole tag list invalid, mail-auth keeps one"),
];

fn fixture_zones(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            fixture_zones(&p, out);
        } else if p.extension().is_some_and(|x| x == "zone") {
            out.push(p);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Family {
    Spf,
    Dkim,
    Dmarc,
}

/// Every mail-auth record in the fixture zones, with its family.
fn corpus() -> Vec<(Family, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut files = Vec::new();
    fixture_zones(&root, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let mut db = SourceDb::new();
        let id = db.add_bytes(f.display().to_string(), f.clone(), std::fs::read(&f).unwrap());
        let config = Config::default();
        let input = AnalysisInput {
            sources: &db,
            dns: zonels_analysis::analysis::DnsInputs::none(),
            zone_files: &[id],
            root: f.parent().unwrap(),
            config: &config,
            loader: &NoIncludes,
        };
        let a = analyze(&input);
        for z in &a.zones {
            for r in z.records.iter().filter(|r| r.rtype == zonels_analysis::rrtype::RrType::TXT && !r.bad_rdata) {
                let v = TxtValue::of_record(r, &db);
                let fam = match classify(&r.owner, v.bytes()) {
                    Kind::Spf(_) => Family::Spf,
                    Kind::Dkim(_) => Family::Dkim,
                    Kind::Dmarc(_) if dmarc::looks_like_dmarc(v.bytes()) => Family::Dmarc,
                    _ => continue,
                };
                out.push((fam, v.bytes().to_vec()));
            }
        }
    }
    for r in EXTRA_SPF {
        out.push((Family::Spf, r.as_bytes().to_vec()));
    }
    for r in EXTRA_DMARC {
        out.push((Family::Dmarc, r.as_bytes().to_vec()));
    }
    out.sort();
    out.dedup();
    out
}

const EXTRA_SPF: &[&str] = &[
    "v=spf1 -all",
    "v=spf1 a mx -all",
    "v=spf1 a/24 mx:mail.example.com/28//64 ?all",
    "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all",
    "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
    "v=spf1 redirect=_spf.example.com",
    "v=spf1 -all exp=explain._spf.%{d}",
    "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
    "v=spf1 ip4:1.2.3.4 -all moo",
    "v=spf1 -all.",
    "v=spf1 -all:foobar",
    "v=spf1 ip4:192.0.2.0/33 -all",
    "v=spf1 include -all",
    "v=spf1 ptr/24 -all",
    "v=spf1 exists:%{x}.example.com -all",
    "v=spf1 exists:%(d).example.com -all",
];

const EXTRA_DMARC: &[&str] = &[
    "v=DMARC1; p=none",
    "v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=r; rua=mailto:a@example.com",
    "v=DMARC1; p=bogus",
    "v=DMARC1",
    "v=DMARC2; p=none",
];

fn ours(fam: Family, v: &[u8]) -> bool {
    match fam {
        Family::Spf => {
            let s = zonels_analysis::records::spf::parse(v);
            let dup = |name: &str| {
                s.terms
                    .iter()
                    .filter(|t| matches!((t.modifier(), name), (Some(Modifier::Redirect(_)), "redirect") | (Some(Modifier::Exp(_)), "exp")))
                    .count()
                    > 1
            };
            zonels_analysis::records::spf::is_spf(v) && s.errors.is_empty() && !dup("redirect") && !dup("exp")
        }
        Family::Dkim => {
            let d = zonels_analysis::records::dkim::parse(v);
            let version_ok = d.tags.position("v").is_none_or(|i| i == 0 && d.tags.tag(0).value == "DKIM1");
            d.tags.errors.is_empty()
                && d.tags.duplicates.is_empty()
                && version_ok
                && matches!(d.key, Some(KeyVerdict::Rsa { .. } | KeyVerdict::Ed25519))
                && matches!(d.key_type.as_str(), "rsa" | "ed25519")
        }
        Family::Dmarc => {
            let d = dmarc::parse(v);
            dmarc::has_valid_version(&d.tags) && d.tags.errors.is_empty() && d.policy().is_some()
        }
    }
}

fn theirs(fam: Family, v: &[u8]) -> bool {
    match fam {
        Family::Spf => mail_auth::spf::Spf::parse(v).is_ok(),
        Family::Dkim => mail_auth::common::verify::DomainKey::parse(v).is_ok(),
        Family::Dmarc => mail_auth::dmarc::Dmarc::parse(v).is_ok(),
    }
}

#[test]
fn mail_auth_agrees_on_validity() {
    let corpus = corpus();
    assert!(corpus.len() > 60, "corpus too small: {}", corpus.len());
    let mut problems = Vec::new();
    let mut seen_exceptions = Vec::new();
    let mut seen_dkim = vec![false; DKIM_EXCEPTIONS.len()];
    for (fam, v) in &corpus {
        let text = String::from_utf8_lossy(v).into_owned();
        let (a, b) = (ours(*fam, v), theirs(*fam, v));
        let dkim_exception = DKIM_EXCEPTIONS.iter().position(|(f, _)| *fam == Family::Dkim && f(&text));
        let listed = EXCEPTIONS.iter().any(|(r, _)| *r == text) || dkim_exception.is_some();
        if let Some(i) = dkim_exception {
            seen_dkim[i] = true;
        }
        if listed {
            seen_exceptions.push(text.clone());
        }
        if a != b && !listed {
            problems.push(format!("{fam:?} zonels valid={a}, mail-auth valid={b}: {text}"));
        }
        if a == b && listed {
            problems.push(format!("listed as an exception but both say valid={a}: {text}"));
        }
    }
    for (i, (_, why)) in DKIM_EXCEPTIONS.iter().enumerate() {
        if !seen_dkim[i] {
            problems.push(format!("DKIM exception not in the corpus: {why}"));
        }
    }
    for (r, _) in EXCEPTIONS {
        if !seen_exceptions.iter().any(|s| s == r) {
            problems.push(format!("exception not in the corpus: {r}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
