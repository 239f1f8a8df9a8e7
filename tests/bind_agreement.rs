//! Differential test against BIND: on every fixture zone, `named-checkzone` and zonels
//! must agree on whether the zone loads. `.ci/run` installs Debian's bind9-utils.
//! Each deliberate disagreement is listed with its reason, and the list is checked
//! both ways: an unlisted disagreement fails, and so does a listed one that no longer
//! disagrees.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{check_dir, fixtures};

/// Findings that mean "this zone does not load" (the rest are warnings BIND also
/// loads with, or mail checks BIND knows nothing of).
const LOAD_BREAKING: &[&str] = &[
    "zone/syntax",
    "zone/unknown-type",
    "zone/bad-rdata",
    "zone/bad-ttl",
    "zone/unknown-origin",
    "zone/name-too-long",
    "zone/txt-string-too-long",
    "zone/missing-soa",
    "zone/multiple-soa",
    "zone/missing-ns",
    "zone/cname-and-other-data",
    "zone/cname-at-apex",
    "zone/multiple-cname",
    "zone/ns-target-is-cname",
    "zone/include-not-found",
    "zone/include-cycle",
    "zone/limit-exceeded",
];

/// Fixture zones where zonels deliberately disagrees with BIND, and why.
const DISAGREEMENTS: &[(&str, &str)] = &[
    (
        "zones/big-ttl/example.com.zone",
        "a TTL above 2^31-1: BIND loads it as 0 with a warning; zonels reports zone/bad-ttl (RFC 2181 §8), since the record will not be cached as written",
    ),
    (
        "rules/zone/unknown-origin/bad/primary.zone",
        "BIND is always given an origin on its command line; zonels, given none by $ORIGIN, config or file name, reports zone/unknown-origin",
    ),
    (
        "rules/zone/limit-exceeded/bad/example.com.zone",
        "BIND has no $GENERATE range limit; zonels refuses ranges over limits.max_generate so hostile files cannot exhaust memory",
    ),
];

fn zone_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            zone_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "zone") {
            out.push(p);
        }
    }
}

fn named_checkzone() -> &'static str {
    let ok = Command::new("named-checkzone").arg("-v").output().is_ok_and(|o| o.status.success());
    assert!(ok, "named-checkzone is not installed: run `apt-get install bind9-utils` (tests/run does it)");
    "named-checkzone"
}

#[test]
fn zonels_and_bind_agree_on_what_loads() {
    let bin = named_checkzone();
    let root = fixtures();
    let mut files = Vec::new();
    zone_files(&root, &mut files);
    files.sort();
    let mut verdicts: BTreeMap<String, (bool, bool, String)> = BTreeMap::new();
    for file in &files {
        let dir = file.parent().unwrap();
        let (ws, analysis) = check_dir(dir);
        let Some(zone) = analysis.zones.iter().find(|z| ws.sources.get(z.file).path == *file) else {
            continue; // an $INCLUDE fragment
        };
        let fragments: Vec<_> = std::iter::once(zone.file).chain(zone.included.iter().copied()).collect();
        let breaking: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| fragments.contains(&d.file) && LOAD_BREAKING.contains(&d.code()))
            .map(|d| d.code().to_string())
            .collect();
        let zonels_loads = breaking.is_empty();
        let origin = if zone.apex.is_root() { "example.com".to_string() } else { zone.apex.display_short().to_string() };
        let out = Command::new(bin).arg(&origin).arg(file.file_name().unwrap()).current_dir(dir).output().unwrap();
        let bind_loads = out.status.success();
        let rel = file.strip_prefix(&root).unwrap().display().to_string();
        let why = format!("zonels: {breaking:?}; named-checkzone: {}", String::from_utf8_lossy(&out.stdout).trim().replace('\n', " | "));
        verdicts.insert(rel, (zonels_loads, bind_loads, why));
    }
    assert!(verdicts.len() > 40, "too few fixture zones compared: {}", verdicts.len());
    let mut problems = Vec::new();
    for (rel, (z, b, why)) in &verdicts {
        let listed = DISAGREEMENTS.iter().any(|(f, _)| f == rel);
        if z != b && !listed {
            problems.push(format!("{rel}: zonels loads={z}, BIND loads={b} — {why}"));
        }
        if z == b && listed {
            problems.push(format!("{rel}: listed as a disagreement but both say loads={z}"));
        }
    }
    for (f, _) in DISAGREEMENTS {
        if !verdicts.contains_key(*f) {
            problems.push(format!("{f}: listed as a disagreement but not a fixture zone"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
