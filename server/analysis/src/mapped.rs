//! Decoded text with a map back to the bytes of the source file.
//!
//! A TXT value is what the record's character-strings decode to and join into; a
//! finding on a term of that value must underline the characters in the file, through
//! quotes, `\X`/`\DDD` escapes and string joins (and, for host formats, through the
//! host's own escaping).

use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seg {
    /// Offset in the decoded value.
    val: u32,
    /// Offset in the source file.
    src: u32,
    val_len: u32,
    src_len: u32,
}

impl Seg {
    fn identity(&self) -> bool {
        self.val_len == self.src_len
    }
}

/// Bytes decoded from one or more source pieces, with their source positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MappedText {
    pub bytes: Vec<u8>,
    segs: Vec<Seg>,
    /// Where each joined piece (character-string) starts in `bytes`, and its source
    /// range (the whole token, quotes included).
    pieces: Vec<(u32, TextRange)>,
}

impl MappedText {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `bytes` decoded bytes in `pieces` pieces, each copied verbatim.
    pub fn with_capacity(bytes: usize, pieces: usize) -> Self {
        MappedText { bytes: Vec::with_capacity(bytes), segs: Vec::with_capacity(pieces), pieces: Vec::with_capacity(pieces) }
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Starts a new piece (a character-string whose token spans `token`).
    pub fn begin_piece(&mut self, token: TextRange) {
        self.pieces.push((self.bytes.len() as u32, token));
    }

    /// Appends bytes copied one-for-one from `src_start` in the source.
    pub fn push_verbatim(&mut self, bytes: &[u8], src_start: u32) {
        if bytes.is_empty() {
            return;
        }
        let val = self.bytes.len() as u32;
        let n = bytes.len() as u32;
        if let Some(last) = self.segs.last_mut()
            && last.identity()
            && last.val + last.val_len == val
            && last.src + last.src_len == src_start
        {
            last.val_len += n;
            last.src_len += n;
            self.bytes.extend_from_slice(bytes);
            return;
        }
        self.segs.push(Seg { val, src: src_start, val_len: n, src_len: n });
        self.bytes.extend_from_slice(bytes);
    }

    /// Appends one decoded byte that came from `src` (an escape such as `\;` or `\059`).
    pub fn push_escaped(&mut self, byte: u8, src: TextRange) {
        let val = self.bytes.len() as u32;
        self.segs.push(Seg { val, src: src.start, val_len: 1, src_len: src.len().max(1) });
        self.bytes.push(byte);
    }

    /// Appends bytes that all come from one source range (a host escape decoding to
    /// several bytes, or synthesized text pointing at its origin).
    pub fn push_mapped(&mut self, bytes: &[u8], src: TextRange) {
        if bytes.is_empty() {
            return;
        }
        let val = self.bytes.len() as u32;
        let n = bytes.len() as u32;
        // Mark as non-identity even when lengths agree by recording it as one unit each byte.
        if n == src.len() && n > 0 {
            for (i, &b) in bytes.iter().enumerate() {
                self.segs.push(Seg { val: val + i as u32, src: src.start, val_len: 1, src_len: src.len() });
                self.bytes.push(b);
            }
            return;
        }
        self.segs.push(Seg { val, src: src.start, val_len: n, src_len: src.len() });
        self.bytes.extend_from_slice(bytes);
    }

    /// Appends the decoded bytes of `other` with their map (its pieces are not carried
    /// over: the caller decides where pieces begin).
    pub fn append(&mut self, other: &MappedText) {
        let shift = self.bytes.len() as u32;
        for s in &other.segs {
            if s.identity() {
                let start = (s.val) as usize;
                self.push_verbatim(&other.bytes[start..start + s.val_len as usize], s.src);
            } else {
                self.segs.push(Seg { val: s.val + shift, ..*s });
                self.bytes.extend_from_slice(&other.bytes[s.val as usize..(s.val + s.val_len) as usize]);
            }
        }
    }

    fn seg_at(&self, val: u32) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.val + s.val_len <= val);
        self.segs.get(i)
    }

    /// Source offset where the decoded byte at `val` starts.
    pub fn src_start(&self, val: u32) -> u32 {
        match self.seg_at(val) {
            Some(s) if s.identity() => s.src + (val - s.val),
            Some(s) => s.src,
            None => self.segs.last().map_or(0, |s| s.src + s.src_len),
        }
    }

    /// Source offset just after the decoded byte at `val`.
    pub fn src_end_of(&self, val: u32) -> u32 {
        match self.seg_at(val) {
            Some(s) if s.identity() => s.src + (val - s.val) + 1,
            Some(s) => s.src + s.src_len,
            None => self.segs.last().map_or(0, |s| s.src + s.src_len),
        }
    }

    /// The source range covering decoded bytes `start..end`. Across a string join it
    /// covers both pieces (and the join between them). An empty range maps to a point.
    pub fn src_range(&self, start: u32, end: u32) -> TextRange {
        if self.segs.is_empty() {
            return self.pieces.first().map_or(TextRange::default(), |p| p.1);
        }
        if end <= start {
            let at = if (start as usize) < self.bytes.len() { self.src_start(start) } else { self.end_offset() };
            return TextRange::at(at);
        }
        TextRange::new(self.src_start(start), self.src_end_of(end - 1))
    }

    /// The source ranges of each piece that `start..end` touches, trimmed to it.
    pub fn src_pieces(&self, start: u32, end: u32) -> Vec<TextRange> {
        let mut out = Vec::new();
        for (i, &(pstart, _)) in self.pieces.iter().enumerate() {
            let pend = self.pieces.get(i + 1).map_or(self.bytes.len() as u32, |p| p.0);
            let s = start.max(pstart);
            let e = end.min(pend);
            if s < e {
                out.push(TextRange::new(self.src_start(s), self.src_end_of(e - 1)));
            }
        }
        out
    }

    /// Source offset just after the last decoded byte.
    pub fn end_offset(&self) -> u32 {
        self.segs.last().map_or(0, |s| s.src + s.src_len)
    }

    /// Decoded offsets where a new piece starts (string joins), excluding the first.
    pub fn joins(&self) -> impl Iterator<Item = u32> + '_ {
        self.pieces.iter().skip(1).map(|p| p.0)
    }

    pub fn pieces(&self) -> &[(u32, TextRange)] {
        &self.pieces
    }

    /// Source range of piece `i` (its whole token).
    pub fn piece_token(&self, i: usize) -> Option<TextRange> {
        self.pieces.get(i).map(|p| p.1)
    }

    /// The piece index that decoded offset `val` falls in.
    pub fn piece_of(&self, val: u32) -> usize {
        self.pieces.partition_point(|p| p.0 <= val).saturating_sub(1)
    }

    /// Decoded byte `val` maps to its source byte one-for-one (no escape), so an edit
    /// there can be made on the source text directly.
    pub fn is_verbatim(&self, start: u32, end: u32) -> bool {
        if start >= end {
            return true;
        }
        match (self.seg_at(start), self.seg_at(end - 1)) {
            (Some(a), Some(b)) => a == b && a.identity(),
            _ => false,
        }
    }

    /// The decoded offset whose source bytes include `src`, if any (the inverse map, for
    /// hover and completion: which term is under the cursor).
    pub fn val_at(&self, src: u32) -> Option<u32> {
        let i = self.segs.partition_point(|s| s.src + s.src_len <= src);
        let s = self.segs.get(i)?;
        if src < s.src {
            return None;
        }
        Some(if s.identity() { s.val + (src - s.src) } else { s.val })
    }

    pub fn as_str_lossy(&self) -> std::borrow::Cow<'_, str> {
        crate::util::lossy(&self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_escapes_and_joins() {
        // source:  "ab\;c" "de"
        //          0123456789012
        let mut m = MappedText::new();
        m.begin_piece(TextRange::new(0, 7));
        m.push_verbatim(b"ab", 1);
        m.push_escaped(b';', TextRange::new(3, 5));
        m.push_verbatim(b"c", 5);
        m.begin_piece(TextRange::new(8, 12));
        m.push_verbatim(b"de", 9);
        assert_eq!(m.bytes, b"ab;cde");
        assert_eq!(m.src_range(2, 3), TextRange::new(3, 5));
        assert_eq!(m.src_range(0, 2), TextRange::new(1, 3));
        assert_eq!(m.src_range(3, 5), TextRange::new(5, 10));
        assert_eq!(m.src_pieces(3, 5), vec![TextRange::new(5, 6), TextRange::new(9, 10)]);
        assert_eq!(m.joins().collect::<Vec<_>>(), vec![4]);
        assert!(m.is_verbatim(0, 2));
        assert!(!m.is_verbatim(1, 3));
        assert_eq!(m.piece_of(4), 1);
        assert_eq!(m.val_at(1), Some(0));
        assert_eq!(m.val_at(4), Some(2));
        assert_eq!(m.val_at(9), Some(4));
        assert_eq!(m.val_at(7), None);
    }
}
