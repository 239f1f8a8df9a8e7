//! Byte ranges in source text and their conversion to line/column positions.
//!
//! Everything inside the analysis works with byte offsets; positions become
//! line/column only at the edge (CLI output, LSP), in the encoding the consumer asks for.

use std::fmt;

/// A half-open byte range `start..end` in one source file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    pub fn at(offset: u32) -> Self {
        Self::new(offset, offset)
    }

    pub fn from_usize(start: usize, end: usize) -> Self {
        Self::new(start as u32, end as u32)
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Like `contains`, but an offset just after the end also counts (a cursor at a word's end).
    pub fn touches(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn intersects(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A range that may be absent, in the size of one range (`Option<TextRange>` takes half as
/// much again, and every record holds two).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptRange(TextRange);

impl OptRange {
    pub const NONE: OptRange = OptRange(TextRange { start: u32::MAX, end: 0 });

    pub fn get(self) -> Option<TextRange> {
        (self != Self::NONE).then_some(self.0)
    }

    pub fn is_some(self) -> bool {
        self != Self::NONE
    }

    pub fn is_none(self) -> bool {
        self == Self::NONE
    }
}

impl From<Option<TextRange>> for OptRange {
    fn from(r: Option<TextRange>) -> OptRange {
        // No range starts after it ends: the marker cannot be a range given here.
        r.map_or(OptRange::NONE, OptRange)
    }
}

impl From<TextRange> for OptRange {
    fn from(r: TextRange) -> OptRange {
        OptRange(r)
    }
}

impl fmt::Debug for OptRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl std::ops::Index<TextRange> for str {
    type Output = str;
    fn index(&self, r: TextRange) -> &str {
        &self[r.as_usize()]
    }
}

/// How columns are counted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PositionEncoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    Utf16,
    /// Unicode scalar values (the CLI contract: "columns count Unicode characters").
    Utf32,
}

/// A zero-based line and column.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Offsets of line starts, for converting byte offsets to positions and back.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        Self { line_starts, len: text.len() as u32 }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: u32) -> u32 {
        self.line_starts.get(line as usize).copied().unwrap_or(self.len)
    }

    /// The zero-based line that contains `offset`.
    pub fn line_of(&self, offset: u32) -> u32 {
        // Positions are mostly asked for in order (a file's sorted findings), often
        // between two places (a finding, then its fix at the end of the file): the last
        // two lines found on this thread, and the line after each, are tried before a
        // search of the whole index.
        thread_local! {
            static RECENT: std::cell::Cell<(usize, [u32; 2])> = const { std::cell::Cell::new((0, [0, 0])) };
        }
        let id = self.line_starts.as_ptr() as usize;
        let (seen, lines) = RECENT.get();
        let holds = |l: u32| {
            let l = l as usize;
            l < self.line_starts.len() && self.line_starts[l] <= offset && self.line_starts.get(l + 1).is_none_or(|&next| offset < next)
        };
        if seen == id {
            for l in [lines[0], lines[0] + 1, lines[1], lines[1] + 1] {
                if holds(l) {
                    if l != lines[0] {
                        RECENT.set((id, [l, lines[0]]));
                    }
                    return l;
                }
            }
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32,
            Err(i) => (i - 1) as u32,
        };
        RECENT.set((id, [line, if seen == id { lines[0] } else { line }]));
        line
    }

    /// The range of `line` without its line terminator.
    pub fn line_range(&self, text: &str, line: u32) -> TextRange {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end as usize - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end as usize - 1) == Some(&b'\r') {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    /// Converts a byte offset to a line/column in `enc`. Offsets inside a multi-byte
    /// character are rounded down to the character's start.
    pub fn line_col(&self, text: &str, offset: u32, enc: PositionEncoding) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize] as usize;
        let mut end = offset as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = column_width(&text[start..end], enc);
        LineCol { line, col }
    }

    /// Converts a line/column in `enc` back to a byte offset. Columns past the end of
    /// the line clamp to the line end; lines past the end clamp to the text end.
    pub fn offset(&self, text: &str, pos: LineCol, enc: PositionEncoding) -> u32 {
        if pos.line as usize >= self.line_starts.len() {
            return self.len;
        }
        let range = self.line_range(text, pos.line);
        let line = &text[range];
        let mut units = 0u32;
        for (i, ch) in line.char_indices() {
            if units >= pos.col {
                return range.start + i as u32;
            }
            units += char_width(ch, enc);
            if units > pos.col {
                // A position inside a surrogate pair or a UTF-8 sequence: round down.
                return range.start + i as u32;
            }
        }
        range.end
    }
}

pub fn char_width(ch: char, enc: PositionEncoding) -> u32 {
    match enc {
        PositionEncoding::Utf8 => ch.len_utf8() as u32,
        PositionEncoding::Utf16 => ch.len_utf16() as u32,
        PositionEncoding::Utf32 => 1,
    }
}

pub fn column_width(s: &str, enc: PositionEncoding) -> u32 {
    match enc {
        PositionEncoding::Utf8 => s.len() as u32,
        PositionEncoding::Utf16 => s.chars().map(|c| c.len_utf16() as u32).sum(),
        PositionEncoding::Utf32 => s.chars().count() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_found_from_recent_ones_agree_with_a_search() {
        let a = "x\n\nabc\ndefg\n\n\nh\nlast";
        let b = "one line\ntwo\n";
        let (ia, ib) = (LineIndex::new(a), LineIndex::new(b));
        let search = |idx: &LineIndex, o: u32| match idx.line_starts.binary_search(&o) {
            Ok(i) => i as u32,
            Err(i) => (i - 1) as u32,
        };
        // In order, backwards, jumping between two places, and two indexes interleaved.
        let mut asks: Vec<u32> = (0..=a.len() as u32).collect();
        asks.extend((0..=a.len() as u32).rev());
        asks.extend((0..=a.len() as u32).flat_map(|o| [o, a.len() as u32]));
        for o in asks {
            assert_eq!(ia.line_of(o), search(&ia, o), "offset {o}");
            let ob = o.min(b.len() as u32);
            assert_eq!(ib.line_of(ob), search(&ib, ob), "offset {ob} of the other text");
        }
    }

    #[test]
    fn positions_in_every_encoding() {
        let text = "a\n😀x\r\nend";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(idx.line_col(text, x, PositionEncoding::Utf8), LineCol { line: 1, col: 4 });
        assert_eq!(idx.line_col(text, x, PositionEncoding::Utf16), LineCol { line: 1, col: 2 });
        assert_eq!(idx.line_col(text, x, PositionEncoding::Utf32), LineCol { line: 1, col: 1 });
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            let lc = idx.line_col(text, x, enc);
            assert_eq!(idx.offset(text, lc, enc), x);
        }
        assert_eq!(idx.line_range(text, 1), TextRange::new(2, 7));
        assert_eq!(idx.offset(text, LineCol { line: 9, col: 0 }, PositionEncoding::Utf8), text.len() as u32);
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 99 }, PositionEncoding::Utf16), 1);
    }
}
