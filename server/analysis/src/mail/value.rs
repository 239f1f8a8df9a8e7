//! A TXT record's value as the mail checks see it — the decoded, joined bytes — and the
//! edits that change it in the record's own syntax.
//!
//! An edit is made in place when the characters it touches are written verbatim
//! (no escapes) inside one string and stay within the 255-octet limit; otherwise the
//! whole value is written anew as quoted strings, split at 255 octets.

use std::ops::Range;

use crate::diagnostics::{Edit, FileId};
use crate::mapped::MappedText;
use std::sync::Arc;

use crate::model::{HostRdata, Rdata, Record, Zone};
use crate::name::Name;
use crate::source::SourceDb;
use crate::text::TextRange;
use crate::zone::index::DataTokens;

#[derive(Clone, Debug)]
pub struct TxtValue {
    pub file: FileId,
    pub mapped: MappedText,
    /// `$GENERATE`d data: no in-place edits, findings point at the directive.
    pub generated: bool,
    pub record_span: TextRange,
    /// Read from a host format: edits are written in its literals' syntax.
    pub host: Option<Arc<HostRdata>>,
}

impl TxtValue {
    pub fn of_record(rec: &Record, sources: &SourceDb) -> TxtValue {
        let data = DataTokens::of(rec, sources.text(rec.file));
        let host = match &rec.rdata {
            Rdata::Host(h) => Some(h.clone()),
            _ => None,
        };
        TxtValue { file: rec.file, mapped: data.joined_strings(), generated: data.is_generated(), record_span: rec.span, host }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.mapped.bytes
    }

    pub fn len(&self) -> u32 {
        self.mapped.bytes.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.mapped.bytes.is_empty()
    }

    /// The file range of value bytes `r`.
    pub fn src(&self, r: Range<u32>) -> TextRange {
        if self.generated {
            return self.record_span;
        }
        self.mapped.src_range(r.start, r.end)
    }

    /// The file range of the whole value (all its strings).
    pub fn whole(&self) -> TextRange {
        match (self.mapped.pieces().first(), self.mapped.pieces().last()) {
            (Some(a), Some(b)) if !self.generated => a.1.cover(b.1),
            _ => self.record_span,
        }
    }

    /// Edits that replace value bytes `r` with `new`.
    pub fn replace(&self, src: &str, r: Range<u32>, new: &str) -> Vec<Edit> {
        if let Some(e) = self.in_place(src, r.clone(), new) {
            return vec![e];
        }
        let mut v = self.mapped.bytes[..r.start as usize].to_vec();
        v.extend_from_slice(new.as_bytes());
        v.extend_from_slice(&self.mapped.bytes[r.end as usize..]);
        self.rewrite(src, &v)
    }

    fn in_place(&self, src: &str, r: Range<u32>, new: &str) -> Option<Edit> {
        if self.generated || self.mapped.pieces().is_empty() {
            return None;
        }
        if let Some(h) = &self.host {
            return self.host_in_place(h, r, new);
        }
        let piece = self.mapped.piece_of(r.start.min(self.len().saturating_sub(1)));
        let piece_end_piece = if r.end > r.start { self.mapped.piece_of(r.end - 1) } else { piece };
        if piece != piece_end_piece || !self.mapped.is_verbatim(r.start, r.end) {
            return None;
        }
        let token = self.mapped.piece_token(piece)?;
        let quoted = src.as_bytes().get(token.start as usize) == Some(&b'"');
        let safe = new.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' && (quoted || !b" ;()".contains(&b)));
        if !safe {
            return None;
        }
        // The piece must stay within 255 octets.
        let pstart = self.mapped.pieces()[piece].0;
        let pend = self.mapped.pieces().get(piece + 1).map_or(self.len(), |p| p.0);
        let new_len = (pend - pstart) as usize - (r.end - r.start) as usize + new.len();
        if new_len > 255 {
            return None;
        }
        let range = if r.start == r.end {
            let at = if r.start < self.len() { self.mapped.src_start(r.start) } else { self.mapped.end_offset() };
            // Insertion at a piece boundary lands at the start of the next piece's text.
            TextRange::at(at)
        } else {
            self.mapped.src_range(r.start, r.end)
        };
        Some(Edit::replace(self.file, range, new))
    }

    /// An edit inside one host literal, the new text written in its syntax.
    fn host_in_place(&self, h: &HostRdata, r: Range<u32>, new: &str) -> Option<Edit> {
        let piece = self.mapped.piece_of(r.start.min(self.len().saturating_sub(1)));
        let last = if r.end > r.start { self.mapped.piece_of(r.end - 1) } else { piece };
        if piece != last || !self.mapped.is_verbatim(r.start, r.end) {
            return None;
        }
        let range = if r.start == r.end {
            let at = if r.start < self.len() { self.mapped.src_start(r.start) } else { self.mapped.end_offset() };
            TextRange::at(at)
        } else {
            self.mapped.src_range(r.start, r.end)
        };
        // The literal holding the edit; the edit must stay inside its quotes.
        let lit = h.literals.iter().find(|l| {
            let quotes = u32::from(!matches!(l.style, crate::model::LiteralStyle::YamlPlain | crate::model::LiteralStyle::HclHeredoc));
            l.range.start + quotes <= range.start && range.end + quotes <= l.range.end
        })?;
        let written = crate::hosts::literal::escape_within(lit, new)?;
        Some(Edit::replace(self.file, range, written))
    }

    /// Edits that replace the whole value with `new_value`, written as quoted strings.
    pub fn rewrite(&self, src: &str, new_value: &[u8]) -> Vec<Edit> {
        if let Some(h) = &self.host {
            // A value from one literal is written anew in the same syntax; values put
            // together from several are left to the author.
            return match h.literals.as_slice() {
                [lit] if lit.sole && self.mapped.pieces().len() == 1 => {
                    crate::hosts::literal::render(lit, new_value).map(|t| vec![Edit::replace(self.file, lit.range, t)]).unwrap_or_default()
                }
                _ => Vec::new(),
            };
        }
        let rendered = render_strings(new_value);
        let tokens: Vec<TextRange> = self.mapped.pieces().iter().map(|p| p.1).collect();
        if self.generated || tokens.is_empty() {
            return Vec::new();
        }
        let first = tokens[0];
        let last = tokens[tokens.len() - 1];
        if tokens.len() == 1 {
            return vec![Edit::replace(self.file, first, rendered)];
        }
        let between = &src[first.end as usize..last.start as usize];
        let opens = between.matches('(').count();
        let closes = between.matches(')').count();
        if !between.contains(';') && opens == closes {
            return vec![Edit::replace(self.file, first.cover(last), rendered)];
        }
        // Keep comments and parentheses between the strings: replace the first string,
        // delete the others.
        let mut edits = vec![Edit::replace(self.file, first, rendered)];
        edits.extend(tokens[1..].iter().map(|t| Edit::delete(self.file, *t)));
        edits
    }
}

/// Writes a value as zone-file character-strings: quoted, escaped, split at 255 octets
/// (never inside a UTF-8 character).
pub fn render_strings(value: &[u8]) -> String {
    if value.len() <= 255 && value.iter().all(|&b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\') {
        // One string, nothing to escape: the common case, at its exact size.
        let mut out = String::with_capacity(value.len() + 2);
        out.push('"');
        out.extend(value.iter().map(|&b| char::from(b)));
        out.push('"');
        return out;
    }
    let mut out = String::new();
    let mut start = 0;
    while start < value.len() || (start == 0 && value.is_empty()) {
        let full = (start + 255).min(value.len());
        let mut end = full;
        while end < value.len() && end > start && (value[end] & 0xC0) == 0x80 {
            end -= 1;
        }
        if end == start {
            // 255 continuation bytes in a row: no character to keep whole (and no
            // progress otherwise).
            end = full;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('"');
        for &b in &value[start..end] {
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                0x20..=0x7e => out.push(b as char),
                0x80..=0xff => {
                    // Keep UTF-8 as it is written; lone bytes as escapes.
                    out.push_str(&format!("\\{b:03}"));
                }
                _ => out.push_str(&format!("\\{b:03}")),
            }
        }
        out.push('"');
        if value.is_empty() {
            break;
        }
        start = end;
    }
    // Re-assemble valid UTF-8 sequences that were escaped byte by byte (an ASCII
    // value has none: its escapes are of bytes below 0x80).
    if value.is_ascii() { out } else { restore_utf8(&out) }
}

/// `\DDD` escapes of bytes that form valid UTF-8 together are written as the characters.
fn restore_utf8(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(u8::is_ascii_digit) {
            // Collect a run of \DDD escapes of high bytes.
            let mut bytes = Vec::new();
            let mut j = i;
            while j + 3 < b.len() && b[j] == b'\\' && b[j + 1..j + 4].iter().all(u8::is_ascii_digit) {
                let v: u32 = s[j + 1..j + 4].parse().unwrap_or(0);
                if v < 0x80 {
                    break;
                }
                bytes.push(v as u8);
                j += 4;
            }
            if !bytes.is_empty() {
                match std::str::from_utf8(&bytes) {
                    Ok(text) => out.push_str(text),
                    Err(_) => out.push_str(&s[i..j]),
                }
                i = j;
                continue;
            }
        }
        let ch = s[i..].chars().next().unwrap_or('\0');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// An edit that adds a record at the end of a zone's top-level file.
/// An edit adding a record to `zone`, in its file's syntax; `None` for a host format
/// zonels does not write records into.
pub fn insert_record(zone: &Zone, sources: &SourceDb, owner: &Name, rtype: &str, value: &[u8]) -> Option<Edit> {
    if zone.format != crate::model::Format::Bind {
        return crate::hosts::insert_record(zone, sources, owner, rtype, value);
    }
    let rdata = render_strings(value);
    let text = sources.text(zone.file);
    let origin = zone.records.iter().rev().find(|r| r.file == zone.file).and_then(|r| r.origin.as_ref()).unwrap_or(&zone.apex);
    let owner_text = if origin.is_root() { owner.as_str() } else { owner.relative_str(origin) };
    let prefix = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
    // `concat` allocates the line at its exact size (many findings carry one).
    Some(Edit::insert(zone.file, text.len() as u32, [prefix, owner_text, "\tIN\t", rtype, "\t", &rdata, "\n"].concat()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_continuation_bytes_is_split_not_a_hang() {
        // Found by the spf_eval fuzz target: 300 bytes of 0x80 never reached a boundary.
        let v = vec![0x80u8; 300];
        let out = render_strings(&v);
        assert_eq!(out.matches('"').count(), 4, "{out}");
        assert_eq!(out.matches("\\128").count(), 300);
    }

    #[test]
    fn renders_strings() {
        assert_eq!(render_strings(b"v=spf1 -all"), "\"v=spf1 -all\"");
        assert_eq!(render_strings(b"a\"b\\c"), "\"a\\\"b\\\\c\"");
        let long = vec![b'x'; 300];
        let r = render_strings(&long);
        assert_eq!(r, format!("\"{}\" \"{}\"", "x".repeat(255), "x".repeat(45)));
        assert_eq!(render_strings("é".as_bytes()), "\"é\"");
        assert_eq!(render_strings(b""), "\"\"");
    }
}
