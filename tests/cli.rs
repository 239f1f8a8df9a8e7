//! The `zonels check` contract: output formats, exit codes, `--fix`, standard input.

mod common;

use std::fs;

use common::{copy_dir, fixtures, run_zonels};
use serde_json::Value;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json_of(dir: &str, extra: &[&str]) -> (Value, i32) {
    let cwd = fixtures().join("cli");
    let mut args = vec!["check", dir, "--format", "json"];
    args.extend_from_slice(extra);
    let o = run_zonels(&cwd, &args, None);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    (v, o.status.code().unwrap())
}

#[test]
fn json_follows_the_contract() {
    let (v, code) = json_of("mixed", &[]);
    assert_eq!(code, 1);
    assert_eq!(v["version"], 1);
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["diagnostics", "summary", "version"]);
    let diags = v["diagnostics"].as_array().unwrap();
    let keys: Vec<&str> = diags[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["code", "column", "end_column", "end_line", "fixes", "line", "message", "path", "severity"]);
    // `api IN A 1.2.3` on line 12: the data starts at column 17, `1.2.3` is 5 characters.
    let bad = diags.iter().find(|d| d["code"] == "zone/bad-rdata").unwrap();
    assert_eq!(
        (bad["path"].as_str().unwrap(), bad["line"].as_u64(), bad["column"].as_u64()),
        ("mixed/example.com.zone", Some(12), Some(17))
    );
    assert_eq!((bad["end_line"].as_u64(), bad["end_column"].as_u64()), (Some(12), Some(22)));
    assert_eq!(bad["severity"], "error");
    // A fix: edits with 1-based positions and the text to insert.
    let dot = diags.iter().find(|d| d["code"] == "zone/missing-trailing-dot").unwrap();
    let edit = &dot["fixes"][0]["edits"][0];
    assert_eq!(edit["path"], "mixed/example.com.zone");
    assert_eq!((edit["line"].as_u64(), edit["column"].as_u64(), edit["end_column"].as_u64()), (Some(6), Some(36), Some(36)));
    assert_eq!(edit["new_text"], ".");
    let s = &v["summary"];
    assert_eq!(s["files"], 1);
    let count = |sev: &str| diags.iter().filter(|d| d["severity"] == sev).count() as u64;
    assert_eq!(s["error"].as_u64(), Some(count("error")));
    assert_eq!(s["warning"].as_u64(), Some(count("warning")));
    assert_eq!(s["info"].as_u64(), Some(count("info")));
}

#[test]
fn columns_count_unicode_characters() {
    let (v, _) = json_of("unicode", &[]);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "zone/bad-rdata");
    // `cc IN CAA 0 issue "😀" extra`: `extra` starts at the 23rd character.
    assert_eq!((d["line"].as_u64(), d["column"].as_u64(), d["end_column"].as_u64()), (Some(6), Some(23), Some(28)));
}

#[test]
fn human_output_like_rustc() {
    let o = run_zonels(&fixtures().join("cli"), &["check", "mixed"], None);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("mixed/example.com.zone:12:17: error[zone/bad-rdata]: `1.2.3` is not an IPv4 address"), "{out}");
    assert!(out.contains("12 | api     IN A    1.2.3\n   |                 ^^^^^\n"), "{out}");
    assert!(out.contains("= fix: Add the trailing dot: `mail.example.com.`"), "{out}");
    assert!(out.contains("Found 1 error, 3 warnings, 0 infos in 1 file."), "{out}");
}

#[test]
fn sarif_has_the_2_1_0_shape() {
    let o = run_zonels(&fixtures().join("cli"), &["check", "mixed", "--format", "sarif"], None);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "zonels");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string()));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["message"]["text"].is_string());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "mixed/example.com.zone");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
    let with_fix = results.iter().find(|r| r["ruleId"] == "zone/missing-trailing-dot").unwrap();
    let rep = &with_fix["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(rep["insertedContent"]["text"], ".");
}

#[test]
fn github_annotations() {
    let o = run_zonels(&fixtures().join("cli"), &["check", "mixed", "--format", "github"], None);
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::error file=mixed/example.com.zone,line=12,col=17,endLine=12,endColumn=22,title=zone/bad-rdata::")),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("::warning file=mixed/example.com.zone,line=10,")), "{out}");
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

#[test]
fn exit_codes() {
    let cwd = fixtures().join("cli");
    assert_eq!(run_zonels(&cwd, &["check", "clean"], None).status.code(), Some(0));
    assert_eq!(run_zonels(&cwd, &["check", "mixed"], None).status.code(), Some(1));
    // Only warnings: clean for --fail-on error, failing for --fail-on warning.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&cwd.join("mixed"), tmp.path());
    let zone = tmp.path().join("example.com.zone");
    let text = fs::read_to_string(&zone).unwrap().replace("api     IN A    1.2.3\n", "");
    fs::write(&zone, text).unwrap();
    assert_eq!(run_zonels(tmp.path(), &["check", "."], None).status.code(), Some(0));
    assert_eq!(run_zonels(tmp.path(), &["check", ".", "--fail-on", "warning"], None).status.code(), Some(1));
    // Usage errors and unreadable paths: 2, with a message and no panic.
    let o = run_zonels(&cwd, &["check", "--format", "xml"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = run_zonels(&cwd, &["check", "does-not-exist"], None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot read `does-not-exist`: no such file or directory"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn fix_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("cli/mixed"), tmp.path());
    let zone = tmp.path().join("example.com.zone");
    let before = fs::read_to_string(&zone).unwrap();
    // Without --fix nothing is written.
    run_zonels(tmp.path(), &["check", "."], None);
    assert_eq!(fs::read_to_string(&zone).unwrap(), before);
    let o = run_zonels(tmp.path(), &["check", ".", "--fix", "--format", "json"], None);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let after = fs::read_to_string(&zone).unwrap();
    // The two safe fixes are applied and nothing else changes.
    let expected = before.replace("10 mail.example.com\n", "10 mail.example.com.\n").replacen("www     IN A    192.0.2.10\n", "", 1);
    assert_eq!(after, expected);
    let left: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(left, ["zone/bad-rdata"], "only the finding without a fix is left");
    // Idempotent: a second run changes nothing.
    run_zonels(tmp.path(), &["check", ".", "--fix"], None);
    assert_eq!(fs::read_to_string(&zone).unwrap(), after);
}

#[test]
fn stdin_mode() {
    let text = fs::read(fixtures().join("cli/mixed/example.com.zone")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let o = run_zonels(tmp.path(), &["check", "-", "--stdin-filename", "zones/example.com.zone", "--format", "json"], Some(&text));
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(diags.iter().all(|d| d["path"] == "zones/example.com.zone"));
    assert!(diags.iter().any(|d| d["code"] == "zone/bad-rdata"));
    // Without a file name the origin comes from $ORIGIN; text without one is reported.
    let o = run_zonels(tmp.path(), &["check", "-"], Some(b"www IN A 192.0.2.1\n"));
    assert!(stdout(&o).contains("<stdin>:1:1: error[zone/unknown-origin]"), "{}", stdout(&o));
}

#[test]
fn rules_and_explain() {
    let cwd = fixtures();
    let o = run_zonels(&cwd, &["rules"], None);
    let out = stdout(&o);
    assert!(out.lines().any(|l| l.starts_with("zone/duplicate-record") && l.contains("warning") && l.ends_with("(fix)")), "{out}");
    let o = run_zonels(&cwd, &["explain", "zone/cname-and-other-data"], None);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0));
    for part in ["# zone/cname-and-other-data", "## What it does", "## Why it matters", "## Example", "Use instead", "RFC 1034 §3.6.2"] {
        assert!(out.contains(part), "missing {part}: {out}");
    }
    let o = run_zonels(&cwd, &["explain", "zone/cname-and-other"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `zone/cname-and-other-data`"));
}

/// docs/rules.md is what `zonels rules --markdown` prints: the editor links every
/// finding there (`codeDescription`), so it must name every rule, with its anchor.
#[test]
fn the_rule_reference_is_current() {
    let o = run_zonels(&fixtures(), &["rules", "--markdown"], None);
    let generated = stdout(&o);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    if std::env::var_os("ZONELS_UPDATE_DOCS").is_some() {
        fs::write(&path, &generated).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is out of date: run `ZONELS_UPDATE_DOCS=1 cargo test --test cli the_rule_reference_is_current`"
    );
    let listed = stdout(&run_zonels(&fixtures(), &["rules"], None));
    for code in listed.lines().filter_map(|l| l.split_whitespace().next()) {
        let anchor = format!("<a id=\"{}\"></a>", code.replace('/', "-"));
        assert!(generated.contains(&anchor) && generated.contains(&format!("### `{code}`")), "{code} has no section");
    }
}

#[test]
fn suppression_comments_and_rule_levels() {
    let tmp = tempfile::tempdir().unwrap();
    let zone = "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.53\n\
        a 300 IN A 192.0.2.1\n; zonels-ignore: zone/ttl-mismatch\na 600 IN A 192.0.2.2\n\
        b 300 IN A 192.0.2.1\nb 600 IN A 192.0.2.2 ; zonels-ignore: zone\n\
        c 300 IN A 192.0.2.1\n; zonels-ignore: zone/duplicate-record\nc 600 IN A 192.0.2.2\n\
        @ IN MX 10 nowhere\n@ IN TXT \"v=spf1 mx -all\"\n_dmarc IN TXT \"v=DMARC1; p=reject\"\n";
    fs::write(tmp.path().join("example.com.zone"), zone).unwrap();
    let codes_lines = |dir: &std::path::Path| -> Vec<(String, u64)> {
        let o = run_zonels(dir, &["check", ".", "--format", "json"], None);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap()))
            .collect()
    };
    // Line 8 (code) and line 10 (family, same line) are silenced; line 13 names another code.
    assert_eq!(codes_lines(tmp.path()), [("zone/ttl-mismatch".to_string(), 13), ("zone/mx-target-no-address".to_string(), 14)]);
    fs::write(tmp.path().join("zonels.toml"), "[rules]\n\"zone/ttl-mismatch\" = \"off\"\n\"zone/mx-target-no-address\" = \"error\"\n")
        .unwrap();
    let o = run_zonels(tmp.path(), &["check", ".", "--format", "json"], None);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0]["code"].as_str(), d[0]["severity"].as_str()), (Some("zone/mx-target-no-address"), Some("error")));
    assert_eq!(o.status.code(), Some(1));
}
