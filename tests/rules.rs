//! Rule fixtures: `tests/fixtures/rules/<family>/<rule>/{bad,good}/`.
//!
//! For every rule in the registry: the bad workspace must produce the rule's finding and
//! the good one must not; the rendered findings and every fix's diff are snapshotted;
//! and every fix, applied to a copy, must make its finding go away without bringing a
//! new warning or error (a note may follow: a `p=none` policy a fix inserts is monitoring-only).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use common::{Published, findings_of, fix_diff, fixtures, recheck_by};
use zonels_analysis::diagnostics::Diagnostic;
use zonels_analysis::rules;

fn rule_dirs() -> Vec<(String, PathBuf)> {
    let root = fixtures().join("rules");
    let mut out = Vec::new();
    for family in fs::read_dir(&root).unwrap() {
        let family = family.unwrap().path();
        for rule in fs::read_dir(&family).unwrap() {
            let rule = rule.unwrap().path();
            let code = format!("{}/{}", family.file_name().unwrap().to_str().unwrap(), rule.file_name().unwrap().to_str().unwrap());
            out.push((code, rule));
        }
    }
    out.sort();
    out
}

fn codes_of(diags: &[&Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for d in diags {
        *m.entry(d.code()).or_insert(0) += 1;
    }
    m
}

fn codes(diags: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for d in diags {
        *m.entry(d.code()).or_insert(0) += 1;
    }
    m
}

/// The audit's messages name the test servers, whose ports change from run to run.
fn without_ports(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("127.0.0.") {
        let (head, tail) = rest.split_at(i + "127.0.0.".len());
        out.push_str(head);
        let host = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&tail[..host]);
        rest = &tail[host..];
        if let Some(after) = rest.strip_prefix(':') {
            let port = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            out.push_str(":PORT");
            rest = &after[port..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn every_rule_has_fixtures() {
    let dirs: Vec<String> = rule_dirs().into_iter().map(|(c, _)| c).collect();
    let missing: Vec<&str> = rules::all().iter().map(|r| r.code).filter(|c| !dirs.iter().any(|d| d == c)).collect();
    assert!(missing.is_empty(), "rules without fixtures under tests/fixtures/rules: {missing:?}");
    for d in &dirs {
        assert!(rules::by_code(d).is_some(), "fixture directory `{d}` names no rule");
    }
}

#[test]
fn rule_fixtures() {
    let mut failures = Vec::new();
    for (code, dir) in rule_dirs() {
        let bad = dir.join("bad");
        let good = dir.join("good");
        // `drift/` and blocklist rules are `zonels audit`'s: their fixtures have a published side.
        let published = Published::for_variant(&dir, "bad");
        let (ws, diagnostics) = findings_of(published.as_ref(), &bad);
        let hits: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code() == code).collect();
        if hits.is_empty() {
            failures.push(format!("{code}: bad fixture produces no `{code}` finding"));
        }
        let mut snap = String::new();
        let mut human = Vec::new();
        zonels::cli::render::human(&mut human, &ws.sources, &diagnostics, ws.reported.len()).unwrap();
        snap.push_str(&String::from_utf8(human).unwrap());
        for d in &hits {
            for f in &d.fixes {
                snap.push_str(&format!("\n== fix ({:?}): {}\n", f.applicability, f.title));
                snap.push_str(&fix_diff(&ws, &f.edits));
                // The fix must remove this finding and introduce nothing new.
                let before = codes(&diagnostics);
                let after_diags = recheck_by(&bad, &ws, &f.edits, published.as_ref());
                let after = codes(&after_diags);
                if after.get(code.as_str()).copied().unwrap_or(0) >= before[code.as_str()] {
                    failures.push(format!("{code}: fix `{}` does not remove the finding", f.title));
                }
                // A fix may leave a note behind (`p=none` is monitoring-only), never a problem.
                let after_problems: Vec<&Diagnostic> =
                    after_diags.iter().filter(|d| d.severity != zonels_analysis::Severity::Info).collect();
                let after_problems = codes_of(&after_problems);
                for (c, n) in &after_problems {
                    if *n > before.get(c).copied().unwrap_or(0) {
                        failures.push(format!("{code}: fix `{}` brings a new `{c}` finding", f.title));
                    }
                }
            }
        }
        let snap = without_ports(&snap);
        let name = code.replace('/', "__");
        insta::with_settings!({snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, snap);
        });

        let published = Published::for_variant(&dir, "good");
        let (_, good_diagnostics) = findings_of(published.as_ref(), &good);
        let good_hits: Vec<String> =
            good_diagnostics.iter().filter(|d| d.code() == code).map(|d| format!("{} at {:?}", d.message, d.range)).collect();
        if !good_hits.is_empty() {
            failures.push(format!("{code}: good fixture has findings: {good_hits:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
