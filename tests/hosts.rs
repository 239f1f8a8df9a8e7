//! DNS-as-code files: octoDNS YAML, DNSControl `dnsconfig.js`, Terraform.
//!
//! `tests/fixtures/hosts/<format>/` are realistic repositories in each tool's documented
//! style with mail-authentication mistakes in them. Their findings and every fix's diff
//! are snapshotted; every fix, applied, must leave a file the host's grammar reads
//! without a syntax error and must remove its finding. `tests/fixtures/hosts/parity/`
//! holds the same records in all four formats, which must give the same findings on the
//! same characters.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{check_dir, fix_diff, fixtures, recheck_with};
use zonels_analysis::diagnostics::{Diagnostic, Edit, apply_edits};
use zonels_analysis::hosts;
use zonels_analysis::model::Format;

const FORMATS: &[(&str, Format)] = &[("octodns", Format::OctoDns), ("dnscontrol", Format::DnsControl), ("terraform", Format::Terraform)];

fn count(diags: &[Diagnostic], code: &str) -> usize {
    diags.iter().filter(|d| d.code() == code).count()
}

#[test]
fn host_fixtures_findings_and_fixes() {
    let mut failures = Vec::new();
    for &(name, format) in FORMATS {
        let dir = fixtures().join("hosts").join(name);
        let (ws, analysis) = check_dir(&dir);
        for id in ws.sources.ids() {
            let src = ws.sources.get(id);
            if hosts::detect(&src.path, &src.text) == Some(format) {
                assert!(hosts::parses_cleanly(format, &src.text), "{}: the fixture itself has a syntax error", src.display_path);
            }
        }
        assert!(!analysis.diagnostics.is_empty(), "{name}: no findings");
        // Every zone's name is known (octoDNS's `lan.` only from its main configuration).
        assert!(analysis.diagnostics.iter().all(|d| d.code() != "zone/unknown-origin"), "{name}: a zone without a name");

        let mut snap = Vec::new();
        zonels::cli::render::human(&mut snap, &ws.sources, &analysis.diagnostics, ws.reported.len()).unwrap();
        let mut snap = String::from_utf8(snap).unwrap();
        let mut fixes = 0;
        for d in &analysis.diagnostics {
            for f in &d.fixes {
                fixes += 1;
                let at = ws.sources.get(d.file).line_col(d.range.start, zonels_analysis::text::PositionEncoding::Utf32);
                snap.push_str(&format!("\n== {} at {}:{} — fix ({:?}): {}\n", d.code(), at.line + 1, at.col + 1, f.applicability, f.title));
                snap.push_str(&fix_diff(&ws, &f.edits));

                // The fixed file is still one the host tool reads.
                let mut by_file: BTreeMap<_, Vec<&Edit>> = BTreeMap::new();
                for e in &f.edits {
                    by_file.entry(e.file).or_default().push(e);
                }
                for (file, edits) in by_file {
                    let src = ws.sources.get(file);
                    let fixed = apply_edits(&src.text, &edits).expect("fix edits overlap");
                    if let Some(fmt) = hosts::detect(&src.path, &src.text)
                        && !hosts::parses_cleanly(fmt, &fixed)
                    {
                        failures.push(format!("{name}: fix `{}` for {} leaves a syntax error in {}", f.title, d.code(), src.display_path));
                    }
                }
                // And the finding goes away.
                let after = recheck_with(&dir, &ws, &f.edits);
                if count(&after, d.code()) >= count(&analysis.diagnostics, d.code()) {
                    failures.push(format!("{name}: fix `{}` does not remove its `{}` finding", f.title, d.code()));
                }
            }
        }
        assert!(fixes > 0, "{name}: no fixes offered");
        insta::with_settings!({snapshot_path => "snapshots/hosts", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, snap);
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a finding says and the characters it underlines (quotes aside: a zone file
/// quotes a TXT string where YAML may not).
fn findings(dir: &Path) -> BTreeSet<(String, String, String)> {
    let (ws, analysis) = check_dir(dir);
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let text = ws.sources.get(d.file).slice(d.range).trim_matches('"').to_string();
            (d.code().to_string(), d.message.to_string(), text)
        })
        .collect()
}

#[test]
fn the_same_records_give_the_same_findings_in_every_format() {
    let root = fixtures().join("hosts/parity");
    let bind = findings(&root.join("bind"));
    assert!(bind.len() >= 8, "the parity zone should exercise several rules: {bind:#?}");
    for &(name, _) in FORMATS {
        let other = findings(&root.join(name));
        let missing: Vec<_> = bind.difference(&other).collect();
        let extra: Vec<_> = other.difference(&bind).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{name} differs from the zone file:\nmissing {missing:#?}\nextra {extra:#?}");
    }
}

/// The example repository keeps zones in all four formats; they are one workspace.
#[test]
fn the_example_repository_is_one_workspace_across_formats() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (ws, analysis) = check_dir(&dir);
    let mut formats_with_findings = BTreeSet::new();
    for d in &analysis.diagnostics {
        let src = ws.sources.get(d.file);
        formats_with_findings.insert(hosts::detect(&src.path, &src.text).map_or("bind".to_string(), |f| format!("{f:?}")));
    }
    assert_eq!(formats_with_findings.len(), 4, "{formats_with_findings:?}");
    // shop.example (octoDNS) and blog.example (DNSControl) include `_spf.corp.example`,
    // which Terraform defines: it is counted, not unresolved.
    let unresolved: Vec<&str> = analysis.diagnostics.iter().filter(|d| d.code() == "spf/unresolved").map(|d| &*d.message).collect();
    assert!(unresolved.iter().all(|m| !m.contains("corp.example")), "{unresolved:#?}");
    // Every fix leaves each host file readable by its tool's grammar.
    for d in &analysis.diagnostics {
        for f in &d.fixes {
            let mut by_file: BTreeMap<_, Vec<&Edit>> = BTreeMap::new();
            for e in &f.edits {
                by_file.entry(e.file).or_default().push(e);
            }
            for (file, edits) in by_file {
                let src = ws.sources.get(file);
                let fixed = apply_edits(&src.text, &edits).unwrap();
                if let Some(fmt) = hosts::detect(&src.path, &src.text) {
                    assert!(hosts::parses_cleanly(fmt, &fixed), "fix `{}` breaks {}", f.title, src.display_path);
                }
            }
        }
    }
    // The DMARC report authorisation that blog.example (DNSControl) needs is offered as
    // a record in the zone file of example.com.
    let ext = analysis.diagnostics.iter().find(|d| d.code() == "dmarc/external-destination" && d.message.contains("blog.example")).unwrap();
    let edit = &ext.fixes[0].edits[0];
    assert!(ws.sources.get(edit.file).display_path.ends_with("example.com.zone"), "{}", ws.sources.get(edit.file).display_path);
    assert!(edit.new_text.contains("blog.example._report._dmarc"), "{}", edit.new_text);
}
