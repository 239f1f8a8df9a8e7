//! A repository of 2 000 DNS files in all four formats (~200 000 records), checked by
//! the CLI and indexed by the language server.
//!
//!     cargo bench --bench workspace_scale
//!
//! Writes the repository into a temporary folder (70% BIND zones, 10% each octoDNS,
//! DNSControl and Terraform; every file has one finding, `?all`), then measures
//! `zonels check --offline .` (median of 3, with the peak RSS) and, for `zonels lsp`,
//! `initialized` → findings published for every file.

#[path = "../../../tests/common/lsp_client.rs"]
mod lsp_client;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use lsp_client::file_uri;
use serde_json::json;

const FILES: usize = 2000;
const RECORDS: usize = 100;

/// Writes the repository; returns (records, bytes).
fn write_repo(root: &Path) -> (usize, usize) {
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let (mut records, mut bytes) = (0, 0);
    for i in 0..FILES {
        let domain = format!("d{i}.example");
        let (path, text) = match i % 10 {
            7 => (root.join(format!("octodns/{domain}.yaml")), octodns(i)),
            8 => (root.join(format!("dnscontrol/{i}/dnsconfig.js")), dnscontrol(&domain, i)),
            9 => (root.join(format!("terraform/{domain}.tf")), terraform(&domain, i)),
            _ => (root.join(format!("zones/{domain}.zone")), zone(&domain, i)),
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        records += RECORDS;
        bytes += text.len();
        std::fs::write(path, text).unwrap();
    }
    (records, bytes)
}

fn zone(domain: &str, i: usize) -> String {
    let mut t = format!(
        "$ORIGIN {domain}.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n  IN MX 10 mail\n@ IN TXT \"v=spf1 mx ?all\"\n_dmarc IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@{domain}\"\n"
    );
    for r in 0..RECORDS - 5 {
        let _ = writeln!(t, "host{r} IN A 192.0.2.{}", (i + r) % 250 + 1);
    }
    t
}

fn octodns(i: usize) -> String {
    let mut t = String::from(
        "---\n'':\n  - type: MX\n    value:\n      exchange: mail\n      preference: 10\n  - type: TXT\n    value: v=spf1 mx ?all\n",
    );
    for r in 0..RECORDS - 2 {
        let _ = write!(t, "host{r}:\n  type: A\n  value: 192.0.2.{}\n", (i + r) % 250 + 1);
    }
    t
}

fn dnscontrol(domain: &str, i: usize) -> String {
    let mut t =
        format!("var REG = NewRegistrar(\"none\");\nD(\"{domain}\", REG,\n  MX(\"@\", 10, \"mail\"),\n  TXT(\"@\", \"v=spf1 mx ?all\"),\n");
    for r in 0..RECORDS - 2 {
        let _ = writeln!(t, "  A(\"host{r}\", \"192.0.2.{}\"),", (i + r) % 250 + 1);
    }
    t.push_str("END);\n");
    t
}

fn terraform(domain: &str, i: usize) -> String {
    let mut t = format!(
        "resource \"aws_route53_zone\" \"z\" {{\n  name = \"{domain}\"\n}}\n\nresource \"aws_route53_record\" \"spf\" {{\n  zone_id = aws_route53_zone.z.zone_id\n  name = \"{domain}\"\n  type = \"TXT\"\n  ttl = 300\n  records = [\"v=spf1 mx ?all\"]\n}}\n\nresource \"aws_route53_record\" \"mx\" {{\n  zone_id = aws_route53_zone.z.zone_id\n  name = \"{domain}\"\n  type = \"MX\"\n  ttl = 300\n  records = [\"10 mail.{domain}.\"]\n}}\n"
    );
    for r in 0..RECORDS - 2 {
        let _ = write!(
            t,
            "\nresource \"aws_route53_record\" \"h{r}\" {{\n  zone_id = aws_route53_zone.z.zone_id\n  name = \"host{r}.{domain}\"\n  type = \"A\"\n  ttl = 300\n  records = [\"192.0.2.{}\"]\n}}\n",
            (i + r) % 250 + 1
        );
    }
    t
}

#[cfg(target_os = "linux")]
fn children_peak_rss_mib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `rusage` into the pointer it is given.
    unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init().ru_maxrss / 1024
    }
}

#[cfg(not(target_os = "linux"))]
fn children_peak_rss_mib() -> i64 {
    0
}

fn main() {
    if std::env::args().skip(1).any(|a| !a.starts_with('-') && !"workspace_scale".contains(&a)) {
        return;
    }
    // `ZONELS_BENCH_DIR=path` keeps the repository there (for profiling).
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("ZONELS_BENCH_DIR").map_or_else(|| tmp.path().to_path_buf(), std::path::PathBuf::from);
    let (records, bytes) = write_repo(&dir);
    println!("repository: {FILES} files, {records} records, {:.1} MB", bytes as f64 / 1e6);

    let mut runs = Vec::new();
    let mut findings = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zonels"))
            .args(["check", "--offline", "--format", "json", "."])
            .current_dir(&dir)
            .env("ZONELS_NO_SYSTEM_RESOLVER", "1")
            .output()
            .unwrap();
        runs.push(t.elapsed());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        findings = v["diagnostics"].as_array().map_or(0, Vec::len);
    }
    runs.sort();
    println!(
        "zonels check .                 {:>7.1} ms   (median of 3; {:.1}–{:.1}; {findings} findings; peak RSS {} MiB)",
        runs[1].as_secs_f64() * 1000.0,
        runs[0].as_secs_f64() * 1000.0,
        runs[2].as_secs_f64() * 1000.0,
        children_peak_rss_mib()
    );
    assert!(findings >= FILES, "expected a finding per file, got {findings}");

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(index(&dir));
}

async fn index(root: &Path) {
    let (mut child, mut c) = lsp_client::connect(Path::new(env!("CARGO_BIN_EXE_zonels")));
    let pid = child.id().unwrap_or(0);
    c.settings = json!({"offline": true});
    let t = Instant::now();
    c.initialize(&file_uri(root), false, json!({})).await;
    // Counted as they arrive (the last notification is the new one).
    let seen = std::cell::RefCell::new(BTreeSet::new());
    let all = c
        .wait_until(Duration::from_secs(120), |notes| {
            if let Some(n) = notes.last().filter(|n| n["method"] == "textDocument/publishDiagnostics")
                && n["params"]["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
                && let Some(u) = n["params"]["uri"].as_str()
            {
                seen.borrow_mut().insert(u.to_string());
            }
            seen.borrow().len() >= FILES
        })
        .await;
    let elapsed = t.elapsed();
    assert!(all, "findings were not published for every file");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).map_or("?".into(), |v| v.trim().to_string());
    println!("lsp: initialize -> all files   {:>7.1} ms   (peak RSS {rss})", elapsed.as_secs_f64() * 1000.0);
    c.request("shutdown", serde_json::Value::Null).await;
    c.notify("exit", serde_json::Value::Null).await;
    let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
}
