//! Conversions between the analysis (byte offsets) and the protocol (line/character in
//! the negotiated encoding), and of findings to protocol diagnostics.

use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Position, Range};
use zonels_analysis::source::SourceFile;
use zonels_analysis::text::{LineCol, PositionEncoding, TextRange};

pub fn position(src: &SourceFile, offset: u32, enc: PositionEncoding) -> Position {
    let lc = src.line_col(offset, enc);
    Position { line: lc.line, character: lc.col }
}

pub fn range(src: &SourceFile, r: TextRange, enc: PositionEncoding) -> Range {
    Range { start: position(src, r.start, enc), end: position(src, r.end, enc) }
}

pub fn offset(src: &SourceFile, p: Position, enc: PositionEncoding) -> u32 {
    src.line_index().offset(&src.text, LineCol { line: p.line, col: p.character }, enc)
}

pub fn text_range(src: &SourceFile, r: Range, enc: PositionEncoding) -> TextRange {
    let a = offset(src, r.start, enc);
    let b = offset(src, r.end, enc);
    TextRange::new(a.min(b), a.max(b))
}

/// The protocol position of a byte offset in `rope` (clamped to its length).
pub fn rope_position(rope: &Rope, offset: u32, enc: PositionEncoding) -> Position {
    let mut off = (offset as usize).min(rope.len_bytes());
    // Back to a character boundary (a continuation byte is 0b10xx_xxxx).
    while off > 0 && off < rope.len_bytes() && rope.byte(off) & 0xC0 == 0x80 {
        off -= 1;
    }
    let line = rope.byte_to_line(off);
    let character = match enc {
        PositionEncoding::Utf8 => off - rope.line_to_byte(line),
        PositionEncoding::Utf16 => rope.char_to_utf16_cu(rope.byte_to_char(off)) - rope.char_to_utf16_cu(rope.line_to_char(line)),
        PositionEncoding::Utf32 => rope.byte_to_char(off) - rope.line_to_char(line),
    };
    Position { line: line as u32, character: character as u32 }
}

pub fn rope_range(rope: &Rope, r: TextRange, enc: PositionEncoding) -> Range {
    Range { start: rope_position(rope, r.start, enc), end: rope_position(rope, r.end, enc) }
}

/// The char index in `rope` of an LSP position; positions past a line's end clamp to
/// it, lines past the end clamp to the end of the document.
pub fn rope_char(rope: &Rope, p: Position, enc: PositionEncoding) -> usize {
    let line = p.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let mut units = 0u32;
    let mut idx = start;
    for ch in rope.line(line).chars() {
        if ch == '\n' || ch == '\r' || units >= p.character {
            break;
        }
        let w = zonels_analysis::text::char_width(ch, enc);
        if units + w > p.character {
            break;
        }
        units += w;
        idx += 1;
    }
    idx
}

pub fn severity(s: zonels_analysis::Severity) -> lsp::DiagnosticSeverity {
    match s {
        zonels_analysis::Severity::Error => lsp::DiagnosticSeverity::ERROR,
        zonels_analysis::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        zonels_analysis::Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// Where a rule's documentation lives (each rule's link parsed once: a file can have
/// thousands of findings).
pub fn rule_doc_uri(code: &'static str) -> Option<lsp::Uri> {
    static LINKS: std::sync::Mutex<Vec<(&'static str, Option<lsp::Uri>)>> = std::sync::Mutex::new(Vec::new());
    let mut links = LINKS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, uri)) = links.iter().find(|(c, _)| *c == code) {
        return uri.clone();
    }
    let anchor = zonels_analysis::rules::anchor(code);
    let uri: Option<lsp::Uri> = format!("https://github.com/zonels/zonels/blob/main/docs/rules.md#{anchor}").parse().ok();
    links.push((code, uri.clone()));
    uri
}

pub fn encoding_kind(enc: PositionEncoding) -> lsp::PositionEncodingKind {
    match enc {
        PositionEncoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        PositionEncoding::Utf32 => lsp::PositionEncodingKind::UTF32,
        PositionEncoding::Utf16 => lsp::PositionEncodingKind::UTF16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rope_positions_in_both_encodings() {
        let rope = Rope::from_str("a\n😀x\nend");
        let p = Position { line: 1, character: 2 };
        assert_eq!(rope_char(&rope, p, PositionEncoding::Utf16), 3);
        assert_eq!(rope_char(&rope, Position { line: 1, character: 4 }, PositionEncoding::Utf8), 3);
        // Past the line end: the end of the line; past the last line: the end.
        assert_eq!(rope_char(&rope, Position { line: 1, character: 99 }, PositionEncoding::Utf16), 4);
        assert_eq!(rope_char(&rope, Position { line: 9, character: 0 }, PositionEncoding::Utf16), rope.len_chars());
    }
}
