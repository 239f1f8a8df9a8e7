//! Formatting of zone files: the owner, TTL, class and type columns of each record's
//! first line are aligned; everything from the record data on — strings, comments,
//! continuation lines — and every directive and comment line stays byte for byte.
//! Formatting a formatted file changes nothing.

use crate::rrtype::{RrClass, RrType};
use crate::zone::lexer::{Lexer, Token, TokenKind};
use crate::zone::ttl::parse_ttl;

/// Widest column zonels aligns to; longer fields push their line's later columns.
const MAX_COLUMN: usize = 40;

struct RecordLine<'a> {
    line: usize,
    owner: &'a str,
    ttl: &'a str,
    class: &'a str,
    rtype: &'a str,
    /// From the first data token to the end of the line.
    rest: &'a str,
}

/// The formatted text, or `None` when the file does not lex into lines zonels can
/// align safely (an unclosed parenthesis or quote).
pub fn format(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut records = Vec::new();
    let mut depth = 0i32;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let toks: Vec<Token> = Lexer::new(line).collect();
        if toks.iter().any(|t| t.unterminated) {
            return None;
        }
        let starts_record = depth == 0;
        for t in &toks {
            match t.kind {
                TokenKind::LParen => depth += 1,
                TokenKind::RParen => depth -= 1,
                _ => {}
            }
        }
        if depth < 0 {
            return None;
        }
        if !starts_record {
            continue;
        }
        if let Some(r) = record_line(i, line, &toks) {
            records.push(r);
        }
    }
    if depth != 0 {
        return None;
    }
    let width = |f: &dyn Fn(&RecordLine) -> usize| records.iter().map(f).filter(|&w| w <= MAX_COLUMN).max().unwrap_or(0);
    let (ow, tw, cw, yw) = (width(&|r| r.owner.len()), width(&|r| r.ttl.len()), width(&|r| r.class.len()), width(&|r| r.rtype.len()));
    let mut out = String::with_capacity(text.len() + records.len() * 8);
    let mut ri = 0;
    for (i, raw) in lines.iter().enumerate() {
        if ri < records.len() && records[ri].line == i {
            let r = &records[ri];
            ri += 1;
            let ending = &raw[raw.trim_end_matches(['\n', '\r']).len()..];
            let mut l = String::new();
            for (field, w) in [(r.owner, ow), (r.ttl, tw), (r.class, cw), (r.rtype, yw)] {
                if w == 0 {
                    continue;
                }
                l.push_str(field);
                for _ in field.len()..w {
                    l.push(' ');
                }
                l.push(' ');
            }
            l.push_str(r.rest);
            out.push_str(l.trim_end());
            out.push_str(ending);
        } else {
            out.push_str(raw);
        }
    }
    Some(out)
}

fn record_line<'a>(i: usize, line: &'a str, toks: &[Token]) -> Option<RecordLine<'a>> {
    let words: Vec<&Token> = toks.iter().filter(|t| !matches!(t.kind, TokenKind::Whitespace)).collect();
    let first = words.first()?;
    if first.kind != TokenKind::Word {
        return None;
    }
    let blank_owner = line.starts_with([' ', '\t']);
    let mut k = 0;
    let owner = if blank_owner {
        ""
    } else {
        if first.text(line).starts_with('$') {
            return None;
        }
        k = 1;
        first.text(line)
    };
    let (mut ttl, mut class) = ("", "");
    for _ in 0..2 {
        let Some(t) = words.get(k).filter(|t| t.kind == TokenKind::Word) else { break };
        let s = t.text(line);
        if class.is_empty() && RrClass::from_mnemonic(s).is_some() {
            class = s;
        } else if ttl.is_empty() && parse_ttl(s).is_ok() {
            ttl = s;
        } else {
            break;
        }
        k += 1;
    }
    let ty = words.get(k).filter(|t| t.kind == TokenKind::Word)?;
    let rtype = ty.text(line);
    RrType::from_mnemonic(rtype)?;
    let rest_start = words.get(k + 1).map_or(line.len(), |t| t.range.start as usize);
    Some(RecordLine { line: i, owner, ttl, class, rtype, rest: &line[rest_start..] })
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn aligns_and_is_idempotent() {
        let input = "$TTL 1h\n@ IN SOA ns1 hostmaster ( 1 2 3 4 5 ) ; soa\n  IN NS ns1\nwww 300 IN A 192.0.2.1\nmail IN MX 10 mx ; comment  kept\nlong IN TXT ( \"a  b\"\n        \"c\" )\n; just a comment\n";
        let out = format(input).unwrap();
        assert_eq!(
            out,
            "$TTL 1h\n@        IN SOA ns1 hostmaster ( 1 2 3 4 5 ) ; soa\n         IN NS  ns1\nwww  300 IN A   192.0.2.1\nmail     IN MX  10 mx ; comment  kept\nlong     IN TXT ( \"a  b\"\n        \"c\" )\n; just a comment\n"
        );
        assert_eq!(format(&out).unwrap(), out);
        assert_eq!(format("www IN TXT \"open\n"), None);
    }
}
