//! Live SPF resolution against a loopback DNS server that delays every answer by
//! 50 ms: an include tree of 10 names, three levels deep.
//!
//!     cargo bench --bench resolution
//!
//! Lookups of one level run concurrently, so a check should take about
//! (depth + 1) × 50 ms, not 10 × 50 ms. Measures `zonels check --resolver` (median of
//! 5), then the language server: open → every name resolved, and an edit after that
//! (the cache answers: no query, no delay).

#[path = "../../../tests/common/dns_server.rs"]
mod dns_server;
#[path = "../../../tests/common/lsp_client.rs"]
mod lsp_client;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dns_server::{DnsServer, Reply};
use hickory_proto::rr::RecordType;
use lsp_client::{codes, file_uri};
use serde_json::json;

const DELAY: Duration = Duration::from_millis(50);
const DEPTH: u32 = 3;

/// The tree: level 1 `a b c`, level 2 `a1 a2 b1 b2 c1`, level 3 `a11 b11` (10 includes).
fn spf_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "a.tree.example" => "v=spf1 include:a1.tree.example include:a2.tree.example -all",
        "b.tree.example" => "v=spf1 include:b1.tree.example include:b2.tree.example -all",
        "c.tree.example" => "v=spf1 include:c1.tree.example -all",
        "a1.tree.example" => "v=spf1 include:a11.tree.example -all",
        "b1.tree.example" => "v=spf1 include:b11.tree.example -all",
        "a2.tree.example" | "b2.tree.example" | "c1.tree.example" | "a11.tree.example" | "b11.tree.example" => {
            "v=spf1 ip4:198.51.100.0/24 -all"
        }
        _ => return None,
    })
}

const ZONE: &str = "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n  IN MX 10 mail\nns1 IN A 192.0.2.53\nmail IN A 192.0.2.25\n@ IN TXT \"v=spf1 include:a.tree.example include:b.tree.example include:c.tree.example -all\"\n_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n";

fn main() {
    if std::env::args().skip(1).any(|a| !a.starts_with('-') && !"resolution".contains(&a)) {
        return;
    }
    let server = DnsServer::start(Arc::new(|name: &str, t| {
        let reply = match (spf_of(name), t) {
            (Some(spf), RecordType::TXT) => Reply::records(vec![dns_server::txt(name, &[spf.as_bytes()])]),
            (Some(_), _) => Reply::default(),
            (None, _) => Reply::nxdomain(),
        };
        Reply { delay: DELAY, ..reply }
    }));
    let ws = tempfile::tempdir().unwrap();
    std::fs::create_dir(ws.path().join(".git")).unwrap();
    std::fs::write(ws.path().join("example.com.zone"), ZONE).unwrap();
    let bound = DELAY * (DEPTH + 1);

    let mut runs = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zonels"))
            .args(["check", "--format", "json", "--resolver", &server.address(), "."])
            .current_dir(ws.path())
            .env("ZONELS_NO_SYSTEM_RESOLVER", "1")
            .output()
            .unwrap();
        runs.push(t.elapsed());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        let spf: Vec<&str> =
            v["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).filter(|c| c.starts_with("spf/")).collect();
        assert!(spf.is_empty(), "the tree did not resolve: {spf:?}");
    }
    runs.sort();
    let queries = server.queries().len() / 5;
    println!(
        "zonels check (10 includes, depth {DEPTH}, {} ms per answer)   {:>6.1} ms   (median of 5; {:.1}–{:.1}; {queries} queries per run; bound {} ms)",
        DELAY.as_millis(),
        runs[2].as_secs_f64() * 1000.0,
        runs[0].as_secs_f64() * 1000.0,
        runs[4].as_secs_f64() * 1000.0,
        bound.as_millis()
    );

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let uri = file_uri(&ws.path().join("example.com.zone"));
        let (mut child, mut c) = lsp_client::connect(std::path::Path::new(env!("CARGO_BIN_EXE_zonels")));
        c.settings = json!({"resolver": server.address()});
        c.initialize(&file_uri(ws.path()), false, json!({})).await;
        let before = server.queries().len();
        let t = Instant::now();
        c.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "dns-zone", "version": 1, "text": ZONE}})).await;
        c.diagnostics(&uri, Duration::from_secs(30), |p| !codes(p).iter().any(|c| c.starts_with("spf/"))).await.expect("resolved");
        println!("lsp: open -> tree resolved                                  {:>6.1} ms", t.elapsed().as_secs_f64() * 1000.0);
        let asked = server.queries().len() - before;
        let edited = format!("{ZONE}www IN A 192.0.2.80\n");
        let change = json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]});
        let t = Instant::now();
        c.notify("textDocument/didChange", change).await;
        let pulled = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}})).await;
        let again = server.queries().len() - before - asked;
        println!(
            "lsp: edit -> complete analysis (cached)                     {:>6.1} ms   ({asked} queries for the tree, {again} after the edit)",
            t.elapsed().as_secs_f64() * 1000.0
        );
        let items = pulled["items"].as_array().expect("a full report");
        assert!(!items.iter().any(|d| d["code"].as_str().is_some_and(|c| c.starts_with("spf/"))), "{pulled}");
        c.request("shutdown", serde_json::Value::Null).await;
        c.notify("exit", serde_json::Value::Null).await;
        let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
    });
}
