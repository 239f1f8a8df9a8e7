//! A guard in front of the protocol codec. tower-lsp-server stops reading at the first
//! body that is not JSON (its framed reader ends after a decode error), which would let
//! one malformed message kill the server. Frames are checked here first: bodies that
//! are not JSON-RPC messages, headers without a length, and messages over the size limit are dropped
//! (and said so on stderr); everything else is passed on unchanged.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// Largest message accepted (a `didOpen` of a file this big is dropped, not buffered).
pub const MAX_MESSAGE: usize = 128 * 1024 * 1024;

pub async fn sanitize<R, W>(input: R, mut output: W, max: usize)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(input);
    loop {
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = Vec::new();
            match read_line_bounded(&mut reader, &mut line, MAX_HEADER_LINE).await {
                Ok(0) | Err(_) => return,
                Ok(n) if n > MAX_HEADER_LINE => {
                    // Not a header line (and not buffered): resynchronise at the next one.
                    eprintln!("zonels: dropped a {n}-byte line where a message header was expected");
                    continue;
                }
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end();
            if text.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some((k, v)) = text.split_once(':')
                && k.trim().eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().ok();
            }
        }
        let Some(n) = length else {
            eprintln!("zonels: dropped a message without a valid Content-Length header");
            continue;
        };
        if n > max {
            eprintln!("zonels: dropped a {n}-byte message (the limit is {max} bytes)");
            let mut left = n as u64;
            while left > 0 {
                let mut chunk = vec![0u8; left.min(1 << 20) as usize];
                match reader.read_exact(&mut chunk).await {
                    Ok(_) => left -= chunk.len() as u64,
                    Err(_) => return,
                }
            }
            continue;
        }
        let mut body = vec![0u8; n];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
            eprintln!("zonels: dropped a message that is not JSON");
            continue;
        }
        if !is_message(&body) {
            eprintln!("zonels: dropped a JSON body that is not a JSON-RPC 2.0 request, notification or response");
            continue;
        }
        let header = format!("Content-Length: {n}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err() || output.write_all(&body).await.is_err() || output.flush().await.is_err() {
            return;
        }
    }
}

/// Whether the protocol core can decode `body`: any other JSON (a number, an object
/// without `"jsonrpc": "2.0"`, an id that is an object) would end its reading for good.
fn is_message(body: &[u8]) -> bool {
    use tower_lsp_server::jsonrpc::{Request, Response};
    serde_json::from_slice::<Response>(body).is_ok() || serde_json::from_slice::<Request>(body).is_ok()
}

/// Longest header line kept; longer ones are skipped without being buffered.
const MAX_HEADER_LINE: usize = 8192;

/// Reads one line (through `\n`) into `line`, keeping at most `max` bytes of it: a peer
/// that never sends a newline costs no memory. Returns the line's whole length.
async fn read_line_bounded<R: AsyncBufReadExt + Unpin>(reader: &mut R, line: &mut Vec<u8>, max: usize) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(total);
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let keep = max.saturating_sub(line.len()).min(chunk.len());
        line.extend_from_slice(&chunk[..keep]);
        let n = chunk.len();
        total += n;
        reader.consume(n);
        if done {
            return Ok(total);
        }
    }
}

/// One message for the client, framed.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The way out to the client. The protocol core writes its messages into a pipe; this
/// side serialises the bulky ones (diagnostics) straight from their types, skipping
/// the core's detour through a JSON tree. Both kinds go through one queue, so they
/// reach the client in the order they were sent.
#[derive(Clone)]
pub struct Outbox {
    queue: tokio::sync::mpsc::Sender<Option<Vec<u8>>>,
}

impl Outbox {
    /// Sends a notification; `false` if the connection is gone.
    pub async fn notify<P: serde::Serialize>(&self, method: &str, params: &P) -> bool {
        #[derive(serde::Serialize)]
        struct Notification<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: &'a P,
        }
        let Ok(body) = serde_json::to_vec(&Notification { jsonrpc: "2.0", method, params }) else { return false };
        self.queue.send(Some(frame(&body))).await.is_ok()
    }
}

/// Starts the way out: returns the pipe end the protocol core writes to and the
/// [`Outbox`]; ends (after writing everything queued) when the core closes its end.
pub fn outbound<O>(output: O) -> (tokio::io::DuplexStream, Outbox)
where
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (core_end, mut from_core) = tokio::io::duplex(1 << 16);
    let (queue, mut rx) = tokio::sync::mpsc::channel::<Option<Vec<u8>>>(64);
    let core_queue = queue.clone();
    tokio::spawn(async move {
        // The core's frames, whole, into the queue; `None` when it is done.
        let mut reader = BufReader::new(&mut from_core);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line).await {
                    Ok(0) | Err(_) => {
                        let _ = core_queue.send(None).await;
                        return;
                    }
                    Ok(_) => {}
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':')
                    && k.trim().eq_ignore_ascii_case("content-length")
                {
                    length = v.trim().parse::<usize>().ok();
                }
            }
            let mut body = vec![0u8; length.unwrap_or(0)];
            if reader.read_exact(&mut body).await.is_err() || core_queue.send(Some(frame(&body))).await.is_err() {
                let _ = core_queue.send(None).await;
                return;
            }
        }
    });
    tokio::spawn(async move {
        let mut output = output;
        // Frames already queued go out in one write: publishing the findings of
        // thousands of files is not thousands of system calls.
        let mut batch = Vec::new();
        'out: while let Some(Some(f)) = rx.recv().await {
            batch.clear();
            batch.extend_from_slice(&f);
            let mut done = false;
            while batch.len() < 1 << 20 {
                match rx.try_recv() {
                    Ok(Some(f)) => batch.extend_from_slice(&f),
                    Ok(None) => {
                        done = true;
                        break;
                    }
                    Err(_) => break,
                }
            }
            if output.write_all(&batch).await.is_err() || output.flush().await.is_err() || done {
                break 'out;
            }
        }
        let _ = output.flush().await;
    });
    (core_end, Outbox { queue })
}
