//! The tree-sitter grammar (`grammars/tree-sitter-dnszone`) against zonels' own parser:
//! every zone file of the project that zonels reads without a syntax error parses
//! without ERROR or MISSING nodes, into as many records as zonels finds in it.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{check_dir, fixtures};

fn parser() -> tree_sitter::Parser {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_dnszone::LANGUAGE.into()).unwrap();
    p
}

/// `record` nodes in a tree, and the first error, if any.
fn records_and_error(tree: &tree_sitter::Tree) -> (usize, Option<String>) {
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    let (mut records, mut error) = (0, None);
    while let Some(n) = stack.pop() {
        if n.kind() == "record" {
            records += 1;
        }
        if (n.is_error() || n.is_missing()) && error.is_none() {
            error = Some(format!("{} at {}:{}", n.kind(), n.start_position().row + 1, n.start_position().column + 1));
        }
        stack.extend(n.children(&mut cursor));
    }
    (records, error)
}

/// Problems with the grammar on the zone files under `dir`; the number of files compared.
fn compare(dir: &Path, problems: &mut Vec<String>) -> usize {
    let (ws, analysis) = check_dir(dir);
    // Files zonels does not read whole: syntax errors, and records it drops (an owner
    // name too long to be a name).
    let syntax_broken: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code(), "zone/syntax" | "zone/unknown-type" | "zone/bad-ttl" | "zone/limit-exceeded" | "zone/name-too-long"))
        .map(|d| d.file)
        .collect();
    let mut counts: BTreeMap<_, usize> = BTreeMap::new();
    for z in &analysis.zones {
        if z.format != zonels_analysis::model::Format::Bind {
            continue;
        }
        for r in z.records.iter().filter(|r| !r.is_generated()) {
            *counts.entry(r.file).or_default() += 1;
        }
    }
    let mut compared = 0;
    let mut p = parser();
    for id in ws.sources.ids() {
        let src = ws.sources.get(id);
        if zonels_analysis::analysis::is_host_candidate(&src.path) || syntax_broken.contains(&id) || src.path.ends_with("zonels.toml") {
            continue;
        }
        if src.path.file_name().is_some_and(|n| n == "zonels.lock") {
            continue;
        }
        compared += 1;
        let tree = p.parse(src.text.as_bytes(), None).unwrap();
        let (ts_records, error) = records_and_error(&tree);
        if let Some(e) = error {
            problems.push(format!("{}: {e}", src.path.display()));
        }
        let ours = counts.get(&id).copied().unwrap_or(0);
        if ts_records != ours {
            problems.push(format!("{}: the grammar finds {ts_records} records, zonels {ours}", src.path.display()));
        }
    }
    compared
}

#[test]
fn the_grammar_agrees_with_zonels_on_every_fixture_zone() {
    let mut problems = Vec::new();
    let mut compared = 0;
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), fixtures().join("zones")];
    for family in std::fs::read_dir(fixtures().join("rules")).unwrap() {
        for rule in std::fs::read_dir(family.unwrap().path()).unwrap() {
            let rule = rule.unwrap().path();
            dirs.push(rule.join("bad"));
            dirs.push(rule.join("good"));
        }
    }
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        compared += compare(dir, &mut problems);
    }
    assert!(compared > 100, "only {compared} zone files compared");
    assert!(problems.is_empty(), "{} of {compared} files:\n{}", problems.len(), problems.join("\n"));
}
