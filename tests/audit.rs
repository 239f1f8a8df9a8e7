//! `zonels audit` end to end: the binary against authoritative servers on 127.0.0.2 and
//! 127.0.0.3 (hickory-server, serving tests/fixtures/audit/published) and a resolver on
//! 127.0.0.1 that also serves a test blocklist. The repository
//! (tests/fixtures/audit/repo) differs from what is published in every way the audit
//! reports; the fixture zones' own addresses (192.0.2.x) are never asked.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::auth_server::AuthServer;
use common::{fixtures, run_zonels};
use serde_json::Value;

struct Servers {
    ns1: AuthServer,
    ns2: AuthServer,
    resolver: AuthServer,
}

fn servers() -> Servers {
    let p = fixtures().join("audit/published");
    Servers {
        ns1: AuthServer::start("127.0.0.2", &p.join("ns1")),
        ns2: AuthServer::start("127.0.0.3", &p.join("ns2")),
        resolver: AuthServer::start("127.0.0.1", &p.join("resolver")),
    }
}

fn repo() -> PathBuf {
    fixtures().join("audit/repo")
}

/// (code, line, message) of each finding in a JSON report.
fn findings(stdout: &[u8]) -> Vec<(String, u64, String)> {
    let doc: Value = serde_json::from_slice(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(stdout)));
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["message"].as_str().unwrap().to_string()))
        .collect()
}

fn line_of(needle: &str) -> u64 {
    let text = std::fs::read_to_string(repo().join("example.com.zone")).unwrap();
    text.lines().position(|l| l.starts_with(needle)).unwrap_or_else(|| panic!("no line starting with {needle}")) as u64 + 1
}

fn has(f: &[(String, u64, String)], code: &str, line: u64, text: &str) -> bool {
    f.iter().any(|(c, l, m)| c == code && *l == line && m.contains(text))
}

#[test]
fn every_drift_class_and_the_blocklisted_sender_are_reported() {
    let s = servers();
    let auth = format!("ns1.example.com={},ns2.example.com={}", s.ns1.addr, s.ns2.addr);
    let resolver = s.resolver.addr.to_string();
    let out = run_zonels(
        &repo(),
        &["audit", "--format", "json", "--authoritative", &auth, "--resolver", &resolver, "--dnsbl", "dnsbl.example"],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "drift is an error: {stderr}");
    let f = findings(&out.stdout);
    let apex_spf = line_of("@        IN TXT");
    // A second SPF record added outside the repository, and what it does.
    assert!(has(&f, "drift/unexpected", apex_spf, "\"v=spf1 include:_spf.esp.example ~all\""), "{f:#?}");
    assert!(has(&f, "spf/multiple-records", apex_spf, "published"), "the published consequence: {f:#?}");
    // An edited DMARC policy; a rotated DKIM key (to a weaker one: its consequence too).
    assert!(has(&f, "drift/changed", line_of("_dmarc"), "published \"v=DMARC1; p=none;"), "{f:#?}");
    assert!(has(&f, "drift/changed", line_of("s1._domainkey"), "ns1.example.com"), "{f:#?}");
    assert!(has(&f, "dkim/weak-key", line_of("s1._domainkey"), "published"), "{f:#?}");
    // A key that was never deployed.
    assert!(has(&f, "drift/missing", line_of("s2._domainkey"), "NXDOMAIN"), "{f:#?}");
    assert!(has(&f, "drift/ttl", line_of("_mta-sts"), "TTL 300"), "{f:#?}");
    // The two servers disagree about TLS-RPT; the first one matches the repository.
    let tls = line_of("_smtp._tls");
    assert!(has(&f, "drift/nameservers-disagree", tls, "old-tls@example.com"), "{f:#?}");
    assert!(!f.iter().any(|(c, l, _)| c == "drift/changed" && *l == tls), "{f:#?}");
    // The listed sender, with the list's reason; the unlisted ones are not reported.
    assert!(has(&f, "mail/listed-sender", apex_spf, "Listed: see https://dnsbl.example/lookup?ip=192.0.2.10"), "{f:#?}");
    assert_eq!(f.iter().filter(|(c, ..)| c == "mail/listed-sender").count(), 1, "{f:#?}");
    // What matches is not reported.
    assert!(!f.iter().any(|(_, l, _)| *l == line_of("_spf ")), "{f:#?}");

    // Queries went where they were configured, and nowhere else: the authoritative
    // servers were asked about the zone only, the resolver about the blocklist only
    // (never the NS or MX addresses found in the zone file).
    for q in s.ns1.queries().iter().chain(&s.ns2.queries()) {
        assert!(q.0 == "example.com" || q.0.ends_with(".example.com"), "{q:?}");
        assert!(q.1 == "TXT" || q.1 == "MX", "{q:?}");
    }
    assert!(!s.ns1.queries().is_empty() && !s.ns2.queries().is_empty());
    let resolver_queries = s.resolver.queries();
    assert!(!resolver_queries.is_empty());
    for q in &resolver_queries {
        assert!(q.0.ends_with(".dnsbl.example"), "only the blocklist goes to the resolver: {q:?}");
    }
    // 192.0.2.10 (SPF), 198.51.100.0/30 (four addresses), and the MX host 192.0.2.25.
    let asked: std::collections::BTreeSet<&str> = resolver_queries.iter().filter(|q| q.1 == "A").map(|q| q.0.as_str()).collect();
    assert_eq!(asked.len(), 6, "{asked:?}");
    assert!(asked.contains("25.2.0.192.dnsbl.example"));
}

#[test]
fn with_only_a_resolver_no_other_server_is_asked() {
    let s = servers();
    let resolver = s.resolver.addr.to_string();
    let out = run_zonels(&repo(), &["audit", "--format", "json", "--resolver", &resolver], None);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let f = findings(&out.stdout);
    assert!(f.iter().any(|(c, _, m)| c == "drift/unexpected" && m.contains("resolver 127.0.0.1")), "{f:#?}");
    assert!(!f.iter().any(|(c, ..)| c == "drift/nameservers-disagree"), "one server cannot disagree: {f:#?}");
    assert!(!f.iter().any(|(c, ..)| c == "mail/listed-sender"), "no list unless configured: {f:#?}");
    assert!(s.ns1.queries().is_empty() && s.ns2.queries().is_empty(), "the zone's name servers were asked");
    assert!(s.resolver.queries().iter().all(|q| !q.0.ends_with("dnsbl.example")));
}

#[test]
fn a_server_that_never_answers_is_a_finding_not_a_hang() {
    let s = servers();
    // Bound, never read: queries to it time out.
    let silent = std::net::UdpSocket::bind("127.0.0.4:0").unwrap();
    let auth = format!("ns1.example.com={},ns2.example.com={}", s.ns1.addr, silent.local_addr().unwrap());
    let started = Instant::now();
    let out = run_zonels(&repo(), &["audit", "--format", "json", "--authoritative", &auth, "--timeout-ms", "300"], None);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(1));
    let f = findings(&out.stdout);
    let failed: Vec<_> = f.iter().filter(|(c, ..)| c == "drift/query-failed").collect();
    assert_eq!(failed.len(), 1, "one finding per server and zone: {f:#?}");
    assert_eq!(failed[0].1, line_of("@        IN NS   ns2"), "at the server's NS record: {f:#?}");
    assert!(failed[0].2.contains("timed out"), "{f:#?}");
    // ns1 was still compared.
    assert!(f.iter().any(|(c, ..)| c == "drift/unexpected"), "{f:#?}");

    // A blocklist that never answers: one finding for the list, not one per address.
    let resolver = silent.local_addr().unwrap().to_string();
    let auth = format!("ns1.example.com={}", s.ns1.addr);
    let args =
        ["audit", "--format", "json", "--authoritative", &auth, "--resolver", &resolver, "--dnsbl", "dnsbl.example", "--timeout-ms", "300"];
    let out = run_zonels(&repo(), &args, None);
    let f = findings(&out.stdout);
    let failed: Vec<_> = f.iter().filter(|(c, ..)| c == "drift/query-failed").collect();
    assert_eq!(failed.len(), 1, "{f:#?}");
    assert!(failed[0].2.starts_with("dnsbl.example did not answer about") && failed[0].2.contains("and 5 more addresses"), "{f:#?}");
    assert!(!f.iter().any(|(c, ..)| c == "mail/listed-sender"), "{f:#?}");
}

#[test]
fn a_repository_that_matches_exits_zero_and_every_format_reports() {
    let s = servers();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("audit/published/ns1/example.com.zone"), dir.path().join("example.com.zone")).unwrap();
    let auth = format!("ns1.example.com={}", s.ns1.addr);
    let out = run_zonels(dir.path(), &["audit", "--format", "json", "--authoritative", &auth], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(findings(&out.stdout).is_empty());

    let auth = format!("ns1.example.com={},ns2.example.com={}", s.ns1.addr, s.ns2.addr);
    let sarif = run_zonels(&repo(), &["audit", "--format", "sarif", "--authoritative", &auth], None);
    assert_eq!(sarif.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let rules: Vec<&str> = doc["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert!(rules.contains(&"drift/unexpected") && rules.contains(&"drift/missing"), "{rules:?}");
    let github = run_zonels(&repo(), &["audit", "--format", "github", "--authoritative", &auth], None);
    let text = String::from_utf8_lossy(&github.stdout);
    assert!(text.lines().any(|l| l.starts_with("::error file=example.com.zone,") && l.contains("drift/missing")), "{text}");
    let human = run_zonels(&repo(), &["audit", "--authoritative", &auth], None);
    assert!(String::from_utf8_lossy(&human.stderr).contains("audited"), "{}", String::from_utf8_lossy(&human.stderr));
}

#[test]
fn audit_without_servers_is_a_usage_error() {
    let out = run_zonels(&repo(), &["audit"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resolver"));
    let out = run_zonels(&repo(), &["audit", "--authoritative", "ns1.example.com"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NAME=ADDR"));
}
