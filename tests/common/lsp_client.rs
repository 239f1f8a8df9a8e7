//! A small LSP client for the tests: JSON-RPC over any byte streams, answering the
//! server's own requests (configuration, registration) the way editors do, and keeping
//! its notifications.
#![allow(dead_code)]

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

pub struct LspClient<R, W> {
    reader: BufReader<R>,
    writer: W,
    next_id: i64,
    pub notifications: Vec<Value>,
    /// What to answer `workspace/configuration` with.
    pub settings: Value,
}

impl<R: AsyncRead + Unpin, W: AsyncWrite + Unpin> LspClient<R, W> {
    pub fn new(reader: R, writer: W) -> Self {
        LspClient { reader: BufReader::new(reader), writer, next_id: 1, notifications: Vec::new(), settings: Value::Null }
    }

    pub async fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.writer.write_all(header.as_bytes()).await.unwrap();
        self.writer.write_all(body).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    /// Bytes as they are, no framing.
    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    async fn send(&mut self, v: &Value) {
        self.send_raw(v.to_string().as_bytes()).await;
    }

    async fn read(&mut self) -> Option<Value> {
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                len = v.trim().parse().ok()?;
            }
        }
        let mut buf = vec![0; len];
        self.reader.read_exact(&mut buf).await.ok()?;
        serde_json::from_slice(&buf).ok()
    }

    /// Reads one message, answering server requests; returns it if it is not one.
    async fn next(&mut self, timeout: Duration) -> Option<Value> {
        loop {
            // Only the wait for a message times out: once one starts it is read whole, so a
            // timeout never leaves half a message in the stream (a pause spent reading, as
            // an editor does, would otherwise cut one).
            let started = tokio::time::timeout(timeout, self.reader.fill_buf()).await;
            if !matches!(started, Ok(Ok(b)) if !b.is_empty()) {
                return None;
            }
            let msg = tokio::time::timeout(Duration::from_secs(60), self.read()).await.ok()??;
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let result = match msg["method"].as_str() {
                    Some("workspace/configuration") => json!([self.settings.clone()]),
                    _ => Value::Null,
                };
                let reply = json!({"jsonrpc": "2.0", "id": msg["id"].clone(), "result": result});
                self.send(&reply).await;
                continue;
            }
            return Some(msg);
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let v = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send(&v).await;
    }

    /// Sends a request without waiting; returns its id.
    pub async fn start_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let v = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send(&v).await;
        id
    }

    /// Waits for the response to `id`; notifications on the way are kept.
    pub async fn response(&mut self, id: i64) -> Value {
        loop {
            let msg = self.next(Duration::from_secs(20)).await.unwrap_or_else(|| panic!("no response to request {id}"));
            if msg.get("id").and_then(Value::as_i64) == Some(id) {
                return msg;
            }
            self.notifications.push(msg);
        }
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.start_request(method, params).await;
        let r = self.response(id).await;
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// The next `publishDiagnostics` for `uri` that satisfies `pred`.
    pub async fn diagnostics(&mut self, uri: &str, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + timeout;
        if let Some(i) = self.notifications.iter().position(|n| is_diag_for(n, uri) && pred(&n["params"])) {
            return Some(self.notifications.remove(i)["params"].clone());
        }
        loop {
            let left = deadline.checked_duration_since(tokio::time::Instant::now())?;
            let mut msg = self.next(left).await?;
            if is_diag_for(&msg, uri) && pred(&msg["params"]) {
                return Some(msg["params"].take());
            }
            self.notifications.push(msg);
        }
    }

    /// Reads messages (keeping notifications) until `done` holds for the notifications
    /// received so far; `false` at the timeout.
    pub async fn wait_until(&mut self, timeout: Duration, done: impl Fn(&[Value]) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        while !done(&self.notifications) {
            let Some(left) = deadline.checked_duration_since(tokio::time::Instant::now()) else { return false };
            match self.next(left).await {
                Some(msg) => self.notifications.push(msg),
                None => return false,
            }
        }
        true
    }

    pub async fn initialize(&mut self, root: &str, utf8: bool, extra_caps: Value) -> Value {
        let mut caps = json!({
            "general": {"positionEncodings": if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) }},
            "workspace": {"configuration": true},
        });
        if let (Some(c), Some(e)) = (caps.as_object_mut(), extra_caps.as_object()) {
            for (k, v) in e {
                c.insert(k.clone(), v.clone());
            }
        }
        let r = self.request("initialize", json!({"capabilities": caps, "workspaceFolders": [{"uri": root, "name": "ws"}]})).await;
        self.notify("initialized", json!({})).await;
        r
    }
}

fn is_diag_for(msg: &Value, uri: &str) -> bool {
    msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == uri
}

pub fn codes(diags: &Value) -> Vec<String> {
    diags["diagnostics"].as_array().into_iter().flatten().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

/// Starts `BIN lsp --stdio` with its input and output piped (errors discarded), killed
/// when dropped; it never uses the system resolver.
pub fn spawn_server(bin: &std::path::Path) -> tokio::process::Child {
    tokio::process::Command::new(bin)
        .args(["lsp", "--stdio"])
        .env("ZONELS_NO_SYSTEM_RESOLVER", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("zonels lsp starts")
}

/// The server of [`spawn_server`] and a client on its stdio.
pub fn connect(bin: &std::path::Path) -> (tokio::process::Child, LspClient<tokio::process::ChildStdout, tokio::process::ChildStdin>) {
    let mut child = spawn_server(bin);
    let client = LspClient::new(child.stdout.take().unwrap(), child.stdin.take().unwrap());
    (child, client)
}

pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}
