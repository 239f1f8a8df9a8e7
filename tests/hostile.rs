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
