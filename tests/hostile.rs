//! Hostile input: nothing in a repository may crash zonels, hang it, or make it read
//! outside the workspace. Each case runs the real binary with a deadline.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::hostile::{self, HEAD};
use common::zonels_bin;

/// Runs `zonels check --format json <dir>`; fails on a crash, a panic or a timeout.
fn check_survives(dir: &Path, deadline: Duration) -> serde_json::Value {
    let mut child = Command::new(zonels_bin())
        .args(["check", "--format", "json", "."])
        .env("ZONELS_NO_SYSTEM_RESOLVER", "1")
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    // Read output on threads so a full pipe never blocks the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).unwrap();
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).unwrap();
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            panic!("zonels did not finish within {deadline:?} on {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = t_out.join().unwrap();
    let stderr = String::from_utf8_lossy(&t_err.join().unwrap()).into_owned();
    assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{stderr}");
    assert!(matches!(status.code(), Some(0 | 1)), "exit {:?}: {stderr}", status.code());
    serde_json::from_slice(&stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stderr}"))
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

fn case(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let case = hostile::CASES.iter().find(|c| c.name == name).unwrap();
    (case.write)(tmp.path());
    tmp
}

fn messages(v: &serde_json::Value) -> Vec<&str> {
    v["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect()
}

#[test]
fn junk_bytes_and_invalid_utf8() {
    let tmp = case("junk");
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    assert!(codes(&v).contains(&"zone/bad-rdata".to_string()), "{:?}", codes(&v));
}

#[test]
fn a_twenty_megabyte_line() {
    let tmp = case("long-line");
    let v = check_survives(tmp.path(), Duration::from_secs(60));
    let c = codes(&v);
    assert!(c.contains(&"zone/txt-string-too-long".to_string()), "{c:?}");
    // The record after the long line is still checked.
    assert!(c.contains(&"zone/bad-rdata".to_string()), "{c:?}");
}

#[test]
fn deeply_nested_parentheses() {
    let tmp = case("parentheses");
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let c = codes(&v);
    assert!(c.contains(&"zone/limit-exceeded".to_string()), "{c:?}");
    assert!(c.contains(&"zone/bad-rdata".to_string()), "{c:?}");
}

#[test]
fn include_loops_and_files_outside_the_root() {
    let tmp = case("includes");
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let all = serde_json::to_string(&v).unwrap();
    assert!(codes(&v).contains(&"zone/include-cycle".to_string()));
    let refused = codes(&v).iter().filter(|c| *c == "zone/include-not-found").count();
    assert_eq!(refused, if cfg!(unix) { 3 } else { 2 }, "{all}");
    assert!(!all.contains("root:"), "contents of /etc/passwd leaked: {all}");
}

#[test]
fn long_include_chains_are_bounded() {
    let tmp = case("include-chain");
    let v = check_survives(tmp.path(), Duration::from_secs(60));
    let c = codes(&v);
    assert!(c.contains(&"zone/limit-exceeded".to_string()), "{c:?}");
}

#[cfg(target_os = "linux")]
/// The largest resident set of any child this test process has waited for, in KiB.
fn children_peak_rss_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `rusage` into the pointer it is given.
    unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init().ru_maxrss
    }
}

#[cfg(not(target_os = "linux"))]
fn assert_memory_bounded() {}

#[cfg(target_os = "linux")]
fn assert_memory_bounded() {
    let peak = children_peak_rss_kib();
    assert!(peak < 512 * 1024, "a zonels process peaked at {} MiB", peak / 1024);
}

#[test]
fn a_yaml_alias_bomb() {
    let tmp = case("yaml-aliases");
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let msgs = messages(&v);
    assert!(msgs.iter().any(|m| m.contains("YAML aliases") && m.contains("max_yaml_aliases")), "{msgs:#?}");
    assert!(msgs.iter().any(|m| m.contains("must be a string")), "{msgs:#?}");
    assert!(msgs.len() < 20_000, "{} findings", msgs.len());
    assert_memory_bounded();
}

#[test]
fn a_five_thousand_deep_javascript_call() {
    let tmp = case("deep-js");
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let msgs = messages(&v);
    assert!(msgs.iter().any(|m| m.contains("nested more than 64 deep") && m.contains("max_nesting")), "{msgs:#?}");
    assert_memory_bounded();
}

#[test]
fn broken_terraform() {
    let tmp = case("terraform");
    let v = check_survives(tmp.path(), Duration::from_secs(60));
    let diags = v["diagnostics"].as_array().unwrap();
    let syntax: Vec<&serde_json::Value> = diags.iter().filter(|d| d["code"] == "zone/syntax").collect();
    assert!(syntax.iter().any(|d| d["message"].as_str().unwrap().starts_with("Terraform syntax error")), "{diags:#?}");
    // What could be read before the damage is still checked.
    assert!(diags.iter().any(|d| d["code"] == "spf/permissive-all"), "{diags:#?}");
    assert_memory_bounded();
}

#[test]
fn an_spf_include_web_of_500_names() {
    let tmp = case("spf-web");
    let start = Instant::now();
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let msgs = messages(&v);
    let c = codes(&v);
    assert!(c.contains(&"spf/include-loop".to_string()) && c.contains(&"spf/too-many-lookups".to_string()), "{c:?}");
    assert!(msgs.len() < 5_000, "{} findings", msgs.len());
    eprintln!("500-name SPF web checked in {:?}", start.elapsed());
    assert_memory_bounded();
}

#[test]
fn spf_macro_bombs() {
    let tmp = case("macros");
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let msgs = messages(&v);
    assert!(msgs.iter().any(|m| m.contains("`%{d99999999999999999999r}.x` depends on the message")), "{msgs:#?}");
    // Evaluated the way a receiver would, with a 1 000-character local part: every
    // expanded name is cut to 253 characters (RFC 7208 §7.3), and the run ends at once.
    let sender = format!("{}@example.com", "a".repeat(1000));
    let start = Instant::now();
    let o = common::run_zonels(
        tmp.path(),
        &["spf", "--ip", "192.0.2.1", "--sender", &sender, "--helo", "mail.example.com", "--offline", "--format", "json"],
        None,
    );
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    let trace = r["trace"].as_array().unwrap();
    assert!(!trace.is_empty(), "{r}");
    let queried: Vec<&str> =
        trace.iter().filter_map(|l| l.as_str()?.trim_start().strip_prefix("query ")?.split_whitespace().nth(1)).collect();
    // The 1 000-character `%{l}` label is dropped whole, leaving the domain; the ten
    // copies of `%{i}` fit.
    assert!(queried.contains(&"example.com"), "{trace:#?}");
    assert!(queried.iter().any(|n| n.starts_with("192.0.2.1.192.0.2.1.")), "{trace:#?}");
    assert!(queried.iter().all(|n| n.len() <= 253), "{queried:#?}");
    assert!(r["lookups"].as_u64().unwrap() <= 10, "{r}");
}

#[test]
fn configured_limits_are_findings_that_name_their_key() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("zonels.toml"),
        "[limits]\nmax_file_size = 4096\nmax_records_per_zone = 20\nmax_tokens_per_record = 16\nmax_paren_depth = 4\n",
    )
    .unwrap();
    // Over the file size: one finding, the file is not read.
    fs::write(tmp.path().join("big.example.zone"), format!("{HEAD}{}", "x IN A 192.0.2.1\n".repeat(400))).unwrap();
    // Over the records per zone, the fields per record and the nesting.
    let mut text = HEAD.to_string();
    text.push_str(&format!("t IN TXT {}\n", "\"x\" ".repeat(40)));
    text.push_str("p IN TXT ((((( \"x\" )))))\n");
    for i in 0..30 {
        text.push_str(&format!("h{i} IN A 192.0.2.1\n"));
    }
    fs::write(tmp.path().join("example.com.zone"), text).unwrap();
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let msgs: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "zone/limit-exceeded")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    for key in ["max_file_size", "max_records_per_zone", "max_tokens_per_record", "max_paren_depth"] {
        assert!(msgs.iter().any(|m| m.contains(&format!("limits.{key}"))), "no finding names limits.{key}: {msgs:#?}");
    }
}

/// Inputs the fuzz targets (server/analysis/fuzz) once crashed on: each is checked on
/// its own and must give findings, not a panic.
#[test]
fn fuzz_regressions() {
    let dir = common::fixtures().join("fuzz");
    let mut n = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let tmp = tempfile::tempdir().unwrap();
        fs::copy(&path, tmp.path().join("example.com.zone")).unwrap();
        let v = check_survives(tmp.path(), Duration::from_secs(30));
        assert!(!codes(&v).is_empty(), "{}: no findings", path.display());
        n += 1;
    }
    assert!(n >= 2, "no fuzz regressions in {}", dir.display());
}

/// Every case at once, as one repository: each still yields its findings, within one
/// deadline and bounded memory. (tests/lsp.rs opens the same repository in the server.)
#[test]
fn the_whole_hostile_repository() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join(".git")).unwrap();
    hostile::repository(tmp.path());
    let v = check_survives(tmp.path(), Duration::from_secs(120));
    let found: std::collections::BTreeSet<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap().to_string(), d["code"].as_str().unwrap().to_string()))
        .collect();
    for (file, code) in hostile::expected() {
        assert!(found.contains(&(file.clone(), code.to_string())), "no {code} in {file}");
    }
    assert!(!serde_json::to_string(&v).unwrap().contains("root:"), "contents of /etc/passwd leaked");
    assert_memory_bounded();
}
