use crate::diagnostics::{Diagnostic, Edit, FileId, Fix};
use crate::zone::lexer::{Token, TokenKind};
use crate::zone::strings::content_bounds;

crate::declare_rule! {
    /// ## What it does
    /// Reports a character-string longer than 255 octets in a TXT (or SPF) record. A TXT
    /// record may hold many strings, but each is at most 255 octets; long values such
    /// as 2048-bit DKIM keys must be split into several quoted strings, which receivers
    /// join without a separator.
    ///
    /// ## Why it matters
    /// The zone does not load (BIND: `ran out of space`), and DNS provider APIs reject
    /// the record: the DKIM key or SPF policy is simply not published, and signed mail
    /// fails DKIM with `5.7.1`/`5.7.26` rejections at DMARC-enforcing receivers.
    ///
    /// ## Example
    /// ```zone
    /// sel._domainkey IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkq…(300 characters)…AQAB"
    /// ```
    /// Use instead:
    /// ```zone
    /// sel._domainkey IN TXT ( "v=DKIM1; k=rsa; p=MIIBIjANBgkq…"
    ///                         "…AQAB" )
    /// ```
    ///
    /// ## Fix
    /// Splits the string into pieces of at most 255 octets, never inside an escape
    /// (safe: receivers concatenate the pieces back into the same value).
    ///
    /// ## Reference
    /// RFC 1035 §3.3 (`<character-string>`, §3.3.14 TXT); RFC 6376 §3.6.2.2 (DKIM keys
    /// in several strings); RFC 7208 §3.3 (SPF in several strings).
    pub static RULE = {
        code: "zone/txt-string-too-long",
        severity: Error,
        fix: Safe,
        summary: "a character-string is longer than 255 octets",
    }
}

pub fn diagnostic(file: FileId, src: &str, tok: &Token, len: usize) -> Diagnostic {
    let pieces = split_source(src, tok);
    let new_text = pieces.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(" ");
    Diagnostic::new(
        &RULE,
        file,
        tok.range,
        format!("this string is {len} octets long; a character-string holds at most 255, so split it into several quoted strings"),
    )
    .with_fix(Fix::safe(
        format!("Split into {} strings of at most 255 octets", pieces.len()),
        vec![Edit::replace(file, tok.range, new_text)],
    ))
}

/// Splits the source text of a string token into pieces that each decode to at most
/// 255 octets, cutting only between escapes and whole UTF-8 characters.
pub fn split_source<'a>(src: &'a str, tok: &Token) -> Vec<&'a str> {
    let (start, end) = content_bounds(tok);
    let content = &src[start as usize..end as usize];
    let b = content.as_bytes();
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut octets = 0;
    let mut i = 0;
    while i < b.len() {
        let unit = if b[i] == b'\\' {
            if b.get(i + 1).is_some_and(u8::is_ascii_digit) { 4 } else { 1 + content[i + 1..].chars().next().map_or(0, char::len_utf8) }
        } else {
            content[i..].chars().next().map_or(1, char::len_utf8)
        };
        // Octets this unit decodes to: an escape is one, a raw character its UTF-8 length.
        let decoded = if b[i] == b'\\' { if unit == 4 { 1 } else { unit - 1 } } else { unit };
        if octets + decoded > 255 {
            pieces.push(&content[piece_start..i]);
            piece_start = i;
            octets = 0;
        }
        octets += decoded;
        i += unit.max(1);
    }
    pieces.push(&content[piece_start..]);
    if tok.kind == TokenKind::Word {
        // A bare word has no quotes to keep; its pieces get quoted by the caller.
    }
    pieces
}
