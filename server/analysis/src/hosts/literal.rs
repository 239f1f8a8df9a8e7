//! String literals of the host formats: decoding them (with the map from each decoded
//! byte back to the file) and writing text into them.

use crate::mapped::MappedText;
use crate::model::{Literal, LiteralStyle};
use crate::text::TextRange;

/// A malformed escape or an unsupported form inside a literal.
#[derive(Debug, PartialEq, Eq)]
pub struct BadLiteral {
    pub range: TextRange,
    pub message: String,
}

fn bad(range: TextRange, message: impl Into<String>) -> BadLiteral {
    BadLiteral { range, message: message.into() }
}

/// The text at `range`; an error when the range ends inside a character (a literal cut
/// short in bytes that were not UTF-8).
fn slice(text: &str, range: TextRange) -> Result<&str, BadLiteral> {
    text.get(range.as_usize()).ok_or_else(|| bad(range, "this string ends inside a character"))
}

/// Decodes the literal at `range` of `text` (quotes included) in `style`, appending the
/// decoded bytes to `out` (in the current piece).
pub fn decode(text: &str, range: TextRange, style: LiteralStyle, out: &mut MappedText) -> Result<(), BadLiteral> {
    let lit = slice(text, range)?;
    match style {
        // A stretch of a quoted HCL template between interpolations (no quotes).
        LiteralStyle::HclQuoted if !lit.starts_with('"') => escapes(lit, range.start, out, hcl_escape),
        LiteralStyle::YamlPlain => fold(text, range.start, lit, out, |_, _, _| None),
        LiteralStyle::YamlSingle => {
            let inner = TextRange::new(range.start + 1, range.end.saturating_sub(1).max(range.start + 1));
            fold(text, inner.start, slice(text, inner)?, out, |s, i, base| {
                (s.as_bytes()[i] == b'\'' && s.as_bytes().get(i + 1) == Some(&b'\''))
                    .then(|| Ok((b"'".to_vec(), TextRange::new(base + i as u32, base + i as u32 + 2))))
            })
        }
        LiteralStyle::YamlDouble => {
            let inner = TextRange::new(range.start + 1, range.end.saturating_sub(1).max(range.start + 1));
            fold(text, inner.start, slice(text, inner)?, out, |s, i, base| (s.as_bytes()[i] == b'\\').then(|| yaml_escape(s, i, base)))
        }
        LiteralStyle::JsSingle | LiteralStyle::JsDouble | LiteralStyle::JsTemplate => {
            let inner = TextRange::new(range.start + 1, range.end.saturating_sub(1).max(range.start + 1));
            escapes(slice(text, inner)?, inner.start, out, js_escape)
        }
        LiteralStyle::HclQuoted => {
            let inner = TextRange::new(range.start + 1, range.end.saturating_sub(1).max(range.start + 1));
            escapes(slice(text, inner)?, inner.start, out, hcl_escape)
        }
        LiteralStyle::HclHeredoc => {
            // The caller passes the content lines (indentation already accounted for).
            escapes(lit, range.start, out, |s, i, base| {
                let b = s.as_bytes();
                match (b[i], b.get(i + 1), b.get(i + 2)) {
                    (b'$', Some(b'$'), Some(b'{')) | (b'%', Some(b'%'), Some(b'{')) => {
                        Some(Ok((vec![b[i], b'{'], TextRange::new(base + i as u32, base + i as u32 + 3))))
                    }
                    _ => None,
                }
            })
        }
    }
}

type Escape = Option<Result<(Vec<u8>, TextRange), BadLiteral>>;

/// Copies `s` (starting at file offset `base`) into `out`, letting `esc` decode the
/// escape starting at a byte; everything else is verbatim.
fn escapes(s: &str, base: u32, out: &mut MappedText, esc: impl Fn(&str, usize, u32) -> Escape) -> Result<(), BadLiteral> {
    let mut i = 0;
    let mut run = 0;
    while i < s.len() {
        match esc(s, i, base) {
            Some(r) => {
                out.push_verbatim(&s.as_bytes()[run..i], base + run as u32);
                let (bytes, src) = r?;
                out.push_mapped(&bytes, src);
                i = (src.end - base) as usize;
                run = i;
            }
            None => i += 1,
        }
    }
    out.push_verbatim(&s.as_bytes()[run..], base + run as u32);
    Ok(())
}

/// YAML flow scalars: line breaks and the blanks around them fold into one space (an
/// empty line into a newline); `esc` decodes escapes within a line.
fn fold(file: &str, base: u32, s: &str, out: &mut MappedText, esc: impl Fn(&str, usize, u32) -> Escape) -> Result<(), BadLiteral> {
    let _ = file;
    let lines: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            if b == b'\n' {
                v.push((start, &s[start..i]));
                start = i + 1;
            }
        }
        v.push((start, &s[start..]));
        v
    };
    let n = lines.len();
    let mut pending_break: Option<TextRange> = None;
    let mut empty_lines = 0;
    for (k, (off, line)) in lines.into_iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let lead = if k == 0 { 0 } else { line.len() - line.trim_start_matches([' ', '\t']).len() };
        let trail = if k + 1 == n { line.len() } else { line.trim_end_matches([' ', '\t']).len().max(lead) };
        let content = &line[lead..trail];
        if k > 0 && content.is_empty() && k + 1 < n {
            empty_lines += 1;
            continue;
        }
        if let Some(br) = pending_break.take() {
            let gap = TextRange::new(br.start, base + (off + lead) as u32);
            if empty_lines > 0 {
                out.push_mapped(&vec![b'\n'; empty_lines], gap);
            } else {
                out.push_mapped(b" ", gap);
            }
            empty_lines = 0;
        }
        escapes(content, base + (off + lead) as u32, out, &esc)?;
        if k + 1 < n {
            pending_break = Some(TextRange::at(base + (off + trail) as u32));
        }
    }
    Ok(())
}

fn hex_value(s: &str) -> Option<u32> {
    u32::from_str_radix(s, 16).ok()
}

fn char_bytes(c: u32) -> Option<Vec<u8>> {
    char::from_u32(c).map(|c| c.to_string().into_bytes())
}

fn yaml_escape(s: &str, i: usize, base: u32) -> Result<(Vec<u8>, TextRange), BadLiteral> {
    let b = s.as_bytes();
    let at = |n: usize| TextRange::new(base + i as u32, base + (i + n).min(s.len()) as u32);
    let Some(&c) = b.get(i + 1) else { return Err(bad(at(1), "a backslash at the end of a double-quoted YAML string")) };
    let simple = match c {
        b'0' => Some(0u8),
        b'a' => Some(7),
        b'b' => Some(8),
        b't' | b'\t' => Some(b'\t'),
        b'n' => Some(b'\n'),
        b'v' => Some(11),
        b'f' => Some(12),
        b'r' => Some(b'\r'),
        b'e' => Some(27),
        b' ' => Some(b' '),
        b'"' => Some(b'"'),
        b'/' => Some(b'/'),
        b'\\' => Some(b'\\'),
        _ => None,
    };
    if let Some(v) = simple {
        return Ok((vec![v], at(2)));
    }
    let (len, name) = match c {
        b'x' => (2, "\\x"),
        b'u' => (4, "\\u"),
        b'U' => (8, "\\U"),
        b'N' => return Ok(("\u{85}".as_bytes().to_vec(), at(2))),
        b'_' => return Ok(("\u{a0}".as_bytes().to_vec(), at(2))),
        b'L' => return Ok(("\u{2028}".as_bytes().to_vec(), at(2))),
        b'P' => return Ok(("\u{2029}".as_bytes().to_vec(), at(2))),
        _ => {
            let shown = s[i..].chars().take(2).collect::<String>();
            return Err(bad(at(2), format!("`{shown}` is not a YAML escape (in a double-quoted string, write `\\\\` for a backslash)")));
        }
    };
    let digits = s.get(i + 2..i + 2 + len).unwrap_or("");
    match (digits.len() == len).then(|| hex_value(digits)).flatten().and_then(char_bytes) {
        Some(v) => Ok((v, at(2 + len))),
        None => Err(bad(at(2 + digits.len()), format!("`{name}` needs {len} hex digits naming a character"))),
    }
}

fn js_escape(s: &str, i: usize, base: u32) -> Escape {
    let b = s.as_bytes();
    if b[i] != b'\\' {
        return None;
    }
    let at = |n: usize| TextRange::new(base + i as u32, base + (i + n).min(s.len()) as u32);
    let Some(&c) = b.get(i + 1) else { return Some(Err(bad(at(1), "a backslash at the end of a string"))) };
    let simple = match c {
        b'n' => Some(vec![b'\n']),
        b't' => Some(vec![b'\t']),
        b'r' => Some(vec![b'\r']),
        b'b' => Some(vec![8]),
        b'f' => Some(vec![12]),
        b'v' => Some(vec![11]),
        b'0' if !b.get(i + 2).is_some_and(u8::is_ascii_digit) => Some(vec![0]),
        b'\n' => Some(Vec::new()),
        b'x' => {
            let d = s.get(i + 2..i + 4).unwrap_or("");
            return Some(match (d.len() == 2).then(|| hex_value(d)).flatten().and_then(char_bytes) {
                Some(v) => Ok((v, at(4))),
                None => Err(bad(at(2 + d.len()), "`\\x` needs two hex digits")),
            });
        }
        b'u' => {
            let (digits, len) = if b.get(i + 2) == Some(&b'{') {
                let end = s[i + 3..].find('}').map(|e| i + 3 + e);
                match end {
                    Some(e) => (&s[i + 3..e], e + 1 - i),
                    None => return Some(Err(bad(at(3), "`\\u{` without its `}`"))),
                }
            } else {
                let d = s.get(i + 2..i + 6).unwrap_or("");
                (d, 2 + d.len())
            };
            return Some(match hex_value(digits).and_then(char_bytes) {
                Some(v) if !digits.is_empty() => Ok((v, at(len))),
                _ => Err(bad(at(len), "`\\u` needs four hex digits (or `\\u{…}`) naming a character")),
            });
        }
        _ => None,
    };
    Some(Ok(match simple {
        Some(v) => (v, at(2)),
        // Any other escaped character stands for itself (`\'`, `\"`, `\\`, `\;`).
        None => {
            let ch = s[i + 1..].chars().next().unwrap_or(' ');
            (ch.to_string().into_bytes(), at(1 + ch.len_utf8()))
        }
    }))
}

fn hcl_escape(s: &str, i: usize, base: u32) -> Escape {
    let b = s.as_bytes();
    let at = |n: usize| TextRange::new(base + i as u32, base + (i + n).min(s.len()) as u32);
    match b[i] {
        b'$' | b'%' if b.get(i + 1) == Some(&b[i]) && b.get(i + 2) == Some(&b'{') => return Some(Ok((vec![b[i], b'{'], at(3)))),
        b'\\' => {}
        _ => return None,
    }
    let Some(&c) = b.get(i + 1) else { return Some(Err(bad(at(1), "a backslash at the end of a string"))) };
    let simple = match c {
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'"' => Some(b'"'),
        b'\\' => Some(b'\\'),
        _ => None,
    };
    if let Some(v) = simple {
        return Some(Ok((vec![v], at(2))));
    }
    let len = match c {
        b'u' => 4,
        b'U' => 8,
        _ => {
            let shown = s[i..].chars().take(2).collect::<String>();
            return Some(Err(bad(at(2), format!("`{shown}` is not an HCL escape (write `\\\\` for a backslash)"))));
        }
    };
    let d = s.get(i + 2..i + 2 + len).unwrap_or("");
    Some(match (d.len() == len).then(|| hex_value(d)).flatten().and_then(char_bytes) {
        Some(v) => Ok((v, at(2 + len))),
        None => Err(bad(at(2 + d.len()), format!("`\\{}` needs {len} hex digits naming a character", c as char))),
    })
}

/// `new` written for insertion inside `lit` (between its quotes), or `None` when it
/// cannot be written there verbatim.
pub fn escape_within(lit: &Literal, new: &str) -> Option<String> {
    let semi = |out: &mut String, double: bool| {
        if double {
            out.push_str("\\\\;");
        } else {
            out.push_str("\\;");
        }
    };
    let mut out = String::with_capacity(new.len());
    match lit.style {
        LiteralStyle::YamlPlain => {
            if new.contains(": ") || new.contains(" #") || new.starts_with('#') {
                return None;
            }
            for c in new.chars() {
                match c {
                    ';' if lit.escaped_semicolons => semi(&mut out, false),
                    '\n' | '\r' | '\t' | '"' | '\'' | '\\' => return None,
                    c => out.push(c),
                }
            }
        }
        LiteralStyle::YamlSingle => {
            for c in new.chars() {
                match c {
                    ';' if lit.escaped_semicolons => semi(&mut out, false),
                    '\'' => out.push_str("''"),
                    '\n' | '\r' => return None,
                    c => out.push(c),
                }
            }
        }
        LiteralStyle::YamlDouble => {
            for c in new.chars() {
                match c {
                    ';' if lit.escaped_semicolons => semi(&mut out, true),
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c if c.is_control() => return None,
                    c => out.push(c),
                }
            }
        }
        LiteralStyle::JsSingle | LiteralStyle::JsDouble | LiteralStyle::JsTemplate => {
            let quote = match lit.style {
                LiteralStyle::JsSingle => '\'',
                LiteralStyle::JsDouble => '"',
                _ => '`',
            };
            let mut prev = ' ';
            for c in new.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c if c == quote => {
                        out.push('\\');
                        out.push(c);
                    }
                    '{' if quote == '`' && prev == '$' => out.push_str("\\{"),
                    c if c.is_control() => return None,
                    c => out.push(c),
                }
                prev = c;
            }
        }
        LiteralStyle::HclQuoted | LiteralStyle::HclHeredoc => {
            let mut prev = ' ';
            for c in new.chars() {
                match c {
                    '"' if lit.style == LiteralStyle::HclQuoted => out.push_str("\\\""),
                    '\\' if lit.style == LiteralStyle::HclQuoted => out.push_str("\\\\"),
                    '{' if prev == '$' || prev == '%' => {
                        out.push(prev);
                        out.push('{');
                    }
                    '\n' | '\r' => return None,
                    c if c.is_control() => return None,
                    c => out.push(c),
                }
                prev = c;
            }
        }
    }
    Some(out)
}

/// A whole new literal holding `value`, in `lit`'s syntax where the value allows it.
pub fn render(lit: &Literal, value: &[u8]) -> Option<String> {
    let value = std::str::from_utf8(value).ok()?;
    let quoted = |style: LiteralStyle, open: &str, close: &str| -> Option<String> {
        let l = Literal { style, ..lit.clone() };
        escape_within(&l, value).map(|inner| format!("{open}{inner}{close}"))
    };
    match lit.style {
        LiteralStyle::YamlPlain => {
            let plain_ok = !value.is_empty()
                && !value.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
                && !value.ends_with([' ', ':'])
                && !matches!(value.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~")
                && value.parse::<f64>().is_err();
            if plain_ok && let Some(t) = escape_within(lit, value) {
                return Some(t);
            }
            quoted(LiteralStyle::YamlDouble, "\"", "\"")
        }
        LiteralStyle::YamlSingle => quoted(LiteralStyle::YamlSingle, "'", "'"),
        LiteralStyle::YamlDouble => quoted(LiteralStyle::YamlDouble, "\"", "\""),
        LiteralStyle::JsSingle => quoted(LiteralStyle::JsSingle, "'", "'"),
        LiteralStyle::JsDouble => quoted(LiteralStyle::JsDouble, "\"", "\""),
        LiteralStyle::JsTemplate => quoted(LiteralStyle::JsTemplate, "`", "`"),
        LiteralStyle::HclQuoted => quoted(LiteralStyle::HclQuoted, "\"", "\""),
        LiteralStyle::HclHeredoc => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str, style: LiteralStyle) -> (String, MappedText) {
        let mut m = MappedText::new();
        m.begin_piece(TextRange::new(0, text.len() as u32));
        decode(text, TextRange::new(0, text.len() as u32), style, &mut m).unwrap();
        (String::from_utf8(m.bytes.clone()).unwrap(), m)
    }

    #[test]
    fn a_literal_cut_inside_a_character_is_an_error_not_a_panic() {
        // Found by the host_files fuzz target: an unterminated HCL string whose node ends
        // one byte into a two-byte character.
        let text = "\"é\"";
        for style in [LiteralStyle::HclQuoted, LiteralStyle::JsDouble, LiteralStyle::YamlDouble, LiteralStyle::YamlSingle] {
            let mut out = MappedText::new();
            assert!(decode(text, TextRange::new(0, 3), style, &mut out).is_err(), "{style:?}");
        }
        let mut out = MappedText::new();
        assert!(decode(text, TextRange::new(0, 2), LiteralStyle::HclQuoted, &mut out).is_err());
    }

    #[test]
    fn decodes_each_style_with_its_map() {
        let (v, m) = dec(r#""a\x41\u00e9\"b""#, LiteralStyle::YamlDouble);
        assert_eq!(v, "aAé\"b");
        assert_eq!(m.src_range(1, 2), TextRange::new(2, 6));
        let (v, _) = dec("'it''s'", LiteralStyle::YamlSingle);
        assert_eq!(v, "it's");
        let (v, m) = dec("v=spf1\n    include:x\n\n    -all", LiteralStyle::YamlPlain);
        assert_eq!(v, "v=spf1 include:x\n-all");
        assert_eq!(m.src_range(7, 16), TextRange::new(11, 20));
        let (v, _) = dec(r#"'v=DKIM1\; p=\u0041\u{42}'"#, LiteralStyle::JsSingle);
        assert_eq!(v, "v=DKIM1; p=AB");
        let (v, _) = dec(r#""a\"\"b $${x}""#, LiteralStyle::HclQuoted);
        assert_eq!(v, "a\"\"b ${x}");
        let mut m = MappedText::new();
        let e = decode(r#""bad \q""#, TextRange::new(0, 8), LiteralStyle::YamlDouble, &mut m).unwrap_err();
        assert_eq!(e.range, TextRange::new(5, 7));
    }

    #[test]
    fn writes_text_in_each_style() {
        let lit = |style, semi| Literal { range: TextRange::new(0, 1), style, sole: true, escaped_semicolons: semi };
        assert_eq!(escape_within(&lit(LiteralStyle::YamlPlain, true), "p=reject;").as_deref(), Some("p=reject\\;"));
        assert_eq!(escape_within(&lit(LiteralStyle::YamlDouble, true), "a;\"").as_deref(), Some("a\\\\;\\\""));
        assert_eq!(escape_within(&lit(LiteralStyle::YamlPlain, false), "a: b"), None);
        assert_eq!(escape_within(&lit(LiteralStyle::JsSingle, false), "it's").as_deref(), Some("it\\'s"));
        assert_eq!(escape_within(&lit(LiteralStyle::HclQuoted, false), "${x}\"").as_deref(), Some("$${x}\\\""));
        assert_eq!(render(&lit(LiteralStyle::YamlPlain, true), b"v=spf1 -all").as_deref(), Some("v=spf1 -all"));
        assert_eq!(render(&lit(LiteralStyle::YamlPlain, false), b"- x").as_deref(), Some("\"- x\""));
        assert_eq!(render(&lit(LiteralStyle::HclHeredoc, false), b"x"), None);
    }
}
