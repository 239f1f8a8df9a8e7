//! The language server, over the real binary's stdio and in-process over a duplex pipe,
//! driven the way an editor drives it: request, wait for the response, next.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::dns_server::{self, DnsServer, Reply};
use common::lsp_client::{self, LspClient, codes, file_uri};
use serde_json::{Value, json};

const ZONE: &str = "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n  IN MX 10 mail.example.com\nns1 IN A 192.0.2.53\nmail IN A 192.0.2.25\n@ IN TXT \"v=spf1 mx -all\"\n_dmarc IN TXT \"v=DMARC1; p=reject\"\n";

type BinClient = LspClient<tokio::process::ChildStdout, tokio::process::ChildStdin>;

fn spawn_binary() -> (tokio::process::Child, BinClient) {
    lsp_client::connect(&common::zonels_bin())
}

type DuplexClient = LspClient<tokio::io::ReadHalf<tokio::io::DuplexStream>, tokio::io::WriteHalf<tokio::io::DuplexStream>>;

fn in_process() -> DuplexClient {
    let (client_end, server_end) = tokio::io::duplex(1 << 20);
    let (sr, sw) = tokio::io::split(server_end);
    tokio::spawn(zonels::lsp::serve(sr, sw));
    let (cr, cw) = tokio::io::split(client_end);
    LspClient::new(cr, cw)
}

fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    tmp
}

/// Applies LSP text edits (UTF-16 positions) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        let mut off = start;
        for c in text[start..].chars() {
            if units >= ch || c == '\n' {
                break;
            }
            units += c.len_utf16();
            off += c.len_utf8();
        }
        off
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_string()))
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

async fn open<R, W>(c: &mut LspClient<R, W>, uri: &str, text: &str)
where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "dns-zone", "version": 1, "text": text}})).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn columns_are_exact_in_utf8_and_utf16() {
    // `extra` follows an emoji: 4 bytes in UTF-8, 2 units in UTF-16.
    let text = format!("{ZONE}cc IN CAA 0 issue \"😀\" extra\n");
    let ws = workspace(&[("example.com.zone", &text)]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    for (utf8, expected) in [(true, 25u64), (false, 23u64)] {
        let (_child, mut c) = spawn_binary();
        let init = c.initialize(&file_uri(ws.path()), utf8, json!({})).await;
        assert_eq!(init["capabilities"]["positionEncoding"], if utf8 { "utf-8" } else { "utf-16" });
        open(&mut c, &uri, &text).await;
        let d =
            c.diagnostics(&uri, Duration::from_secs(10), |p| codes(p).contains(&"zone/bad-rdata".to_string())).await.expect("diagnostics");
        let bad = d["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "zone/bad-rdata").unwrap();
        assert_eq!(bad["range"]["start"]["line"], 9);
        assert_eq!(bad["range"]["start"]["character"], expected, "utf8={utf8}");
        assert_eq!(bad["range"]["end"]["character"], expected + 5);
        assert_eq!(bad["source"], "zonels");
        assert!(bad["codeDescription"]["href"].as_str().unwrap().contains("zone-bad-rdata"));
        assert_eq!(d["version"], 1);
        c.request("shutdown", Value::Null).await;
        c.notify("exit", Value::Null).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn incremental_changes_update_diagnostics_with_the_new_version() {
    let ws = workspace(&[]);
    let path = ws.path().join("example.com.zone");
    let uri = file_uri(&path);
    let mut c = in_process();
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    open(&mut c, &uri, ZONE).await;
    let d = c.diagnostics(&uri, Duration::from_secs(10), |_| true).await.unwrap();
    assert!(codes(&d).contains(&"zone/missing-trailing-dot".to_string()), "{d}");
    // Add the dot at the end of line 4 (`…mail.example.com`), then break the A record.
    let line4 = ZONE.lines().nth(4).unwrap();
    let end = line4.len();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 4, "character": end}, "end": {"line": 4, "character": end}}, "text": "."}]}),
    )
    .await;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": {"start": {"line": 6, "character": 10}, "end": {"line": 6, "character": 20}}, "text": "1.2.3"}]}),
    )
    .await;
    let d = c.diagnostics(&uri, Duration::from_secs(10), |p| p["version"] == 3).await.expect("diagnostics for version 3");
    let cs = codes(&d);
    assert!(!cs.contains(&"zone/missing-trailing-dot".to_string()), "{cs:?}");
    assert!(cs.contains(&"zone/bad-rdata".to_string()), "{cs:?}");
    // A stale change (an older version) is ignored.
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "garbage"}]})).await;
    let h = c.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 7}})).await;
    assert!(md(&h).contains("**A**"), "{h}");
}

/// The findings published first after an edit (the quick look at the changed lines, or
/// the full analysis if that came first) are a subset of the full analysis of the same
/// text, positions included: the rest of the file's findings move with the text.
#[tokio::test(flavor = "multi_thread")]
async fn the_first_findings_after_an_edit_agree_with_the_full_analysis() {
    let zone = format!("{ZONE}www IN A 192.0.2.80\nold IN MX 10 mail.example.com\nend IN A 192.0.2.1\n");
    let ws = workspace(&[]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let mut c = in_process();
    c.settings = json!({"quickLook": true});
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    open(&mut c, &uri, &zone).await;
    c.diagnostics(&uri, Duration::from_secs(10), |p| p["version"] == 1).await.unwrap();
    let key = |d: &Value| (d["code"].as_str().unwrap_or("").to_string(), d["range"].to_string());
    let edits = [
        // A new broken record in the middle: everything after it moves down a line.
        json!({"range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 0}}, "text": "bad IN A 1.2.3\n"}),
        // Fix it in place.
        json!({"range": {"start": {"line": 6, "character": 9}, "end": {"line": 6, "character": 14}}, "text": "192.0.2.9"}),
        // Delete a line: findings after it move up.
        json!({"range": {"start": {"line": 6, "character": 0}, "end": {"line": 7, "character": 0}}, "text": ""}),
        // An unterminated string, then a TTL out of range on the last line.
        json!({"range": {"start": {"line": 9, "character": 0}, "end": {"line": 9, "character": 0}}, "text": "txt IN TXT \"open\n"}),
        json!({"range": {"start": {"line": 12, "character": 4}, "end": {"line": 12, "character": 4}}, "text": "99999999999 "}),
        // A record over two lines in parentheses, read alone; then one whose `(` stays open.
        json!({"range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 0}}, "text": "multi IN A (\n  1.2.3 )\n"}),
        json!({"range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 0}}, "text": "open IN TXT ( \"a\"\n"}),
    ];
    for (i, change) in edits.into_iter().enumerate() {
        let version = 2 + i as i64;
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})).await;
        let first = c.diagnostics(&uri, Duration::from_secs(10), |p| p["version"] == version).await.unwrap();
        let full = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}})).await;
        let full: Vec<_> = full["items"].as_array().unwrap().iter().map(key).collect();
        for d in first["diagnostics"].as_array().unwrap() {
            assert!(full.contains(&key(d)), "edit {i}: {d} is not in the full analysis {full:?}");
        }
        // Parse-level findings are all there at once.
        let first_codes = codes(&first);
        let wanted = [
            ["zone/bad-rdata"].as_slice(),
            &[],
            &[],
            &["zone/syntax"],
            &["zone/syntax", "zone/bad-ttl"],
            &["zone/syntax", "zone/bad-ttl", "zone/bad-rdata"],
            &["zone/syntax"],
        ];
        for want in wanted[i] {
            assert!(first_codes.iter().any(|c| c == want), "edit {i}: {want} missing from {first_codes:?}");
        }
        // Then the full analysis is published for the same version, except where the
        // change could not be read alone (a `(` left open) and the first was the full one.
        let again = c.diagnostics(&uri, Duration::from_secs(if i == 6 { 1 } else { 10 }), |p| p["version"] == version).await;
        assert_eq!(again.is_some(), i != 6, "edit {i}: a quick look was published first: {}", i != 6);
        c.notifications.clear();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quick_fix_makes_the_finding_go_away() {
    let ws = workspace(&[]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let mut c = in_process();
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    open(&mut c, &uri, ZONE).await;
    let d = c.diagnostics(&uri, Duration::from_secs(10), |_| true).await.unwrap();
    let diag = d["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "zone/missing-trailing-dot").unwrap().clone();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
        )
        .await;
    let actions = actions.as_array().unwrap();
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Suppress `zone/missing-trailing-dot` here"), "{titles:?}");
    assert!(titles.contains(&"Show documentation for `zone/missing-trailing-dot`"), "{titles:?}");
    let fix = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Add the trailing dot")).unwrap();
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let edits = fix["edit"]["changes"][&uri].as_array().unwrap();
    let fixed = apply(ZONE, edits);
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]})).await;
    let d = c.diagnostics(&uri, Duration::from_secs(10), |p| p["version"] == 2).await.unwrap();
    assert!(!codes(&d).contains(&"zone/missing-trailing-dot".to_string()), "{d}");
    // The suppression action inserts the comment on the line before the record.
    let text = format!("{ZONE}www IN A 192.0.2.1\nwww IN A 192.0.2.1\n");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text}]})).await;
    let d = c
        .diagnostics(&uri, Duration::from_secs(10), |p| p["version"] == 3 && codes(p).contains(&"zone/duplicate-record".to_string()))
        .await
        .unwrap();
    let dup = d["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "zone/duplicate-record").unwrap().clone();
    let actions = c
        .request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": dup["range"], "context": {"diagnostics": [dup]}}))
        .await;
    let sup = actions.as_array().unwrap().iter().find(|a| a["title"] == "Suppress `zone/duplicate-record` here").unwrap();
    let suppressed = apply(&text, sup["edit"]["changes"][&uri].as_array().unwrap());
    assert!(suppressed.contains("www IN A 192.0.2.1\n; zonels-ignore: zone/duplicate-record\nwww IN A 192.0.2.1\n"), "{suppressed}");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": suppressed}]})).await;
    let d = c.diagnostics(&uri, Duration::from_secs(10), |p| p["version"] == 4).await.unwrap();
    assert!(!codes(&d).contains(&"zone/duplicate-record".to_string()), "{d}");
    // source.fixAll.zonels applies every safe fix.
    let broken = format!("{ZONE}x IN MX 10 mx.example.com\nx IN TXT \"v=spf1 –all\"\n");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": broken}]})).await;
    c.diagnostics(&uri, Duration::from_secs(10), |p| p["version"] == 5).await.unwrap();
    let all = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll.zonels"]}}),
        )
        .await;
    let action = &all.as_array().unwrap()[0];
    let fixed = apply(&broken, action["edit"]["changes"][&uri].as_array().unwrap());
    assert!(fixed.contains("IN MX 10 mx.example.com.\n") && fixed.contains("\"v=spf1 -all\""), "{fixed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn hover_completion_hints_navigation_and_formatting() {
    let key = std::fs::read_to_string(common::fixtures().join("keys/rsa2048.spki.b64")).unwrap();
    let text = format!(
        "{ZONE}_spf IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\nsub 300 IN TXT \"v=spf1 mx include:_spf.example.com -all\"\nsel._domainkey IN TXT ( \"v=DKIM1; k=rsa; p={}\"\n \"{}\" )\nalias IN CNAME mail\n",
        &key.trim()[..200],
        &key.trim()[200..]
    );
    let ws = workspace(&[("example.com.zone", &text)]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let (_child, mut c) = spawn_binary();
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    open(&mut c, &uri, &text).await;
    c.diagnostics(&uri, Duration::from_secs(10), |_| true).await.unwrap();
    let hover = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    // SPF include: meaning, cost, the tree it pulls in.
    let h = c.request("textDocument/hover", hover(10, 30)).await;
    let shown = md(&h);
    assert!(
        shown.contains("`include:_spf.example.com`") && shown.contains("Costs **1** DNS lookup") && shown.contains("_spf.example.com"),
        "{shown}"
    );
    // DKIM key: type and size.
    let h = c.request("textDocument/hover", hover(11, 50)).await;
    assert!(md(&h).contains("RSA 2048 bits"), "{h}");
    // DMARC tag with its effective value.
    let h = c.request("textDocument/hover", hover(8, 27)).await;
    assert!(md(&h).contains("Effective value: `reject`"), "{h}");
    // TTL in words, RR type with its RFC.
    let h = c.request("textDocument/hover", hover(10, 5)).await;
    assert!(md(&h).contains("5m"), "{h}");
    let h = c.request("textDocument/hover", hover(5, 7)).await;
    assert!(md(&h).contains("RFC 1035"), "{h}");
    // Completion: RR types after an owner; SPF terms and include targets in a string.
    let more = format!("{text}new IN \nnew2 IN TXT \"v=spf1 include:_s");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": more}]})).await;
    let items = c.request("textDocument/completion", hover(14, 7)).await;
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"MX") && labels.contains(&"TXT"), "{labels:?}");
    let items = c.request("textDocument/completion", hover(15, 34)).await;
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"include:_spf.example.com"), "{labels:?}");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text}]})).await;
    // Inlay hints: lookups per term and per record, key size, TTL in words.
    let hints = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}}),
        )
        .await;
    let labels: Vec<&str> = hints.as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
    for want in ["2/10 lookups", "1 lookup", "RSA 2048", "5m"] {
        assert!(labels.contains(&want), "{want} missing from {labels:?}");
    }
    // Definition: the include target's record; the CNAME target.
    let d = c.request("textDocument/definition", hover(10, 35)).await;
    assert_eq!(d[0]["range"]["start"]["line"], 9, "{d}");
    let d = c.request("textDocument/definition", hover(13, 16)).await;
    assert_eq!(d[0]["range"]["start"]["line"], 6, "{d}");
    let mut at_mail = hover(6, 1);
    at_mail["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", at_mail).await;
    // The declaration and the CNAME pointing at it (the MX's `mail.example.com` lacks its dot: another name).
    let lines: Vec<&Value> = refs.as_array().unwrap().iter().map(|r| &r["range"]["start"]["line"]).collect();
    assert_eq!(lines, [6, 13], "{refs}");
    // Symbols: names with their RRsets.
    let syms = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}})).await;
    assert!(syms.as_array().unwrap().iter().any(|s| s["name"] == "@" && s["detail"].as_str().unwrap().contains("MX")), "{syms}");
    let folds = c.request("textDocument/foldingRange", json!({"textDocument": {"uri": uri}})).await;
    assert!(folds.as_array().unwrap().iter().any(|f| f["startLine"] == 11 && f["endLine"] == 12), "{folds}");
    let toks = c.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": uri}})).await;
    assert!(toks["data"].as_array().unwrap().len() > 50);
    // Formatting aligns and is idempotent.
    let edits =
        c.request("textDocument/formatting", json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}})).await;
    let formatted = apply(&text, edits.as_array().unwrap());
    assert!(
        formatted.contains("\nmail               IN A     192.0.2.25\n@                  IN TXT   \"v=spf1 mx -all\"\n"),
        "{formatted}"
    );
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": formatted}]})).await;
    let again =
        c.request("textDocument/formatting", json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}})).await;
    assert_eq!(again, json!([]), "formatting twice changes nothing");
}

/// Settings come from the client (`workspace/configuration`) over zonels.toml, and a
/// change to either is picked up without a restart.
#[tokio::test(flavor = "multi_thread")]
async fn settings_and_zonels_toml_are_reloaded_on_change() {
    let ws = workspace(&[]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let dot = "zone/missing-trailing-dot";
    let severity_of = |p: &Value| p["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == dot).map(|d| d["severity"].clone());
    let mut c = in_process();
    c.settings = json!({"rules": {dot: "off"}, "inlayHints": {"enabled": false}});
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    open(&mut c, &uri, ZONE).await;
    let d = c.diagnostics(&uri, Duration::from_secs(10), |_| true).await.unwrap();
    assert_eq!(severity_of(&d), None, "turned off by the client: {d}");
    assert!(codes(&d).contains(&"zone/mx-target-no-address".to_string()), "{d}");
    let hints = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}}),
        )
        .await;
    assert_eq!(hints, json!([]));
    // The client changes its settings: the finding comes back, as an error.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"zonels": {"rules": {dot: "error"}}}})).await;
    let d =
        c.diagnostics(&uri, Duration::from_secs(10), |p| severity_of(p).is_some()).await.expect("re-published after the settings change");
    assert_eq!(severity_of(&d), Some(json!(1)));
    // zonels.toml sets a level; the client's setting still wins over it.
    let toml = ws.path().join("zonels.toml");
    std::fs::write(&toml, format!("[rules]\n\"{dot}\" = \"info\"\n\"zone/mx-target-no-address\" = \"off\"\n")).unwrap();
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&toml), "type": 1}]})).await;
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"zonels": {}}})).await;
    let d = c.diagnostics(&uri, Duration::from_secs(10), |p| severity_of(p) == Some(json!(3))).await.expect("zonels.toml level applied");
    assert!(!codes(&d).contains(&"zone/mx-target-no-address".to_string()), "{d}");
    let hints = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}}),
        )
        .await;
    assert!(!hints.as_array().unwrap().is_empty(), "inlay hints are on by default");
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_diagnostics_when_the_client_asks() {
    let ws = workspace(&[]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let mut c = in_process();
    let init = c
        .initialize(
            &file_uri(ws.path()),
            false,
            json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}, "workspace": {"diagnostics": {"refreshSupport": true}}}),
        )
        .await;
    assert_eq!(init["capabilities"]["diagnosticProvider"]["identifier"], "zonels");
    open(&mut c, &uri, ZONE).await;
    let r = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}})).await;
    assert_eq!(r["kind"], "full");
    assert!(r["items"].as_array().unwrap().iter().any(|d| d["code"] == "zone/missing-trailing-dot"), "{r}");
    // A finding about two records points at the other one.
    let two = format!("{ZONE}@ IN TXT \"v=spf1 a -all\"\n");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": two}]})).await;
    let r = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}})).await;
    let multiple = r["items"].as_array().unwrap().iter().find(|d| d["code"] == "spf/multiple-records").unwrap_or_else(|| panic!("{r}"));
    let related = multiple["relatedInformation"].as_array().unwrap_or_else(|| panic!("{multiple}"));
    let lines: Vec<&Value> = std::iter::once(&multiple["range"]["start"]["line"])
        .chain(related.iter().map(|x| &x["location"]["range"]["start"]["line"]))
        .collect();
    assert!(lines.contains(&&json!(7)) && lines.contains(&&json!(9)), "{multiple}");
    assert_eq!(related[0]["location"]["uri"], uri.as_str());
}

/// The markdown of a hover, or a failure naming what came back instead.
fn md(h: &Value) -> String {
    h["contents"]["value"].as_str().unwrap_or_else(|| panic!("no hover text in {h}")).to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn survives_malformed_input_cancellation_and_unknown_documents() {
    let ws = workspace(&[]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let (mut child, mut c) = spawn_binary();
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    c.send_raw(b"{this is not json").await;
    // JSON that is not JSON-RPC (each once ended the protocol core's reading for good).
    c.send_raw(b"999").await;
    c.send_raw(br#"{"jsonrpc":"1.0","method":"initialized"}"#).await;
    c.send_raw(br#"{"jsonrpc":"2.0","id":{"x":1},"method":"shutdown"}"#).await;
    c.send_raw(br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"oops":1}}"#).await;
    let id = c.start_request("zonels/noSuchMethod", json!({})).await;
    assert_eq!(c.response(id).await["error"]["code"], -32601);
    // A document nobody opened: an empty answer, not a crash.
    let h = c
        .request("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere/x.zone"}, "position": {"line": 0, "character": 0}}))
        .await;
    assert!(h.is_null(), "{h}");
    // A document in another language is not ours, even when it mentions records.
    let notes = file_uri(&ws.path().join("notes.md"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": notes, "languageId": "markdown", "version": 1, "text": "www IN A 1.2.3\n"}}),
    )
    .await;
    let r = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": notes}})).await;
    assert_eq!(r["items"], json!([]), "{r}");
    // Edits past the end of the document are clamped.
    open(&mut c, &uri, ZONE).await;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 400, "character": 3}, "end": {"line": 500, "character": 0}}, "text": "www IN A 1.2.3\n"}]}),
    )
    .await;
    let d = c.diagnostics(&uri, Duration::from_secs(10), |p| p["version"] == 2).await.unwrap();
    assert!(codes(&d).contains(&"zone/bad-rdata".to_string()), "{d}");
    // Cancelled requests get an answer (cancelled or not), and the server keeps serving.
    let ids: Vec<i64> = {
        let mut v = Vec::new();
        for _ in 0..10 {
            v.push(
                c.start_request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 5}})).await,
            );
        }
        v
    };
    for id in &ids {
        c.notify("$/cancelRequest", json!({"id": id})).await;
    }
    for id in ids {
        let r = c.response(id).await;
        assert!(r.get("result").is_some() || r["error"]["code"] == -32800, "{r}");
    }
    c.request("shutdown", Value::Null).await;
    c.notify("exit", Value::Null).await;
    let status = tokio::time::timeout(Duration::from_secs(5), child.wait()).await.expect("exits after `exit`").unwrap();
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_dns_server_does_not_delay_local_diagnostics() {
    let server = DnsServer::start(Arc::new(|name: &str, _t| {
        if name == "_spf.provider.example" {
            Reply {
                delay: Duration::from_millis(1500),
                ..Reply::records(vec![dns_server::txt(name, &[b"v=spf1 ip4:198.51.100.0/24 -all"])])
            }
        } else {
            Reply::nxdomain()
        }
    }));
    let text = format!("{ZONE}www IN A 1.2.3\nshop IN TXT \"v=spf1 include:_spf.provider.example -all\"\n");
    let ws = workspace(&[("example.com.zone", &text)]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let (_child, mut c) = spawn_binary();
    c.settings = json!({"resolver": server.address()});
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    let start = Instant::now();
    open(&mut c, &uri, &text).await;
    let first = c.diagnostics(&uri, Duration::from_secs(10), |_| true).await.unwrap();
    assert!(start.elapsed() < Duration::from_millis(1000), "local findings took {:?}", start.elapsed());
    let cs = codes(&first);
    assert!(cs.contains(&"zone/bad-rdata".to_string()) && cs.contains(&"spf/unresolved".to_string()), "{cs:?}");
    // Then the answer arrives and the lookup-dependent findings are updated.
    let later = c
        .diagnostics(&uri, Duration::from_secs(10), |p| !codes(p).contains(&"spf/unresolved".to_string()))
        .await
        .expect("updated after DNS");
    assert!(start.elapsed() >= Duration::from_millis(1400));
    assert!(codes(&later).contains(&"zone/bad-rdata".to_string()));
    assert!(server.queries().iter().any(|(n, _, _)| n == "_spf.provider.example"));
}

#[tokio::test(flavor = "multi_thread")]
async fn host_files_get_findings_fixes_and_hover_in_their_own_syntax() {
    let yaml = "---\n'':\n  - type: MX\n    value:\n      exchange: mx.example.com.\n      preference: 10\n  - type: TXT\n    value: v=spf1 mx ptr -all\n_dmarc:\n  type: TXT\n  value: v=DMARC1; p=reject\nmx:\n  type: A\n  value: 192.0.2.25\n";
    let js = "var REG = NewRegistrar(\"none\");\nD(\"example.org\", REG,\n  MX(\"@\", 10, \"mx.example.org.\"),\n  A(\"mx\", \"192.0.2.26\"),\n  TXT(\"@\", \"v=spf1 mx +all\"),\nEND);\n";
    // Unrelated YAML and JavaScript in the same workspace: nothing for them.
    let other_yaml = "name: build\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n";
    let other_js = "module.exports = { type: 'TXT', answer: 42 };\n";
    let ws = workspace(&[]);
    std::fs::create_dir(ws.path().join("config")).unwrap();
    let yaml_uri = file_uri(&ws.path().join("config/example.com.yaml"));
    let js_uri = file_uri(&ws.path().join("dnsconfig.js"));
    let other_yaml_uri = file_uri(&ws.path().join("ci.yaml"));
    let other_js_uri = file_uri(&ws.path().join("index.js"));
    let mut c = in_process();
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    for (uri, lang, text) in [
        (&yaml_uri, "yaml", yaml),
        (&js_uri, "javascript", js),
        (&other_yaml_uri, "yaml", other_yaml),
        (&other_js_uri, "javascript", other_js),
    ] {
        c.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": lang, "version": 1, "text": text}})).await;
    }

    // The octoDNS file: the unescaped semicolons and `ptr`, on the right characters.
    let d = c.diagnostics(&yaml_uri, Duration::from_secs(10), |p| !p["diagnostics"].as_array().unwrap().is_empty()).await.unwrap();
    let all = d["diagnostics"].as_array().unwrap();
    let ptr = all.iter().find(|x| x["code"] == "spf/ptr-mechanism").unwrap_or_else(|| panic!("{d}"));
    assert_eq!(ptr["range"], json!({"start": {"line": 7, "character": 21}, "end": {"line": 7, "character": 24}}));
    let semi = all.iter().find(|x| x["code"] == "host/octodns-unescaped-semicolon").unwrap_or_else(|| panic!("{d}")).clone();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": yaml_uri}, "range": semi["range"], "context": {"diagnostics": [semi]}}),
        )
        .await;
    let actions = actions.as_array().unwrap();
    let fix = actions.iter().find(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().starts_with("Escape")).unwrap();
    let fixed = apply(yaml, fix["edit"]["changes"][&yaml_uri].as_array().unwrap());
    assert!(fixed.contains("value: v=DMARC1\\; p=reject\n"), "{fixed}");
    // Suppression uses YAML's comment syntax.
    let sup = actions.iter().find(|a| a["title"] == "Suppress `host/octodns-unescaped-semicolon` here").unwrap();
    let suppressed = apply(yaml, sup["edit"]["changes"][&yaml_uri].as_array().unwrap());
    assert!(suppressed.contains("# zonels-ignore: host/octodns-unescaped-semicolon\n"), "{suppressed}");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": yaml_uri, "version": 2}, "contentChanges": [{"text": fixed}]})).await;
    let d = c.diagnostics(&yaml_uri, Duration::from_secs(10), |p| p["version"] == 2).await.unwrap();
    assert!(!codes(&d).contains(&"host/octodns-unescaped-semicolon".to_string()), "{d}");
    // Hover on an SPF term explains it.
    let h = c.request("textDocument/hover", json!({"textDocument": {"uri": yaml_uri}, "position": {"line": 7, "character": 17}})).await;
    assert!(h["contents"]["value"].as_str().unwrap_or("").contains("mx"), "{h}");
    // No zone-file formatting, completion or highlighting is forced onto YAML.
    let f = c
        .request("textDocument/formatting", json!({"textDocument": {"uri": yaml_uri}, "options": {"tabSize": 2, "insertSpaces": true}}))
        .await;
    assert!(f.is_null() || f.as_array().is_some_and(|a| a.is_empty()), "{f}");
    let comp =
        c.request("textDocument/completion", json!({"textDocument": {"uri": yaml_uri}, "position": {"line": 1, "character": 0}})).await;
    assert!(comp.is_null() || comp.as_array().is_some_and(|a| a.is_empty()), "{comp}");

    // The DNSControl file.
    let d = c.diagnostics(&js_uri, Duration::from_secs(10), |p| codes(p).contains(&"spf/permissive-all".to_string())).await.unwrap();
    let all_fix = d["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "spf/permissive-all").unwrap().clone();
    assert_eq!(all_fix["range"]["start"], json!({"line": 4, "character": 22}));
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": js_uri}, "range": all_fix["range"], "context": {"diagnostics": [all_fix]}}),
        )
        .await;
    let sup = actions.as_array().unwrap().iter().find(|a| a["title"] == "Suppress `spf/permissive-all` here").unwrap();
    let suppressed = apply(js, sup["edit"]["changes"][&js_uri].as_array().unwrap());
    assert!(suppressed.contains("// zonels-ignore: spf/permissive-all\n"), "{suppressed}");

    // The unrelated files: an empty diagnostics list at most.
    for uri in [&other_yaml_uri, &other_js_uri] {
        if let Some(d) = c.diagnostics(uri, Duration::from_millis(300), |_| true).await {
            assert!(d["diagnostics"].as_array().unwrap().is_empty(), "{d}");
        }
    }
}

/// Peak resident memory of a process, in MiB (Linux; 0 elsewhere).
fn peak_rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

/// The latest published findings per document, as (uri, code) pairs.
fn published(notes: &[Value]) -> std::collections::BTreeSet<(String, String)> {
    let mut latest = std::collections::BTreeMap::new();
    for n in notes.iter().filter(|n| n["method"] == "textDocument/publishDiagnostics") {
        latest.insert(n["params"]["uri"].as_str().unwrap_or("").to_string(), codes(&n["params"]));
    }
    latest.into_iter().flat_map(|(u, cs)| cs.into_iter().map(move |c| (u.clone(), c))).collect()
}

/// The hostile repository of tests/hostile.rs, opened as a workspace: every case is
/// reported in its file, and the server keeps answering, in bounded memory.
#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_repository_is_served() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    common::hostile::repository(tmp.path());
    let root = tmp.path().canonicalize().unwrap();
    let (child, mut c) = spawn_binary();
    c.initialize(&file_uri(&root), false, json!({})).await;
    let uri = file_uri(&root.join("mine.example.org.zone"));
    let text = ZONE.replace("example.com", "mine.example.org") + "www IN A 1.2.3\n";
    open(&mut c, &uri, &text).await;
    let want: Vec<(String, String)> =
        common::hostile::expected().into_iter().map(|(f, code)| (file_uri(&root.join(f)), code.to_string())).collect();
    let all_seen = c
        .wait_until(Duration::from_secs(120), |notes| {
            let got = published(notes);
            want.iter().all(|w| got.contains(w)) && got.contains(&(uri.clone(), "zone/bad-rdata".to_string()))
        })
        .await;
    let got = published(&c.notifications);
    let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
    assert!(all_seen, "not published: {missing:#?}");
    // Still answering at once.
    let start = Instant::now();
    let h = c.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 12}})).await;
    assert!(start.elapsed() < Duration::from_secs(2), "hover took {:?}", start.elapsed());
    assert!(!h.is_null());
    assert!(!c.notifications.iter().any(|n| n.to_string().contains("root:x:0:0")), "contents of /etc/passwd leaked");
    let peak = peak_rss_mib(child.id().unwrap());
    assert!(peak < 1024, "the server peaked at {peak} MiB");
}

/// A 100 MB didOpen (over the 64 MB file limit), a 20 MB header line with no message:
/// one finding, one dropped line, and the other documents are served as before.
#[tokio::test(flavor = "multi_thread")]
async fn huge_messages_are_bounded() {
    let ws = workspace(&[]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let big = file_uri(&ws.path().join("big.example.com.zone"));
    let (child, mut c) = spawn_binary();
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    let mut huge = String::with_capacity(100 << 20);
    while huge.len() < 100 << 20 {
        huge.push_str("www IN A 192.0.2.1\n");
    }
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": big, "languageId": "dns-zone", "version": 1, "text": huge}})).await;
    drop(huge);
    c.send_bytes(&vec![b'x'; 20 << 20]).await;
    c.send_bytes(b"\r\n").await;
    open(&mut c, &uri, &format!("{ZONE}www IN A 1.2.3\n")).await;
    let d = c.diagnostics(&uri, Duration::from_secs(30), |p| codes(p).contains(&"zone/bad-rdata".to_string())).await;
    assert!(d.is_some(), "no findings for the small document");
    let b = c.diagnostics(&big, Duration::from_secs(30), |_| true).await.expect("a finding for the big document");
    let msgs: Vec<&str> = b["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("over the 67108864-byte limit") && msgs[0].contains("limits.max_file_size"), "{msgs:?}");
    let peak = peak_rss_mib(child.id().unwrap());
    assert!(peak < 1024, "the server peaked at {peak} MiB");
}

/// A client that sends and never reads: the server's output blocks, its memory does
/// not grow without bound, and every answer arrives once the client reads again.
#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_never_reads() {
    use tokio::io::AsyncWriteExt;
    let ws = workspace(&[("example.com.zone", ZONE)]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let mut child = lsp_client::spawn_server(&common::zonels_bin());
    let pid = child.id().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let frame = |v: Value| {
        let body = v.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    };
    // Each answer is big (the semantic tokens of a 4 000-record zone): unbounded
    // buffering of the unread answers would take far more than the bound below.
    const N: i64 = 700;
    let mut c = LspClient::new(stdout, tokio::io::sink());
    let init = json!({"capabilities": {}, "workspaceFolders": [{"uri": file_uri(ws.path()), "name": "ws"}]});
    stdin.write_all(&frame(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": init}))).await.unwrap();
    c.response(0).await;
    let writer = tokio::spawn(async move {
        stdin.write_all(&frame(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}))).await.unwrap();
        let text: String = ZONE.to_string() + &(0..4000).map(|i| format!("host-{i} IN A 192.0.2.{}\n", i % 250)).collect::<String>();
        let open = json!({"textDocument": {"uri": uri, "languageId": "dns-zone", "version": 1, "text": text}});
        stdin.write_all(&frame(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": open}))).await.unwrap();
        for id in 1..=N {
            let p = json!({"textDocument": {"uri": uri}});
            stdin
                .write_all(&frame(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/semanticTokens/full", "params": p})))
                .await
                .unwrap();
        }
        (stdin, ws)
    });
    tokio::time::sleep(Duration::from_secs(3)).await;
    // Nothing read for 3 s: the requests pile up in pipes, not in the server.
    let peak = peak_rss_mib(pid);
    assert!(peak < 80, "the server grew to {peak} MiB while its client was not reading");
    // Answers may come in any order: count them as they arrive.
    let answered = std::cell::Cell::new(0);
    let all = c
        .wait_until(Duration::from_secs(60), |msgs| {
            if msgs.last().is_some_and(|m| m["id"].as_i64().is_some_and(|i| i >= 1) && m.get("result").is_some()) {
                answered.set(answered.get() + 1);
            }
            answered.get() == N
        })
        .await;
    assert!(all, "{} of {N} answers came", answered.get());
    let bytes: usize = c.notifications.iter().map(|m| m.to_string().len()).sum();
    eprintln!("{N} answers, {} MiB in all; the server peaked at {peak} MiB", bytes >> 20);
    assert!(bytes >> 20 >= 100, "the answers ({} MiB) were too small to tell", bytes >> 20);
    let (_stdin, _ws) = writer.await.unwrap();
}

/// A client that goes away (closes the server's input) while the server waits for its
/// answer to a request: the server still exits, promptly.
#[tokio::test(flavor = "multi_thread")]
async fn exits_when_the_client_goes_away_mid_request() {
    let ws = workspace(&[("example.com.zone", ZONE)]);
    let (mut child, mut c) = spawn_binary();
    // A client that says it answers `workspace/configuration`, then never does.
    let caps = json!({"workspace": {"configuration": true}});
    let id = c
        .start_request("initialize", json!({"capabilities": caps, "workspaceFolders": [{"uri": file_uri(ws.path()), "name": "ws"}]}))
        .await;
    c.response(id).await;
    c.notify("initialized", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(c);
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
    assert!(status.is_ok(), "the server kept running after its input closed");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_command_shows_drift_in_the_open_file() {
    let published = common::fixtures().join("audit/published");
    let ns1 = common::auth_server::AuthServer::start("127.0.0.2", &published.join("ns1"));
    let ns2 = common::auth_server::AuthServer::start("127.0.0.3", &published.join("ns2"));
    let zone = std::fs::read_to_string(common::fixtures().join("audit/repo/example.com.zone")).unwrap();
    let config = format!("[audit]\nauthoritative = [\"ns1.example.com={}\", \"ns2.example.com={}\"]\n", ns1.addr, ns2.addr);
    let ws = workspace(&[("example.com.zone", &zone), ("zonels.toml", &config)]);
    let uri = file_uri(&ws.path().join("example.com.zone"));
    let (_child, mut c) = spawn_binary();
    c.initialize(&file_uri(ws.path()), false, json!({})).await;
    open(&mut c, &uri, &zone).await;
    // The zone is clean as a file: its analysis publishes nothing, and no drift.
    if let Some(first) = c.diagnostics(&uri, Duration::from_secs(3), |_| true).await {
        assert!(!codes(&first).iter().any(|c| c.starts_with("drift/")), "{first}");
    }
    // Opt-in: nothing is asked of the name servers until the command runs.
    assert!(ns1.queries().is_empty() && ns2.queries().is_empty());
    let r = c.request("workspace/executeCommand", json!({"command": "zonels.audit", "arguments": [uri]})).await;
    let n = r["findings"].as_u64().unwrap();
    assert!(n >= 6, "{r}");
    let d = c.diagnostics(&uri, Duration::from_secs(20), |p| codes(p).iter().any(|c| c.starts_with("drift/"))).await.unwrap();
    let got = codes(&d);
    for code in ["drift/unexpected", "drift/changed", "drift/missing", "drift/ttl", "drift/nameservers-disagree", "spf/multiple-records"] {
        assert!(got.contains(&code.to_string()), "{code} missing: {got:?}");
    }
    assert_eq!(got.len(), n as usize, "{got:?}");
    assert!(!ns1.queries().is_empty() && !ns2.queries().is_empty());
    // An edit clears them: they point into the text as it was.
    let edited = format!("{zone}www IN A 192.0.2.80\n");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]})).await;
    let d = c.diagnostics(&uri, Duration::from_secs(20), |p| p["version"] == 2).await.unwrap();
    assert!(!codes(&d).iter().any(|c| c.starts_with("drift/")), "{d}");
    // A document outside the workspace is an error, not a hang.
    let bad =
        c.start_request("workspace/executeCommand", json!({"command": "zonels.audit", "arguments": ["file:///nowhere/x.zone"]})).await;
    assert!(c.response(bad).await.get("error").is_some());
}
