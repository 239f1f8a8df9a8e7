//! Name resolution in layers — the workspace, zonels.lock, live DNS — against a real
//! DNS server on 127.0.0.1. No test talks to anything else: the binary runs with
//! ZONELS_NO_SYSTEM_RESOLVER set, so without `--resolver` it stays offline.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::dns_server::{self, DnsServer, Reply};
use hickory_proto::rr::RecordType;
use serde_json::Value;

const ZONE: &str = "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n  IN MX 10 mail\nns1 IN A 192.0.2.53\nmail IN A 192.0.2.25\n_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n";

fn zonels(dir: &Path, args: &[&str]) -> Output {
    Command::new(common::zonels_bin()).args(args).current_dir(dir).env("ZONELS_NO_SYSTEM_RESOLVER", "1").output().unwrap()
}

fn findings(o: &Output) -> Vec<(String, String)> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["message"].as_str().unwrap().to_string()))
        .collect()
}

fn codes(o: &Output) -> Vec<String> {
    findings(o).into_iter().map(|(c, _)| c).collect()
}

/// A provider tree outside the workspace: `_spf.provider.example` includes four more
/// records, each costing lookups.
fn provider() -> DnsServer {
    DnsServer::start(Arc::new(|name: &str, t| {
        use dns_server::*;
        let spf = |s: &str| Reply::records(vec![txt(name, &[s.as_bytes()])]);
        match (name, t) {
            ("_spf.provider.example", RecordType::TXT) => {
                spf("v=spf1 include:a.provider.example include:b.provider.example include:c.provider.example ~all")
            }
            ("a.provider.example" | "b.provider.example", RecordType::TXT) => spf("v=spf1 a mx ip4:198.51.100.0/24 ~all"),
            ("c.provider.example", RecordType::TXT) => spf("v=spf1 include:d.provider.example ~all"),
            ("d.provider.example", RecordType::TXT) => spf("v=spf1 a mx ptr ~all"),
            (n, RecordType::A) if n.ends_with("provider.example") => Reply::records(vec![a(n, "198.51.100.7")]),
            (n, RecordType::MX) if n.ends_with("provider.example") => Reply::records(vec![mx(n, 10, "mx.provider.example")]),
            (n, _) if n.ends_with("provider.example") => Reply::default(),
            _ => Reply::nxdomain(),
        }
    }))
}

fn workspace(zone_extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join(".git")).unwrap();
    fs::write(tmp.path().join("example.com.zone"), format!("{ZONE}{zone_extra}")).unwrap();
    tmp
}

#[test]
fn counts_through_an_external_tree_over_loopback_dns() {
    let server = provider();
    let ws = workspace("@ IN TXT \"v=spf1 mx a include:_spf.provider.example -all\"\n");
    let o = zonels(ws.path(), &["check", ".", "--format", "json", "--resolver", &server.address()]);
    let f = findings(&o);
    // mx, a, include (1) + a, b (2+2+2) + c (1) + d (1+3) = 14.
    let msg = f.iter().find(|(c, _)| c == "spf/too-many-lookups").map(|(_, m)| m.clone()).unwrap_or_else(|| panic!("{f:?}"));
    assert!(msg.contains("costs 14 lookups"), "{msg}");
    assert!(msg.contains("`include:_spf.provider.example` (12)"), "{msg}");
    assert!(!codes(&o).contains(&"spf/unresolved".to_string()));
    let asked: Vec<String> = server.queries().into_iter().map(|(n, _, _)| n).collect();
    assert!(asked.contains(&"d.provider.example".to_string()), "{asked:?}");
    assert!(!asked.iter().any(|n| n.ends_with("example.com")), "workspace names were queried: {asked:?}");
}

#[test]
fn offline_without_a_snapshot_is_a_lower_bound_not_an_error() {
    let ws = workspace("@ IN TXT \"v=spf1 mx a include:_spf.provider.example -all\"\n");
    let o = zonels(ws.path(), &["check", ".", "--format", "json", "--offline"]);
    let f = findings(&o);
    let unresolved = f.iter().find(|(c, _)| c == "spf/unresolved").unwrap_or_else(|| panic!("{f:?}"));
    assert!(unresolved.1.contains("at least 3 DNS lookups"), "{}", unresolved.1);
    assert!(!codes(&o).contains(&"spf/too-many-lookups".to_string()));
    assert_eq!(o.status.code(), Some(0), "an unresolved count is information, not an error");
}

#[test]
fn workspace_only_resolution_needs_no_network() {
    let server = provider();
    let ws = workspace(
        "@ IN TXT \"v=spf1 include:_a.example.com include:_b.example.com -all\"\n_a IN TXT \"v=spf1 a mx a:mail.example.com mx:mail.example.com ptr -all\"\n_b IN TXT \"v=spf1 a mx a:mail.example.com mx:example.com -all\"\n_a IN A 192.0.2.1\n_a IN MX 10 mail\n_b IN A 192.0.2.2\n_b IN MX 10 mail\n",
    );
    // Pointing at a server changes nothing: every name is answered by the workspace.
    let o = zonels(ws.path(), &["check", ".", "--format", "json", "--resolver", &server.address()]);
    let f = findings(&o);
    let msg = f.iter().find(|(c, _)| c == "spf/too-many-lookups").map(|(_, m)| m.clone()).unwrap_or_else(|| panic!("{f:?}"));
    assert!(msg.contains("costs 11 lookups"), "{msg}");
    assert!(server.queries().is_empty(), "queried: {:?}", server.queries());
    let offline = zonels(ws.path(), &["check", ".", "--format", "json", "--offline"]);
    assert_eq!(findings(&offline), f, "the same findings offline");
}

#[test]
fn lock_then_offline_gives_the_online_findings() {
    let server = provider();
    let ws = workspace(
        "@ IN TXT \"v=spf1 mx a include:_spf.provider.example -all\"\n_dmarc.shop IN TXT \"v=DMARC1; p=none; rua=mailto:r@reports.provider.example\"\nshop IN TXT \"v=spf1 -all\"\n",
    );
    let online = zonels(ws.path(), &["check", ".", "--format", "json", "--resolver", &server.address()]);
    let l = zonels(ws.path(), &["lock", "--resolver", &server.address()]);
    assert_eq!(l.status.code(), Some(0), "{}", String::from_utf8_lossy(&l.stderr));
    let lock = fs::read_to_string(ws.path().join("zonels.lock")).unwrap();
    assert!(lock.contains("name = \"d.provider.example.\""), "{lock}");
    assert!(lock.contains("name = \"shop.example.com._report._dmarc.reports.provider.example.\""), "{lock}");
    assert!(!lock.contains("name = \"example.com.\""), "workspace names do not belong in the lock: {lock}");
    // One entry per (name, type), sorted.
    let lines: Vec<&str> = lock.lines().collect();
    let names: Vec<(&str, &str)> = lines.windows(2).filter(|w| w[0].starts_with("name = ")).map(|w| (w[0], w[1])).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(names, sorted);
    drop(server);
    let offline = zonels(ws.path(), &["check", ".", "--format", "json", "--offline"]);
    assert_eq!(findings(&offline), findings(&online));
    assert!(codes(&online).contains(&"dmarc/external-destination".to_string()), "{:?}", codes(&online));
}

#[test]
fn truncated_answers_retry_over_tcp() {
    let server = DnsServer::start(Arc::new(|name: &str, t| {
        use dns_server::*;
        match (name, t) {
            ("_spf.provider.example", RecordType::TXT) => Reply {
                truncate_udp: true,
                ..Reply::records(vec![txt(name, &[b"v=spf1 ip4:198.51.100.0/24 ", b"ip4:203.0.113.0/24 -all"])])
            },
            _ => Reply::nxdomain(),
        }
    }));
    let ws = workspace("@ IN TXT \"v=spf1 mx include:_spf.provider.example -all\"\n");
    let o = zonels(ws.path(), &["check", ".", "--format", "json", "--resolver", &server.address()]);
    assert!(!codes(&o).iter().any(|c| c.starts_with("spf/")), "{:?}", findings(&o));
    assert!(
        server.queries().iter().any(|(n, t, tcp)| n == "_spf.provider.example" && *t == RecordType::TXT && *tcp),
        "{:?}",
        server.queries()
    );
}

#[test]
fn servfail_and_timeouts_finish_with_lookup_failed() {
    let server = DnsServer::start(Arc::new(|name: &str, _t| match name {
        "_spf.broken.example" => Reply::servfail(),
        "_spf.silent.example" => Reply::timeout(),
        _ => Reply::nxdomain(),
    }));
    let ws = workspace("@ IN TXT \"v=spf1 mx include:_spf.broken.example include:_spf.silent.example -all\"\n");
    let start = Instant::now();
    let o = zonels(ws.path(), &["check", ".", "--format", "json", "--resolver", &server.address(), "--timeout-ms", "300"]);
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    let f = findings(&o);
    let failed: Vec<&String> = f.iter().filter(|(c, _)| c == "spf/lookup-failed").map(|(_, m)| m).collect();
    assert_eq!(failed.len(), 2, "{f:?}");
    assert!(failed.iter().any(|m| m.contains("_spf.broken.example")));
    assert!(failed.iter().any(|m| m.contains("_spf.silent.example") && m.contains("timed out")));
}

#[test]
fn spf_tree_and_evaluation_commands() {
    let server = provider();
    let ws = workspace("@ IN TXT \"v=spf1 mx a include:_spf.provider.example -all\"\n");
    let o = zonels(ws.path(), &["spf", "example.com", "--resolver", &server.address()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("include:_spf.provider.example  [+1 → 3]"), "{out}");
    assert!(out.contains("← exceeds the limit of 10"), "{out}");
    assert!(out.contains("14 DNS lookups (limit 10)"), "{out}");
    assert_eq!(o.status.code(), Some(1));
    let o = zonels(
        ws.path(),
        &[
            "spf",
            "--ip",
            "192.0.2.25",
            "--sender",
            "a@example.com",
            "--helo",
            "mail.example.com",
            "--resolver",
            &server.address(),
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["result"], "pass");
    assert_eq!(v["lookups"], 1);
    // An address no mechanism lists walks the tree until the 11th lookup.
    let o = zonels(
        ws.path(),
        &[
            "spf",
            "--ip",
            "203.0.113.9",
            "--sender",
            "a@example.com",
            "--helo",
            "mail.example.com",
            "--resolver",
            &server.address(),
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["result"], "permerror", "{v}");
    assert_eq!(v["lookups"], 11);
    // Without --sender, postmaster@HELO (RFC 7208 §2.4).
    let o = zonels(ws.path(), &["spf", "--ip", "192.0.2.25", "--helo", "example.com", "--resolver", &server.address(), "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["result"], "pass", "{v}");
}

#[test]
fn malformed_wrong_id_and_oversized_answers_end_in_findings() {
    let server = DnsServer::start(Arc::new(|name: &str, t| {
        use dns_server::*;
        match (name, t) {
            ("_spf.garbage.example", _) => Reply { garbage: true, ..Reply::default() },
            ("_spf.wrongid.example", _) => Reply { wrong_id: true, ..Reply::records(vec![txt(name, &[b"v=spf1 +all"])]) },
            // ~60 KB in one UDP datagram, no TC bit: the client cannot take it whole.
            ("_spf.huge.example", RecordType::TXT) => {
                let mut answers = vec![txt(name, &[b"v=spf1 ip4:198.51.100.0/24 -all"])];
                answers.extend((0..300).map(|i| txt(name, &[format!("junk-{i:03}-{}", "x".repeat(190)).as_bytes()])));
                Reply::records(answers)
            }
            _ => Reply::nxdomain(),
        }
    }));
    let ws = workspace("@ IN TXT \"v=spf1 mx include:_spf.garbage.example include:_spf.wrongid.example include:_spf.huge.example -all\"\n");
    let start = Instant::now();
    let o = zonels(ws.path(), &["check", ".", "--format", "json", "--resolver", &server.address(), "--timeout-ms", "300"]);
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&o.stderr));
    let f = findings(&o);
    let failed = |n: &str| f.iter().any(|(c, m)| c == "spf/lookup-failed" && m.contains(n));
    // Bytes that are not DNS, and answers to a question nobody asked, are no answer.
    assert!(failed("_spf.garbage.example"), "{f:?}");
    assert!(failed("_spf.wrongid.example"), "{f:?}");
    // A datagram larger than the client's buffer without the TC bit arrives cut short:
    // undecodable, a temporary error as at a receiver, said as such.
    assert!(f.iter().any(|(c, m)| c == "spf/lookup-failed" && m.contains("_spf.huge.example") && m.contains("malformed answer")), "{f:?}");
    // Nothing else was made of these answers (the wrong-ID one said `+all`).
    assert_eq!(f.iter().filter(|(c, _)| c.starts_with("spf/")).count(), 3, "{f:?}");
}

#[test]
fn answers_are_trusted_only_for_the_queried_name() {
    let server = DnsServer::start(Arc::new(|name: &str, t| {
        use dns_server::*;
        match (name, t) {
            // An answer section about another name: ignored.
            ("_spf.foreign.example", RecordType::TXT) => Reply::records(vec![txt("victim.example", &[b"v=spf1 ip4:198.51.100.0/24 -all"])]),
            // A CNAME chain from the queried name is followed.
            ("_spf.alias.example", RecordType::TXT) => {
                Reply::records(vec![cname(name, "_spf.real.example"), txt("_spf.real.example", &[b"v=spf1 ip4:203.0.113.0/24 -all"])])
            }
            _ => Reply::nxdomain(),
        }
    }));
    let ws = workspace("@ IN TXT \"v=spf1 mx include:_spf.foreign.example include:_spf.alias.example -all\"\n");
    let o = zonels(ws.path(), &["check", ".", "--format", "json", "--resolver", &server.address()]);
    let f = findings(&o);
    let spf: Vec<_> = f.iter().filter(|(c, _)| c.starts_with("spf/")).collect();
    assert_eq!(spf.len(), 1, "{f:?}");
    assert_eq!(spf[0].0, "spf/include-no-spf");
    assert!(spf[0].1.contains("_spf.foreign.example"), "{f:?}");
    // Nothing was asked about the other name, and its record did not count.
    assert!(!server.queries().iter().any(|(n, _, _)| n == "victim.example"), "{:?}", server.queries());
}

/// Offline means no packet at all: a server that records every query stays silent
/// whichever way offline is asked for (flag, zonels.toml, hook default).
#[test]
fn offline_sends_no_query() {
    let server = provider();
    let ws = workspace(
        "@ IN TXT \"v=spf1 mx include:_spf.provider.example -all\"\nshop IN TXT \"v=spf1 include:_spf.elsewhere.example -all\"\n",
    );
    let r = server.address();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", ".", "--format", "json", "--offline", "--resolver", &r],
        vec!["check", ".", "--format", "json", "--offline-by-default"],
        vec!["spf", "example.com", "--offline", "--resolver", &r],
        vec!["spf", "--ip", "198.51.100.7", "--sender", "a@example.com", "--offline", "--resolver", &r],
    ];
    for args in &runs {
        let o = zonels(ws.path(), args);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    fs::write(ws.path().join("zonels.toml"), format!("[resolve]\noffline = true\nresolver = \"{r}\"\n")).unwrap();
    let o = zonels(ws.path(), &["check", ".", "--format", "json"]);
    assert!(codes(&o).contains(&"spf/unresolved".to_string()), "{:?}", findings(&o));
    assert_eq!(server.queries(), vec![], "offline runs sent queries");
    // The same server is asked as soon as a run is online: the test would see a leak.
    fs::remove_file(ws.path().join("zonels.toml")).unwrap();
    zonels(ws.path(), &["check", ".", "--format", "json", "--resolver", &r]);
    assert!(server.queries().iter().any(|(n, _, _)| n == "_spf.provider.example"), "{:?}", server.queries());
}
