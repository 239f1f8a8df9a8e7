//! Tag lists (RFC 6376 §3.2), the syntax of DKIM key records, DMARC, MTA-STS, TLS-RPT
//! and BIMI records: `tag=value; tag=value;`.
//!
//! ```text
//! tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//! tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//! tag-name  =  ALPHA *ALNUMPUNC
//! tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
//! tval      =  1*VALCHAR          ; %x21-3A / %x3C-7E
//! ```
//!
//! Offsets are into the decoded record value; callers map them to the file.

use std::ops::Range;

/// One `name=value` pair, borrowed from its [`TagList`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    /// The name (lower-cased when the list was parsed with `case_fold`).
    pub name: &'a str,
    pub name_range: Range<u32>,
    /// The value with surrounding white space removed (inner white space kept).
    pub value: &'a str,
    pub value_range: Range<u32>,
    /// From the start of the name to the end of the value.
    pub range: Range<u32>,
    /// The whole tag-spec including its `;` separator (for deleting it).
    pub spec_range: Range<u32>,
}

/// Where a tag lies in the value: the name, the value, and the whole tag-spec.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Span {
    name: (u32, u32),
    value: (u32, u32),
    spec: (u32, u32),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagError {
    pub range: Range<u32>,
    pub message: String,
}

/// The tags of a value. The value is kept as one string and each tag as offsets into
/// it (a tag is then four words, with no allocation of its own: a large zone holds tens
/// of thousands of DKIM and DMARC records).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagList {
    /// The value, tag names lower-cased under `case_fold`; bytes of a value that is not
    /// UTF-8 are each replaced by `?` here, so offsets still match the value.
    text: Box<str>,
    spans: Vec<Span>,
    /// For a value that is not UTF-8 only: each tag's value decoded lossily.
    lossy: Vec<Box<str>>,
    pub errors: Vec<TagError>,
    /// Tags that occur more than once: (first index, later index).
    pub duplicates: Vec<(usize, usize)>,
}

impl TagList {
    pub fn get(&self, name: &str) -> Option<Tag<'_>> {
        self.position(name).map(|i| self.tag(i))
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        // Compared as bytes: names are ASCII, and the rules ask for a few tags of every
        // record.
        let text = self.text.as_bytes();
        let name = name.as_bytes();
        self.spans.iter().position(|s| text.get(s.name.0 as usize..s.name.1 as usize) == Some(name))
    }

    /// The tag at index `i` (in the order written).
    pub fn tag(&self, i: usize) -> Tag<'_> {
        let s = &self.spans[i];
        Tag {
            name: self.slice(s.name),
            name_range: s.name.0..s.name.1,
            value: self.lossy.get(i).map_or_else(|| self.slice(s.value), |v| &**v),
            value_range: s.value.0..s.value.1,
            range: s.name.0..s.value.1,
            spec_range: s.spec.0..s.spec.1,
        }
    }

    pub fn first(&self) -> Option<Tag<'_>> {
        (!self.spans.is_empty()).then(|| self.tag(0))
    }

    pub fn iter(&self) -> impl Iterator<Item = Tag<'_>> {
        (0..self.spans.len()).map(|i| self.tag(i))
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn slice(&self, (start, end): (u32, u32)) -> &str {
        &self.text[start as usize..end as usize]
    }
}

fn is_wsp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Parses a tag list. Tag names are compared case-sensitively, as RFC 6376 §3.2
/// requires; `case_fold` lower-cases names first (DMARC receivers are lenient).
pub fn parse(value: &[u8], case_fold: bool) -> TagList {
    let mut spans: Vec<Span> = Vec::with_capacity(memchr::memchr_iter(b';', value).count() + 1);
    let mut list = TagList::default();
    let mut pos = 0usize;
    let len = value.len();
    while pos <= len {
        let spec_start = pos;
        let end = memchr::memchr(b';', &value[pos..]).map_or(len, |i| pos + i);
        let seg = &value[pos..end];
        let next = if end < len { end + 1 } else { len + 1 };
        let spec_end = end.min(len) + usize::from(end < len);
        // An empty segment is fine only as the last one (after a trailing `;`).
        if seg.iter().all(|&b| is_wsp(b)) {
            if end < len {
                list.errors
                    .push(TagError { range: end as u32..end as u32 + 1, message: "empty tag before this `;` (RFC 6376 §3.2)".into() });
            }
            pos = next;
            continue;
        }
        let lead = seg.iter().take_while(|&&b| is_wsp(b)).count();
        let name_start = pos + lead;
        let Some(eq) = memchr::memchr(b'=', seg) else {
            let trail = seg.iter().rev().take_while(|&&b| is_wsp(b)).count();
            list.errors.push(TagError {
                range: name_start as u32..(end - trail) as u32,
                message: format!("`{}` has no `=`: every tag is written `name=value`", crate::util::lossy(&value[name_start..end - trail])),
            });
            pos = next;
            continue;
        };
        let eq = pos + eq;
        let name_end = name_start + value[name_start..eq].iter().take_while(|&&b| !is_wsp(b)).count();
        let raw_name = &value[name_start..name_end];
        let mut ok = true;
        if raw_name.is_empty() {
            list.errors.push(TagError { range: name_start as u32..eq as u32 + 1, message: "a tag is missing its name before `=`".into() });
            ok = false;
        } else if !raw_name[0].is_ascii_alphabetic() || !raw_name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_') {
            list.errors.push(TagError {
                range: name_start as u32..name_end as u32,
                message: format!("`{}` is not a tag name (a letter, then letters, digits or `_`)", crate::util::lossy(raw_name)),
            });
            ok = false;
        }
        if !value[name_end..eq].iter().all(|&b| is_wsp(b)) {
            list.errors.push(TagError { range: name_start as u32..eq as u32, message: "a tag name cannot contain white space".into() });
            ok = false;
        }
        let vstart = eq + 1 + value[eq + 1..end].iter().take_while(|&&b| is_wsp(b)).count();
        let vend = end - value[vstart..end].iter().rev().take_while(|&&b| is_wsp(b)).count();
        let vend = vend.max(vstart);
        if let Some(bad) = value[vstart..vend].iter().position(|&b| !(is_wsp(b) || (0x21..=0x7e).contains(&b))) {
            let at = vstart + bad;
            // Report the whole UTF-8 character, not one byte of it.
            let width = match value[at] {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            };
            list.errors.push(TagError {
                range: at as u32..(at + width).min(vend) as u32,
                message: "a tag value may only hold visible ASCII characters and white space".into(),
            });
        }
        if ok {
            let name = &value[name_start..name_end];
            let same = |s: &Span| {
                let other = &value[s.name.0 as usize..s.name.1 as usize];
                if case_fold { other.eq_ignore_ascii_case(name) } else { other == name }
            };
            if let Some(first) = spans.iter().position(same) {
                list.duplicates.push((first, spans.len()));
            }
            spans.push(Span {
                name: (name_start as u32, name_end as u32),
                value: (vstart as u32, vend as u32),
                spec: (spec_start as u32, spec_end as u32),
            });
        }
        pos = next;
    }
    let mut text = match std::str::from_utf8(value) {
        Ok(s) => String::from(s),
        Err(_) => {
            list.lossy = spans.iter().map(|s| crate::util::lossy(&value[s.value.0 as usize..s.value.1 as usize]).into()).collect();
            value.iter().map(|&b| if b.is_ascii() { b as char } else { '?' }).collect()
        }
    };
    if case_fold {
        for s in &spans {
            text[s.name.0 as usize..s.name.1 as usize].make_ascii_lowercase();
        }
    }
    list.text = text.into_boxed_str();
    list.spans = spans;
    list
}

/// Splits a tag value on `sep`, trimming white space: (item, its range).
pub fn split_value(tag: &Tag<'_>, sep: u8) -> Vec<(String, Range<u32>)> {
    let bytes = tag.value.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..=bytes.len() {
        if i == bytes.len() || bytes[i] == sep {
            let seg = &bytes[start..i];
            let lead = seg.iter().take_while(|&&b| is_wsp(b)).count();
            let trail = seg.iter().rev().take_while(|&&b| is_wsp(b)).count();
            let s = start + lead;
            let e = (i - trail).max(s);
            out.push((crate::util::lossy(&bytes[s..e]).into_owned(), tag.value_range.start + s as u32..tag.value_range.start + e as u32));
            start = i + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<(String, String)> {
        parse(s.as_bytes(), false).iter().map(|t| (t.name.to_string(), t.value.to_string())).collect()
    }

    #[test]
    fn parses_with_white_space_and_trailing_separator() {
        assert_eq!(
            names("v=DKIM1; k = rsa ;p=MIGf MA0G;"),
            [("v".into(), "DKIM1".into()), ("k".into(), "rsa".into()), ("p".into(), "MIGf MA0G".into())]
        );
        let l = parse(b"v=DKIM1; p=", false);
        assert!(l.errors.is_empty());
        assert_eq!(l.get("p").unwrap().value, "");
        assert!(parse(b"v=DKIM1;  ", false).errors.is_empty());
    }

    #[test]
    fn reports_errors_with_ranges() {
        let l = parse(b"v=DKIM1; p MIGf; 1x=y", false);
        assert_eq!(l.errors.len(), 2);
        assert_eq!(l.errors[0].range, 9..15);
        assert_eq!(l.errors[1].range, 17..19);
        let l = parse(b"v=DKIM1;; p=x", false);
        assert_eq!(l.errors.len(), 1);
        let l = parse(b"p=a; p=b", false);
        assert_eq!(l.duplicates, vec![(0, 1)]);
        let l = parse("p=a–b".as_bytes(), false);
        assert_eq!(l.errors[0].range, 3..6);
    }

    #[test]
    fn folded_names_keep_offsets_and_find_duplicates() {
        let l = parse(b"V=DMARC1; P=none; p=reject", true);
        assert_eq!(l.tag(0).name, "v");
        assert_eq!(l.get("p").map(|t| (t.value, t.range)), Some(("none", 10..16)));
        assert_eq!(l.duplicates, vec![(1, 2)]);
        assert_eq!(parse(b"V=DKIM1", false).get("v"), None, "DKIM tag names are case-sensitive");
    }

    #[test]
    fn a_value_that_is_not_utf8_keeps_its_offsets() {
        let l = parse(b"a=\xffb; c=d\xe2\x80", false);
        assert_eq!(l.len(), 2);
        assert_eq!(l.tag(0).value, "\u{fffd}b");
        assert_eq!(l.tag(0).value_range, 2..4);
        assert_eq!(l.tag(1).name, "c");
        assert_eq!(l.tag(1).name_range, 6..7);
        assert_eq!(l.tag(1).value, "d\u{fffd}");
    }

    #[test]
    fn splits_values() {
        let l = parse(b"rua=mailto:a@x.org, mailto:b@y.org", false);
        let parts = split_value(&l.get("rua").unwrap(), b',');
        assert_eq!(parts[1].0, "mailto:b@y.org");
        assert_eq!(parts[1].1, 20..34);
    }
}
