//! Editor latency of `zonels lsp` over stdio, as a client sees it.
//!
//!     bench/zones.sh && cargo bench -p zonels --bench lsp_latency
//!
//! Opens a large zone (`ZONELS_BENCH_ZONE`, default `bench/out/z100k.zone`) and measures
//! open → first diagnostics, then 30 single-line edits spread over the file, each
//! timed from `didChange` to the first `publishDiagnostics` carrying the new version
//! ("first") and to the answer of a pull request for it, which waits for the complete
//! analysis ("complete"); then 100 hovers and 100 completions at records spread over
//! the analysed file; then edits replacing 1, 10, 100, 1 000 and 10 000 lines at once,
//! for how the latency grows with the size of an edit. Prints p50/p95/max of each.

#[path = "../../../tests/common/lsp_client.rs"]
mod lsp_client;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_client::file_uri;
use serde_json::{Value, json};

const EDITS: usize = 30;
const REQUESTS: usize = 100;
/// Lines replaced by one edit, for the scaling with edit size.
const EDIT_SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];
const SIZED_EDITS: usize = 10;
/// Between edits, as a typist pauses between words.
const PAUSE: Duration = Duration::from_millis(20);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:<28} p50 {:>7.1} ms   p95 {:>7.1} ms   max {:>7.1} ms   (n={})",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.95)),
        ms(*samples.last().unwrap()),
        samples.len()
    );
}

type Client = lsp_client::LspClient<tokio::process::ChildStdout, tokio::process::ChildStdin>;

/// Sends one change and times it to the first diagnostics of the new version (read and
/// parsed by the client) and to the answer of a pull request (the complete analysis);
/// then pauses, as a typist does.
async fn timed_edit(c: &mut Client, uri: &str, version: i64, change: Value) -> (Duration, Duration) {
    let t = Instant::now();
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})).await;
    let found = c.diagnostics(uri, Duration::from_secs(60), |p| p["version"] == version).await.expect("diagnostics after an edit");
    // In the client's hands (freeing them is the client's own business).
    let first = t.elapsed();
    drop(found);
    let pulled: Value = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}})).await;
    assert_eq!(pulled["kind"], "full");
    let complete = t.elapsed();
    // The pause is spent reading what else comes (the complete analysis's findings are
    // also pushed), as an editor does: not left in the pipe for the next edit to wait on.
    c.wait_until(PAUSE, |_| false).await;
    c.notifications.clear();
    (first, complete)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that does not match skips the run.
    if std::env::args().skip(1).any(|a| !a.starts_with('-') && !"lsp_latency".contains(&a)) {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".");
    let zone = std::env::var_os("ZONELS_BENCH_ZONE").map(PathBuf::from).unwrap_or_else(|| root.join("bench/out/z100k.zone"));
    let text = match std::fs::read_to_string(&zone) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("lsp_latency: cannot read {} ({e}); run bench/zones.sh first", zone.display());
            return;
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(run(text));
}

async fn run(text: String) {
    let ws = tempfile::tempdir().unwrap();
    let path = ws.path().join("example.com.zone");
    std::fs::write(&path, &text).unwrap();
    let uri = file_uri(&path);
    let (mut child, mut c) = lsp_client::connect(std::path::Path::new(env!("CARGO_BIN_EXE_zonels")));
    c.settings = json!({"offline": true});
    // A push client (the pull request below still answers: it waits for the analysis of
    // the latest version).
    c.initialize(&file_uri(ws.path()), false, json!({})).await;

    let records = text.lines().filter(|l| !l.trim_start().starts_with(';') && !l.trim().is_empty()).count();
    println!("zone: {} lines, {} record lines, {:.1} MB", text.lines().count(), records, text.len() as f64 / 1e6);
    let started = Instant::now();
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "dns-zone", "version": 1, "text": text}})).await;
    let first = c.diagnostics(&uri, Duration::from_secs(120), |p| p["version"] == 1).await.expect("diagnostics after open");
    let open = started.elapsed();
    println!(
        "open -> first diagnostics      {:>7.1} ms   ({} findings)",
        open.as_secs_f64() * 1000.0,
        first["diagnostics"].as_array().map_or(0, Vec::len)
    );

    // Single-line edits: change the TTL-less `A` records' last octet, spread over the file.
    let lines: Vec<&str> = text.lines().collect();
    let targets: Vec<(usize, usize)> =
        lines.iter().enumerate().filter(|(_, l)| l.contains("\tA\t") || l.contains(" A ")).map(|(i, l)| (i, l.len())).collect();
    assert!(targets.len() >= EDITS, "the zone has too few A records to edit");
    let step = targets.len() / EDITS;
    let (mut to_first, mut to_complete) = (Vec::new(), Vec::new());
    for k in 0..EDITS {
        let (line, len) = targets[k * step + step / 2];
        let version = 2 + k as i64;
        let digit = (k % 10).to_string();
        let change =
            json!({"range": {"start": {"line": line, "character": len - 1}, "end": {"line": line, "character": len}}, "text": digit});
        let (first, complete) = timed_edit(&mut c, &uri, version, change).await;
        to_first.push(first);
        to_complete.push(complete);
    }
    report("edit -> first diagnostics", to_first);
    report("edit -> complete analysis", to_complete);

    // Edits of growing size: 1 to 10 000 consecutive lines replaced at once (a paste, a
    // search-and-replace), each line's last digit changed. The lines' count stays the same,
    // so the local copy keeps the server's line numbers.
    let mut doc: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut version = 2 + EDITS as i64;
    for size in EDIT_SIZES {
        let (mut to_first, mut to_complete) = (Vec::new(), Vec::new());
        for k in 0..SIZED_EDITS {
            // Spread over the file, away from its first lines (the header before any record).
            let start = ((2 * k + 1) * doc.len() / (2 * SIZED_EDITS)).min(doc.len() - size);
            let digit = char::from(b'0' + ((k + size) % 10) as u8);
            for l in &mut doc[start..start + size] {
                if l.ends_with(|c: char| c.is_ascii_digit()) {
                    l.pop();
                    l.push(digit);
                }
            }
            let text: String = doc[start..start + size].iter().flat_map(|l| [l.as_str(), "\n"]).collect();
            version += 1;
            let change =
                json!({"range": {"start": {"line": start, "character": 0}, "end": {"line": start + size, "character": 0}}, "text": text});
            let (first, complete) = timed_edit(&mut c, &uri, version, change).await;
            to_first.push(first);
            to_complete.push(complete);
        }
        report(&format!("{size:>5}-line edit -> first"), to_first);
        report(&format!("{size:>5}-line edit -> complete"), to_complete);
    }

    // Hover and completion on an analysed document, at records spread over the file:
    // on a record type or its data, and completion at the start of the line.
    let (mut hovers, mut completions) = (Vec::new(), Vec::new());
    for k in 0..REQUESTS {
        let (line, _) = targets[(k * targets.len() / REQUESTS + 1).min(targets.len() - 1)];
        // The record type (always has a hover), or the last character of the data.
        let on_type = k % 2 == 0;
        let ch = if on_type {
            lines[line].find("\tA\t").or_else(|| lines[line].find(" A ")).map_or(0, |i| i + 1)
        } else {
            lines[line].len() - 1
        };
        let pos = json!({"line": line, "character": ch});
        let t = Instant::now();
        let h = c.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": pos})).await;
        hovers.push(t.elapsed());
        assert!(!h.is_null() || !on_type, "no hover at {pos}");
        let t = Instant::now();
        let items =
            c.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 0}})).await;
        completions.push(t.elapsed());
        assert!(!items.is_null(), "no completion at line {line}");
    }
    report("hover", hovers);
    report("completion", completions);
    c.request("shutdown", Value::Null).await;
    c.notify("exit", Value::Null).await;
    let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
}
