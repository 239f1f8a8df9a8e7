//! Hostile input: nothing in a repository may crash zonels, hang it, or make it read
//! outside the workspace. Each case runs the real binary with a deadline.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

const HEAD: &str = "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.53\n";

#[test]
fn junk_bytes_and_invalid_utf8() {
    let tmp = tempfile::tempdir().unwrap();
    // Deterministic pseudo-random bytes, NULs and all.
    let mut x: u32 = 0x1234_5678;
    let junk: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x & 0xff) as u8
        })
        .collect();
    fs::write(tmp.path().join("junk.zone"), &junk).unwrap();
    let mut bad_utf8 = HEAD.as_bytes().to_vec();
    bad_utf8.extend_from_slice(b"txt IN TXT \"\xff\xfe\x00 broken \xc3\x28\"\nwww IN A 192.0.2.1\n");
    fs::write(tmp.path().join("example.com.zone"), bad_utf8).unwrap();
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    assert!(!codes(&v).is_empty());
}

#[test]
fn a_twenty_megabyte_line() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = HEAD.to_string();
    text.push_str("big IN TXT \"");
    text.push_str(&"x".repeat(20 * 1024 * 1024));
    text.push_str("\"\nafter IN A 192.0.2.1\nbad IN A 1.2.3\n");
    fs::write(tmp.path().join("example.com.zone"), text).unwrap();
    let v = check_survives(tmp.path(), Duration::from_secs(60));
    let c = codes(&v);
    assert!(c.contains(&"zone/txt-string-too-long".to_string()), "{c:?}");
    // The record after the long line is still checked.
    assert!(c.contains(&"zone/bad-rdata".to_string()), "{c:?}");
}

#[test]
fn deeply_nested_parentheses() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = HEAD.to_string();
    text.push_str("deep IN TXT ");
    text.push_str(&"(".repeat(100_000));
    text.push_str(" \"x\" ");
    text.push_str(&")".repeat(100_000));
    text.push_str("\nafter IN A 1.2.3\n");
    fs::write(tmp.path().join("example.com.zone"), text).unwrap();
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let c = codes(&v);
    assert!(c.contains(&"zone/limit-exceeded".to_string()), "{c:?}");
    assert!(c.contains(&"zone/bad-rdata".to_string()), "{c:?}");
}

#[test]
fn include_loops_and_files_outside_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join(".git")).unwrap();
    let mut text = HEAD.to_string();
    text.push_str("$INCLUDE example.com.zone\n$INCLUDE /etc/passwd\n$INCLUDE ../../../../../../../../etc/passwd\n");
    fs::write(tmp.path().join("example.com.zone"), &text).unwrap();
    // A symlink inside the workspace that points outside it is refused too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", tmp.path().join("link.inc")).unwrap();
        fs::write(tmp.path().join("other.com.zone"), format!("{}$INCLUDE link.inc\n", HEAD.replace("example.com", "other.com"))).unwrap();
    }
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let all = serde_json::to_string(&v).unwrap();
    assert!(codes(&v).contains(&"zone/include-cycle".to_string()));
    let refused = codes(&v).iter().filter(|c| *c == "zone/include-not-found").count();
    assert_eq!(refused, if cfg!(unix) { 3 } else { 2 }, "{all}");
    assert!(!all.contains("root:"), "contents of /etc/passwd leaked: {all}");
}

#[test]
fn long_include_chains_are_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("example.com.zone"), format!("{HEAD}$INCLUDE f0.inc\n")).unwrap();
    for i in 0..2000 {
        fs::write(tmp.path().join(format!("f{i}.inc")), format!("h{i} IN A 192.0.2.1\n$INCLUDE f{}.inc\n", i + 1)).unwrap();
    }
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
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("config")).unwrap();
    // Nine levels of nine merges each: 387 420 489 mappings if expanded.
    let mut text = String::from("---\n_bomb:\n  a: &a {type: TXT, value: \"v=spf1 -all\"}\n");
    let levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in levels.windows(2) {
        let merges = vec![format!("<<: *{}", w[0]); 9].join(", ");
        text.push_str(&format!("  {}: &{} {{{merges}}}\n", w[1], w[1]));
    }
    // The same as a list of lists of lists.
    text.push_str("  la: &la [\"v=spf1 -all\", \"v=spf1 -all\"]\n");
    text.push_str("  lb: &lb [*la, *la, *la, *la, *la, *la, *la, *la, *la]\n");
    text.push_str("  lc: &lc [*lb, *lb, *lb, *lb, *lb, *lb, *lb, *lb, *lb]\n");
    text.push_str("lists:\n  type: TXT\n  values: *lc\n'':\n  <<: *i\nwww:\n  type: A\n  value: 192.0.2.1\n");
    fs::write(tmp.path().join("config/example.com.yaml"), text).unwrap();
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let msgs: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(msgs.iter().any(|m| m.contains("YAML aliases") && m.contains("max_yaml_aliases")), "{msgs:#?}");
    assert!(msgs.iter().any(|m| m.contains("must be a string")), "{msgs:#?}");
    assert!(msgs.len() < 20_000, "{} findings", msgs.len());
    assert_memory_bounded();
}

#[test]
fn a_five_thousand_deep_javascript_call() {
    let tmp = tempfile::tempdir().unwrap();
    let depth = 5000;
    let mut text = String::from("var REG = NewRegistrar(\"none\");\nD(\"example.com\", REG,\n  A(\"www\", \"192.0.2.1\"),\n  TXT(\"@\", ");
    text.push_str(&"f(".repeat(depth));
    text.push_str("\"v=spf1 -all\"");
    text.push_str(&")".repeat(depth));
    text.push_str("),\n  TXT(\"deep\", ");
    text.push_str(&"(\"a\" + ".repeat(depth));
    text.push_str("\"b\"");
    text.push_str(&")".repeat(depth));
    text.push_str("),\nEND);\n");
    fs::write(tmp.path().join("dnsconfig.js"), text).unwrap();
    let v = check_survives(tmp.path(), Duration::from_secs(30));
    let msgs: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(msgs.iter().any(|m| m.contains("nested more than 64 deep") && m.contains("max_nesting")), "{msgs:#?}");
    assert_memory_bounded();
}

#[test]
fn broken_terraform() {
    let tmp = tempfile::tempdir().unwrap();
    let text = concat!(
        "resource \"aws_route53_zone\" \"main\" {\n  name = \"example.com\"\n}\n\n",
        "resource \"aws_route53_record\" \"spf\" {\n  zone_id = aws_route53_zone.main.zone_id\n  name = \"example.com\"\n  type = \"TXT\"\n",
        "  records = [\"v=spf1 +all\"]\n}\n\n",
        "resource \"aws_route53_record\" \"broken\" {\n  zone_id = aws_route53_zone.main.zone_id\n  name = \"_dmarc\n  type = \"TXT\"\n  records = [\"v=DMARC1; p=reject\"\n",
        "resource \"aws_route53_record\" \"x\" { records = [[[[[[[[[[[[ \n",
    );
    fs::write(tmp.path().join("dns.tf"), text).unwrap();
    let mut deep = String::from("locals {\n  x = ");
    deep.push_str(&"[".repeat(100_000));
    fs::write(tmp.path().join("deep.tf"), deep + "\n}\nresource \"aws_route53_zone\" \"z\" {\n  name = \"example.org\"\n}\n").unwrap();
    let v = check_survives(tmp.path(), Duration::from_secs(60));
    let diags = v["diagnostics"].as_array().unwrap();
    let syntax: Vec<&serde_json::Value> = diags.iter().filter(|d| d["code"] == "zone/syntax").collect();
    assert!(syntax.iter().any(|d| d["message"].as_str().unwrap().starts_with("Terraform syntax error")), "{diags:#?}");
    // What could be read before the damage is still checked.
    assert!(diags.iter().any(|d| d["code"] == "spf/permissive-all"), "{diags:#?}");
    assert_memory_bounded();
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
