//! Lossless lexer for RFC 1035 §5 master files.
//!
//! Every byte of the input belongs to exactly one token, so the token stream can
//! reproduce the file. The lexer never fails: problems (an unterminated quote, a
//! backslash at the end of a line) are flags on the token, reported by the parser.

use crate::text::TextRange;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TokenKind {
    /// A run of characters that are not white space or `;()"` (escapes included).
    Word,
    /// A `"…"` string, quotes included.
    Quoted,
    LParen,
    RParen,
    /// `;` up to (not including) the end of the line.
    Comment,
    /// `\n` or `\r\n`.
    Newline,
    /// Spaces, tabs and stray carriage returns.
    Whitespace,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
    /// The token contains a backslash escape.
    pub escaped: bool,
    /// A quoted string that reaches the end of the line without its closing quote,
    /// or a word that ends in a lone backslash.
    pub unterminated: bool,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.range]
    }

    pub fn is_trivia(&self) -> bool {
        matches!(self.kind, TokenKind::Whitespace | TokenKind::Comment)
    }
}

pub struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { bytes: text.as_bytes(), pos: 0, end: text.len() }
    }

    /// Lexes `range` of `text`; token ranges stay relative to the whole text.
    pub fn with_range(text: &'a str, range: TextRange) -> Self {
        Self { bytes: text.as_bytes(), pos: range.start as usize, end: range.end as usize }
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn set_position(&mut self, pos: usize) {
        self.pos = pos.min(self.end);
    }

    fn token(&mut self, kind: TokenKind, start: usize, escaped: bool, unterminated: bool) -> Token {
        Token { kind, range: TextRange::from_usize(start, self.pos), escaped, unterminated }
    }
}

/// Bytes that end a word (white space and `;()"`) or need a closer look inside one
/// (`\`): a table, so the scan of a word is one load and one test per byte.
const STOPS_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let stops = b" \t\n\r;()\"\\";
    let mut i = 0;
    while i < stops.len() {
        t[stops[i] as usize] = true;
        i += 1;
    }
    t
};

#[inline]
fn is_word_end(b: u8) -> bool {
    STOPS_WORD[b as usize] && b != b'\\'
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    #[inline]
    fn next(&mut self) -> Option<Token> {
        let start = self.pos;
        if start >= self.end {
            return None;
        }
        let b = self.bytes;
        let end = self.end;
        let tok = match b[start] {
            b' ' | b'\t' => {
                let mut p = start + 1;
                while p < end && matches!(b[p], b' ' | b'\t') {
                    p += 1;
                }
                self.pos = p;
                self.token(TokenKind::Whitespace, start, false, false)
            }
            b'\n' => {
                self.pos = start + 1;
                self.token(TokenKind::Newline, start, false, false)
            }
            b'\r' => {
                if start + 1 < end && b[start + 1] == b'\n' {
                    self.pos = start + 2;
                    self.token(TokenKind::Newline, start, false, false)
                } else {
                    self.pos = start + 1;
                    self.token(TokenKind::Whitespace, start, false, false)
                }
            }
            b';' => {
                let p = memchr::memchr(b'\n', &b[start..end]).map_or(end, |i| start + i);
                // Keep a `\r` of a CRLF line ending out of the comment.
                let p = if p > start + 1 && p < end && b[p - 1] == b'\r' { p - 1 } else { p };
                self.pos = p;
                self.token(TokenKind::Comment, start, false, false)
            }
            b'(' => {
                self.pos = start + 1;
                self.token(TokenKind::LParen, start, false, false)
            }
            b')' => {
                self.pos = start + 1;
                self.token(TokenKind::RParen, start, false, false)
            }
            b'"' => {
                let mut p = start + 1;
                let mut escaped = false;
                let mut closed = false;
                while p < end {
                    // Skip to the next byte that ends or escapes something.
                    p += memchr::memchr3(b'"', b'\\', b'\n', &b[p..end]).unwrap_or(end - p);
                    if p >= end {
                        break;
                    }
                    match b[p] {
                        b'"' => {
                            p += 1;
                            closed = true;
                            break;
                        }
                        b'\\' => {
                            escaped = true;
                            // An escaped newline does not continue the string.
                            if p + 1 < end && b[p + 1] != b'\n' {
                                p += 2;
                            } else {
                                p += 1;
                            }
                        }
                        b'\n' => break,
                        _ => p += 1,
                    }
                }
                let p = p.min(end);
                // An unterminated string stops before a CR of CRLF.
                let p = if !closed && p > start + 1 && b[p - 1] == b'\r' { p - 1 } else { p };
                self.pos = p;
                self.token(TokenKind::Quoted, start, escaped, !closed)
            }
            _ => {
                let mut p = start;
                let mut escaped = false;
                let mut dangling = false;
                while p < end {
                    // Plain bytes first, without a branch per kind of byte.
                    while p < end && !STOPS_WORD[b[p] as usize] {
                        p += 1;
                    }
                    if p >= end {
                        break;
                    }
                    let c = b[p];
                    if c == b'\\' {
                        escaped = true;
                        if p + 1 < end && b[p + 1] != b'\n' && b[p + 1] != b'\r' {
                            p += 2;
                            continue;
                        }
                        dangling = true;
                        p += 1;
                        break;
                    }
                    if is_word_end(c) {
                        break;
                    }
                    p += 1;
                }
                // `p` may overshoot `end` by one after an escape at the very end.
                self.pos = p.min(end);
                // Never split a UTF-8 sequence: an escape before a multi-byte char.
                while self.pos < end && (b[self.pos] & 0xC0) == 0x80 {
                    self.pos += 1;
                }
                self.token(TokenKind::Word, start, escaped, dangling)
            }
        };
        Some(tok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(s).map(|t| (t.kind, t.text(s))).collect()
    }

    #[test]
    fn lossless() {
        let s = "@ IN TXT ( \"a;b\\\"c\" ; c\r\n  word\\ x )\n";
        let joined: String = Lexer::new(s).map(|t| t.text(s)).collect();
        assert_eq!(joined, s);
        let k = kinds(s);
        assert!(k.contains(&(TokenKind::Quoted, "\"a;b\\\"c\"")));
        assert!(k.contains(&(TokenKind::Comment, "; c")));
        assert!(k.contains(&(TokenKind::Word, "word\\ x")));
        assert!(k.contains(&(TokenKind::Newline, "\r\n")));
    }

    #[test]
    fn unterminated_quote_stops_at_line_end() {
        let s = "a \"open\nnext";
        let toks: Vec<_> = Lexer::new(s).collect();
        assert_eq!(toks[2].kind, TokenKind::Quoted);
        assert!(toks[2].unterminated);
        assert_eq!(toks[3].kind, TokenKind::Newline);
        assert_eq!(toks[4].text(s), "next");
    }

    #[test]
    fn specials_split_words() {
        assert_eq!(kinds("a(b)c")[1], (TokenKind::LParen, "("));
        assert_eq!(kinds("a\\(b"), vec![(TokenKind::Word, "a\\(b")]);
        let t: Vec<_> = Lexer::new("x\\").collect();
        assert!(t[0].unterminated);
        let s = "\\é";
        assert_eq!(kinds(s), vec![(TokenKind::Word, s)]);
    }
}
