//! Character-strings (RFC 1035 §5.1): quoted or bare, with `\X` and `\DDD` escapes.

use super::lexer::{Token, TokenKind};
use crate::mapped::MappedText;
use crate::text::TextRange;

/// A bad escape inside a character-string, with its source range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscapeError {
    pub range: TextRange,
    pub message: String,
}

/// Decodes one character-string token, appending to `out` as a new piece.
pub fn decode_into(src: &str, tok: &Token, out: &mut MappedText) -> Result<(), EscapeError> {
    out.begin_piece(tok.range);
    let (start, end) = content_bounds(tok);
    let bytes = src.as_bytes();
    if !tok.escaped {
        out.push_verbatim(&bytes[start as usize..end as usize], start);
        return Ok(());
    }
    let mut i = start as usize;
    let end = end as usize;
    let mut run = i;
    while i < end {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_verbatim(&bytes[run..i], run as u32);
        let (byte, len) = decode_escape(bytes, i, end)?;
        out.push_escaped(byte, TextRange::from_usize(i, i + len));
        i += len;
        run = i;
    }
    out.push_verbatim(&bytes[run..end], run as u32);
    Ok(())
}

/// Decodes one character-string token to bytes (no map), for validation and comparison.
pub fn decode(src: &str, tok: &Token, out: &mut Vec<u8>) -> Result<(), EscapeError> {
    let (start, end) = content_bounds(tok);
    let bytes = src.as_bytes();
    if !tok.escaped {
        out.extend_from_slice(&bytes[start as usize..end as usize]);
        return Ok(());
    }
    let mut i = start as usize;
    let end = end as usize;
    while i < end {
        if bytes[i] == b'\\' {
            let (b, len) = decode_escape(bytes, i, end)?;
            out.push(b);
            i += len;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(())
}

/// Length in octets of the decoded string, validating escapes.
pub fn decoded_len(src: &str, tok: &Token) -> Result<usize, EscapeError> {
    let (start, end) = content_bounds(tok);
    if !tok.escaped {
        return Ok((end - start) as usize);
    }
    let bytes = src.as_bytes();
    let mut i = start as usize;
    let mut n = 0;
    while i < end as usize {
        if bytes[i] == b'\\' {
            i += decode_escape(bytes, i, end as usize)?.1;
        } else {
            i += 1;
        }
        n += 1;
    }
    Ok(n)
}

/// The content range of a string token: quotes removed from a quoted string.
pub fn content_bounds(tok: &Token) -> (u32, u32) {
    match tok.kind {
        TokenKind::Quoted => {
            let start = tok.range.start + 1;
            let end = if tok.unterminated { tok.range.end } else { tok.range.end - 1 };
            (start, end.max(start))
        }
        _ => (tok.range.start, tok.range.end),
    }
}

fn decode_escape(bytes: &[u8], i: usize, end: usize) -> Result<(u8, usize), EscapeError> {
    let Some(&next) = bytes.get(i + 1).filter(|_| i + 1 < end) else {
        return Err(EscapeError {
            range: TextRange::from_usize(i, i + 1),
            message: "a backslash at the end of a string escapes nothing".into(),
        });
    };
    if next.is_ascii_digit() {
        let digits = bytes.get(i + 1..i + 4).filter(|_| i + 4 <= end);
        match digits {
            Some(d) if d.iter().all(u8::is_ascii_digit) => {
                let v = (d[0] - b'0') as u32 * 100 + (d[1] - b'0') as u32 * 10 + (d[2] - b'0') as u32;
                if v > 255 {
                    return Err(EscapeError {
                        range: TextRange::from_usize(i, i + 4),
                        message: format!("`\\{v:03}` is not an octet: `\\DDD` escapes must be at most 255"),
                    });
                }
                Ok((v as u8, 4))
            }
            _ => Err(EscapeError {
                range: TextRange::from_usize(i, (i + 4).min(end)),
                message: "`\\` followed by a digit must be a three-digit decimal escape `\\DDD`".into(),
            }),
        }
    } else {
        // `\X` stands for X; the rest of a multi-byte character follows verbatim.
        Ok((next, 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::lexer::Lexer;

    fn first(s: &str) -> Token {
        Lexer::new(s).next().unwrap()
    }

    #[test]
    fn decodes_escapes() {
        let s = r#""a\"b\059c\\""#;
        let t = first(s);
        let mut v = Vec::new();
        decode(s, &t, &mut v).unwrap();
        assert_eq!(v, b"a\"b;c\\");
        assert_eq!(decoded_len(s, &t).unwrap(), 6);
        let mut m = MappedText::new();
        decode_into(s, &t, &mut m).unwrap();
        assert_eq!(m.bytes, v);
        assert_eq!(m.src_range(3, 4), TextRange::new(5, 9));
    }

    #[test]
    fn rejects_bad_escapes() {
        let s = r#""\256""#;
        let e = decode(s, &first(s), &mut Vec::new()).unwrap_err();
        assert_eq!(e.range, TextRange::new(1, 5));
        let s = r#""\12x""#;
        assert!(decode(s, &first(s), &mut Vec::new()).is_err());
    }
}
