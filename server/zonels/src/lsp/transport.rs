//! A guard in front of the protocol codec. tower-lsp-server stops reading at the first
//! body that is not JSON (its framed reader ends after a decode error), which would let
//! one malformed message kill the server. Frames are checked here first: bodies that
//! are not JSON, headers without a length, and messages over the size limit are dropped
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
            match reader.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line.len() > 8192 {
                // Not a header line: resynchronise at the next one.
                continue;
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
            if let Some((k, v)) = text.split_once(':') {
                if k.trim().eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().ok();
                }
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
        let header = format!("Content-Length: {n}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err() || output.write_all(&body).await.is_err() || output.flush().await.is_err() {
            return;
        }
    }
}
