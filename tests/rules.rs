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

use common::{check_dir, fix_diff, fixtures, recheck_with};
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
        let (ws, analysis) = check_dir(&bad);
        let hits: Vec<&Diagnostic> = analysis.diagnostics.iter().filter(|d| d.code() == code).collect();
        if hits.is_empty() {
            failures.push(format!("{code}: bad fixture produces no `{code}` finding"));
        }
        let mut snap = String::new();
        let mut human = Vec::new();
        zonels::cli::render::human(&mut human, &ws.sources, &analysis.diagnostics, ws.reported.len()).unwrap();
        snap.push_str(&String::from_utf8(human).unwrap());
        for d in &hits {
            for f in &d.fixes {
                snap.push_str(&format!("\n== fix ({:?}): {}\n", f.applicability, f.title));
                snap.push_str(&fix_diff(&ws, &f.edits));
                // The fix must remove this finding and introduce nothing new.
                let before = codes(&analysis.diagnostics);
                let after_diags = recheck_with(&bad, &ws, &f.edits);
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
        let name = code.replace('/', "__");
        insta::with_settings!({snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, snap);
        });

        let (_, good_analysis) = check_dir(&good);
        let good_hits: Vec<String> =
            good_analysis.diagnostics.iter().filter(|d| d.code() == code).map(|d| format!("{} at {:?}", d.message, d.range)).collect();
        if !good_hits.is_empty() {
            failures.push(format!("{code}: good fixture has findings: {good_hits:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
