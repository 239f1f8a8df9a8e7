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

/// One `name=value` pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub name_range: Range<u32>,
    /// The value with surrounding white space removed (inner white space kept).
    pub value: String,
    pub value_range: Range<u32>,
    /// From the start of the name to the end of the value.
    pub range: Range<u32>,
    /// The whole tag-spec including its `;` separator (for deleting it).
    pub spec_range: Range<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagError {
    pub range: Range<u32>,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagList {
    pub tags: Vec<Tag>,
    pub errors: Vec<TagError>,
    /// Tags that occur more than once: (first index, later index).
    pub duplicates: Vec<(usize, usize)>,
}

impl TagList {
    pub fn get(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        self.tags.iter().position(|t| t.name == name)
    }
}

fn is_wsp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Parses a tag list. Tag names are compared case-sensitively, as RFC 6376 §3.2
/// requires; `case_fold` lower-cases names first (DMARC receivers are lenient).
pub fn parse(value: &[u8], case_fold: bool) -> TagList {
    let mut list = TagList { tags: Vec::with_capacity(memchr::memchr_iter(b';', value).count() + 1), ..TagList::default() };
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
            let mut name = crate::util::lossy(raw_name).into_owned();
            if case_fold {
                name.make_ascii_lowercase();
            }
            let tag = Tag {
                value: crate::util::lossy(&value[vstart..vend]).into_owned(),
                name_range: name_start as u32..name_end as u32,
                value_range: vstart as u32..vend as u32,
                range: name_start as u32..vend as u32,
                spec_range: spec_start as u32..spec_end as u32,
                name,
            };
            if let Some(first) = list.tags.iter().position(|t| t.name == tag.name) {
                list.duplicates.push((first, list.tags.len()));
            }
            list.tags.push(tag);
        }
        pos = next;
    }
    list
}

/// Splits a tag value on `sep`, trimming white space: (item, its range).
pub fn split_value(tag: &Tag, sep: u8) -> Vec<(String, Range<u32>)> {
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
        parse(s.as_bytes(), false).tags.into_iter().map(|t| (t.name, t.value)).collect()
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
    fn splits_values() {
        let l = parse(b"rua=mailto:a@x.org, mailto:b@y.org", false);
        let parts = split_value(l.get("rua").unwrap(), b',');
        assert_eq!(parts[1].0, "mailto:b@y.org");
        assert_eq!(parts[1].1, 20..34);
    }
}
