//! The language server, in process, fed a session built from arbitrary bytes: after a
//! real `initialize` and `didOpen`, the input is cut at 0xFF into messages, each
//! chosen by its first byte: a raw body, raw unframed bytes, whole or ranged text
//! changes, and the requests an editor makes at positions taken from the input. The
//! session ends with `shutdown`, which must be answered in time (a hang is a crash).
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const URI: &str = "file:///fuzz/example.com.zone";
const TEXT: &str = "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n  IN MX 10 mail\nns1 IN A 192.0.2.53\nmail IN A 192.0.2.25\n@ IN TXT \"v=spf1 mx -all\"\n_dmarc IN TXT \"v=DMARC1; p=reject\"\nsel._domainkey IN TXT \"v=DKIM1; k=rsa; p=MIGf\"\n";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap())
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn msg(v: Value) -> Vec<u8> {
    frame(v.to_string().as_bytes())
}

fn position(b: &[u8]) -> Value {
    let at = |i: usize| u32::from(b.get(i).copied().unwrap_or(0));
    json!({"line": at(0) % 16, "character": at(1) % 64})
}

fn message(chunk: &[u8], version: &mut i32, id: &mut i64) -> Vec<u8> {
    let Some((&kind, rest)) = chunk.split_first() else { return Vec::new() };
    let doc = json!({"uri": URI});
    let mut request = |method: &str, params: Value| {
        *id += 1;
        msg(json!({"jsonrpc": "2.0", "id": *id, "method": method, "params": params}))
    };
    match kind % 12 {
        0 => frame(rest),
        1 => rest.to_vec(),
        2 => {
            *version += 1;
            let text = String::from_utf8_lossy(rest);
            msg(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": URI, "version": *version}, "contentChanges": [{"text": text}]}}))
        }
        3 => {
            // A ranged change; the version may go backwards (stale) or jump.
            *version += i32::from(rest.first().copied().unwrap_or(1) as i8);
            let text = String::from_utf8_lossy(rest.get(4..).unwrap_or_default());
            let range = json!({"start": position(rest), "end": position(rest.get(2..).unwrap_or_default())});
            msg(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": URI, "version": *version}, "contentChanges": [{"range": range, "text": text}]}}))
        }
        4 => request("textDocument/hover", json!({"textDocument": doc, "position": position(rest)})),
        5 => request("textDocument/completion", json!({"textDocument": doc, "position": position(rest)})),
        6 => request(
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": {"start": position(rest), "end": position(rest.get(2..).unwrap_or_default())}, "context": {"diagnostics": []}}),
        ),
        7 => request("textDocument/formatting", json!({"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": true}})),
        8 => request("textDocument/semanticTokens/full", json!({"textDocument": doc})),
        9 => request("textDocument/documentSymbol", json!({"textDocument": doc})),
        10 => request(
            "textDocument/inlayHint",
            json!({"textDocument": doc, "range": {"start": {"line": 0, "character": 0}, "end": position(rest)}}),
        ),
        _ => request("textDocument/diagnostic", json!({"textDocument": doc})),
    }
}

fuzz_target!(|data: &[u8]| {
    runtime().block_on(async {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (sr, sw) = tokio::io::split(server);
        let served = tokio::spawn(zonels::lsp::serve(sr, sw));
        let (mut cr, mut cw) = tokio::io::split(client);
        // Read everything the server says; report when the shutdown answer arrives.
        let reader = tokio::spawn(async move {
            let mut seen = Vec::new();
            let mut buf = vec![0u8; 1 << 16];
            loop {
                match cr.read(&mut buf).await {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
                if memchr_find(&seen, b"\"id\":999999999") {
                    return true;
                }
                // Keep only the tail that could hold a split marker.
                if seen.len() > 64 {
                    seen.drain(..seen.len() - 64);
                }
            }
        });
        let mut out = msg(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}, "rootUri": null}}));
        out.extend(msg(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}})));
        out.extend(msg(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": URI, "languageId": "dns-zone", "version": 1, "text": TEXT}}})));
        let (mut version, mut id) = (1, 0);
        let mut framed = true;
        for chunk in data.split(|&b| b == 0xff) {
            framed &= chunk.first().is_none_or(|k| k % 12 != 1);
            out.extend(message(chunk, &mut version, &mut id));
        }
        // Unframed bytes may have left the stream mid-header: a blank line ends it.
        out.extend_from_slice(b"\r\n\r\n");
        out.extend(msg(json!({"jsonrpc": "2.0", "id": 999_999_999, "method": "shutdown", "params": null})));
        let writer = tokio::spawn(async move {
            let _ = cw.write_all(&out).await;
            let _ = cw.shutdown().await;
        });
        if framed {
            // Every message well framed: the shutdown is answered.
            let answered = tokio::time::timeout(Duration::from_secs(20), reader).await;
            assert!(matches!(answered, Ok(Ok(true))), "no answer to shutdown");
        } else {
            // Unframed bytes can declare any length and swallow what follows (the
            // stream is then the client's to fix): the server must still end at EOF.
            let ended = tokio::time::timeout(Duration::from_secs(20), served).await;
            assert!(ended.is_ok(), "the server did not end after its input closed");
            return;
        }
        writer.abort();
        served.abort();
    });
});

fn memchr_find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
