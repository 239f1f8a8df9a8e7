//! The RFC 7208 test suite against zonels.

mod common;

use common::rfc7208::{self, Entry, RData};
use zonels_analysis::records::spf;

/// The SPF records (TXT, version-selected) published at `name` in a scenario.
fn spf_records(s: &rfc7208::Scenario, name: &str) -> Vec<Vec<u8>> {
    s.zonedata
        .get(name)
        .into_iter()
        .flatten()
        .filter_map(|e| match e {
            Entry::Record { rtype, data: RData::Strings(parts) } if rtype == "TXT" => Some(parts.concat()),
            _ => None,
        })
        .filter(|v| spf::is_spf(v))
        .collect()
}

fn syntax_ok(v: &[u8]) -> bool {
    let r = spf::parse(v);
    let count = |f: fn(&spf::Modifier) -> bool| r.terms.iter().filter(|t| t.modifier().is_some_and(f)).count();
    r.errors.is_empty() && count(|m| matches!(m, spf::Modifier::Redirect(_))) < 2 && count(|m| matches!(m, spf::Modifier::Exp(_))) < 2
}

/// Where the record at the starting domain parses cleanly but the suite still expects
/// permerror: the reasons are not in the record's syntax.
const NON_SYNTAX_PERMERRORS: &[(&str, &str)] = &[
    ("include-none", "the include target has no SPF record (§5.2)"),
    ("include-permerror", "the included record has the syntax error"),
    ("redirect-none", "the redirect target has no SPF record (§6.1)"),
    ("include-loop", "the include chain loops and runs over the lookup limit (§4.6.4)"),
    ("include-over-limit", "more than 10 DNS-querying terms through the include (§4.6.4)"),
    ("mech-over-limit", "more than 10 DNS-querying terms (§4.6.4)"),
    ("mx-limit", "the MX set has more than 10 names (§4.6.4)"),
    ("redirect-loop", "the redirect chain loops and runs over the lookup limit (§4.6.4)"),
    ("void-over-limit", "more than 2 void lookups (§4.6.4)"),
];

/// Syntax, checked statically: whenever the record `check_host()` starts with has a
/// syntax error in our view, the suite expects permerror; and where the suite expects
/// only permerror from a record we find clean, the reason is known to lie elsewhere.
#[test]
fn syntax_errors_agree_with_the_suite() {
    let suite = rfc7208::load();
    assert_eq!(suite.iter().map(|s| s.cases.len()).sum::<usize>(), 203, "the suite has 203 tests");
    let mut problems = Vec::new();
    let mut unexplained = Vec::new();
    for s in &suite {
        for c in &s.cases {
            let target = rfc7208::target_domain(c);
            let recs = spf_records(s, &target);
            if recs.len() != 1 {
                continue;
            }
            let ok = syntax_ok(&recs[0]);
            let text = String::from_utf8_lossy(&recs[0]).into_owned();
            if !ok && !c.result.iter().any(|r| r == "permerror") {
                problems.push(format!("{}: zonels finds a syntax error in `{text}` but the suite expects {:?}", c.id, c.result));
            }
            if ok && c.result == ["permerror"] && !NON_SYNTAX_PERMERRORS.iter().any(|(id, _)| *id == c.id) {
                unexplained.push(format!("{}: `{text}`", c.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(unexplained.is_empty(), "permerror expected, record clean to us, reason not listed:\n{}", unexplained.join("\n"));
}
