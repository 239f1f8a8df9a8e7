//! Domain names in canonical form: absolute, lower-case presentation text with a
//! trailing dot, escapes normalised (`\.` inside a label, `\DDD` for bytes outside
//! printable ASCII). Two names are equal exactly when their canonical texts are.

use std::fmt;

/// An absolute domain name in canonical form (`www.example.com.`, root is `.`).
///
/// One pointer wide (the length lives in the shared allocation, not beside the
/// pointer): a zone holds one or two names per record, and a million-record zone is
/// 16 MB lighter than with `Arc<str>`. Equality, order and hashing are those of the text.
#[derive(Clone)]
pub struct Name(Text);

/// The shared, immutable text of a [`Name`] (always UTF-8: built from a `&str`).
#[derive(Clone)]
struct Text(triomphe::ThinArc<(), u8>);

impl Text {
    fn new(s: &str) -> Text {
        Text(triomphe::ThinArc::from_header_and_slice((), s.as_bytes()))
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        // SAFETY: `Text::new` is the only constructor and copies the bytes of a `str`.
        unsafe { std::str::from_utf8_unchecked(&self.0.slice) }
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        *self.0 == *other.0
    }
}

impl Eq for Name {}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        (*self.0).cmp(&*other.0)
    }
}

/// Hashes the text, as `str` does (names are looked up by `&str`, see `Borrow`).
impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (*self.0).hash(state)
    }
}

/// Why text is not a valid domain name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    Empty,
    EmptyLabel,
    LabelTooLong {
        label: String,
        len: usize,
    },
    TooLong {
        len: usize,
    },
    BadEscape,
    /// A relative name with no origin to complete it.
    NoOrigin,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("the name is empty"),
            NameError::EmptyLabel => f.write_str("the name has an empty label (two dots in a row)"),
            NameError::LabelTooLong { label, len } => {
                write!(f, "label `{label}` is {len} octets long; a label holds at most 63 (RFC 1035 §2.3.4)")
            }
            NameError::TooLong { len } => {
                write!(f, "the name is {len} octets long in wire form; at most 255 are allowed (RFC 1035 §2.3.4)")
            }
            NameError::BadEscape => f.write_str("the name has a bad escape (`\\DDD` must be at most 255)"),
            NameError::NoOrigin => f.write_str("relative name with no origin"),
        }
    }
}

impl Name {
    pub fn root() -> Name {
        Name(Text::new("."))
    }

    /// Parses an absolute name (a missing trailing dot is tolerated) — for names from
    /// configuration, the command line and the DNS.
    pub fn parse_absolute(text: &str) -> Result<Name, NameError> {
        if text == "." {
            return Ok(Name::root());
        }
        let text = text.strip_suffix('.').unwrap_or(text);
        canonicalize(text, None)
    }

    /// Parses a name as written in a zone file: `@` is the origin, a name without a
    /// trailing dot is relative to `origin`.
    pub fn parse_in(text: &str, origin: Option<&Name>) -> Result<Name, NameError> {
        if text == "@" {
            return origin.cloned().ok_or(NameError::NoOrigin);
        }
        if text == "." {
            return Ok(Name::root());
        }
        if text.is_empty() {
            return Err(NameError::Empty);
        }
        if let Some(abs) = strip_unescaped_dot(text) {
            canonicalize(abs, None)
        } else {
            match origin {
                Some(o) => canonicalize(text, Some(o)),
                None => Err(NameError::NoOrigin),
            }
        }
    }

    /// Whether [`Name::parse_in`] would accept `text`, without building the name.
    pub fn check_in(text: &str, origin: Option<&Name>) -> Result<(), NameError> {
        let bytes = text.as_bytes();
        let checked = match (text, origin) {
            ("@", None) => return Err(NameError::NoOrigin),
            ("@" | ".", _) => return Ok(()),
            _ if bytes.len() > 1 && bytes.last() == Some(&b'.') => check_plain(&bytes[..bytes.len() - 1], None),
            (_, Some(o)) if !bytes.is_empty() => check_plain(bytes, Some(o)),
            _ => None,
        };
        // Text with escapes (or bytes that need them) takes the way of `parse_in`.
        checked.unwrap_or_else(|| Name::parse_in(text, origin).map(drop))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, borrowed.
    pub fn name_ref(&self) -> NameRef<'_> {
        NameRef(&self.0)
    }

    pub fn is_root(&self) -> bool {
        &*self.0 == "."
    }

    /// Labels from the leftmost, in canonical presentation form.
    pub fn labels(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.name_ref().labels()
    }

    pub fn label_count(&self) -> usize {
        self.labels().count()
    }

    /// The name and its ancestors up to the root, as canonical text (`a.example.`,
    /// `example.`, `.`), without allocating.
    pub fn suffixes(&self) -> impl Iterator<Item = &str> + '_ {
        self.name_ref().suffixes()
    }

    /// The name with its leftmost label removed (`None` for the root).
    pub fn parent(&self) -> Option<Name> {
        self.name_ref().parent().map(NameRef::to_name)
    }

    /// `true` when `self` equals `zone` or lies below it.
    pub fn is_in(&self, zone: &Name) -> bool {
        self.name_ref().is_in(zone.name_ref())
    }

    /// The name relative to `origin`, as it would be written in that zone (`@` for the apex).
    pub fn relative_to(&self, origin: &Name) -> String {
        self.relative_str(origin).to_string()
    }

    /// [`Name::relative_to`], borrowed.
    pub fn relative_str(&self, origin: &Name) -> &str {
        if self == origin {
            return "@";
        }
        if self.is_in(origin) && !origin.is_root() {
            return &self.0[..self.0.len() - origin.0.len() - 1];
        }
        &self.0
    }

    /// `label` + `.` + self.
    pub fn prepend(&self, label: &str) -> Result<Name, NameError> {
        canonicalize(label, Some(self))
    }

    /// The name without its trailing dot, for messages (`example.com`).
    pub fn display_short(&self) -> &str {
        if self.is_root() { "." } else { &self.0[..self.0.len() - 1] }
    }

    /// Wire-format length in octets.
    pub fn wire_len(&self) -> usize {
        if !self.0.as_bytes().contains(&b'\\') {
            // Each dot stands for the length octet of the label after it, and the text's
            // first octet for the first label's: one more for the root label.
            return if self.is_root() { 1 } else { self.0.len() + 1 };
        }
        self.labels().map(|l| decoded_label_len(l) + 1).sum::<usize>() + 1
    }

    /// `true` when the first label is `*`.
    pub fn is_wildcard(&self) -> bool {
        self.labels().next() == Some("*")
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name in canonical form, borrowed from a [`Name`] (or one of its ancestors): asks
/// the same questions without allocating.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct NameRef<'a>(&'a str);

impl<'a> NameRef<'a> {
    pub fn as_str(self) -> &'a str {
        self.0
    }

    pub fn is_root(self) -> bool {
        self.0 == "."
    }

    /// Labels from the leftmost, in canonical presentation form.
    pub fn labels(self) -> impl DoubleEndedIterator<Item = &'a str> {
        LabelIter { rest: if self.is_root() { "" } else { &self.0[..self.0.len() - 1] } }
    }

    pub fn label_count(self) -> usize {
        self.labels().count()
    }

    pub fn first_label(self) -> Option<&'a str> {
        self.labels().next()
    }

    /// The name with its leftmost label removed (`None` for the root).
    pub fn parent(self) -> Option<NameRef<'a>> {
        if self.is_root() {
            return None;
        }
        let first = self.labels().next()?;
        let rest = &self.0[first.len() + 1..];
        Some(NameRef(if rest.is_empty() { "." } else { rest }))
    }

    /// The name and its ancestors up to the root, as canonical text (`a.example.`,
    /// `example.`, `.`).
    pub fn suffixes(self) -> impl Iterator<Item = &'a str> {
        let text = self.0;
        let mut labels = self.labels();
        let mut start = Some(0usize);
        std::iter::from_fn(move || {
            let s = start?;
            start = labels.next().map(|l| (s + l.len() + 1).min(text.len() - 1));
            Some(&text[s..])
        })
    }

    /// `true` when `self` equals `zone` or lies below it.
    pub fn is_in(self, zone: NameRef<'_>) -> bool {
        if zone.is_root() {
            return true;
        }
        let (s, z) = (self.0, zone.0);
        s == z || (s.len() > z.len() && s.ends_with(z) && label_boundary(s, s.len() - z.len()))
    }

    /// The name without its trailing dot, for messages (`example.com`).
    pub fn display_short(self) -> &'a str {
        if self.is_root() { "." } else { &self.0[..self.0.len() - 1] }
    }

    pub fn to_name(self) -> Name {
        Name(Text::new(self.0))
    }

    /// The name and its ancestors up to (not including) the root, most specific first.
    pub fn ancestry(self) -> impl Iterator<Item = NameRef<'a>> {
        self.suffixes().take_while(|s| *s != ".").map(NameRef)
    }
}

impl<'a> From<&'a Name> for NameRef<'a> {
    fn from(n: &'a Name) -> Self {
        NameRef(&n.0)
    }
}

impl<'a> From<&&'a Name> for NameRef<'a> {
    fn from(n: &&'a Name) -> Self {
        NameRef(&n.0)
    }
}

impl fmt::Display for NameRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A name is looked up in sets and maps by its canonical text (the hashes agree: both
/// hash the `str`).
impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<NameRef<'_>> for Name {
    fn eq(&self, other: &NameRef<'_>) -> bool {
        *self.0 == *other.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({})", &*self.0)
    }
}

struct LabelIter<'a> {
    rest: &'a str,
}

impl<'a> Iterator for LabelIter<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let end = find_unescaped_dot(self.rest).unwrap_or(self.rest.len());
        let label = &self.rest[..end];
        self.rest = if end < self.rest.len() { &self.rest[end + 1..] } else { "" };
        Some(label)
    }
}

impl<'a> DoubleEndedIterator for LabelIter<'a> {
    fn next_back(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        // Find the last dot that is not escaped.
        let bytes = self.rest.as_bytes();
        let mut cut = None;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'.' => {
                    cut = Some(i);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        match cut {
            Some(c) => {
                let label = &self.rest[c + 1..];
                self.rest = &self.rest[..c];
                Some(label)
            }
            None => {
                let label = self.rest;
                self.rest = "";
                Some(label)
            }
        }
    }
}

fn label_boundary(s: &str, at: usize) -> bool {
    // `at` is where the zone suffix starts; the byte before must be an unescaped dot.
    if at == 0 || s.as_bytes()[at - 1] != b'.' {
        return false;
    }
    let backslashes = s.as_bytes()[..at - 1].iter().rev().take_while(|&&b| b == b'\\').count();
    backslashes % 2 == 0
}

fn find_unescaped_dot(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'.' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `Some(text without the final dot)` when the name ends in an unescaped dot.
fn strip_unescaped_dot(text: &str) -> Option<&str> {
    let body = text.strip_suffix('.')?;
    let backslashes = body.as_bytes().iter().rev().take_while(|&&b| b == b'\\').count();
    (backslashes % 2 == 0).then_some(body)
}

fn decoded_label_len(label: &str) -> usize {
    let b = label.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            if b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 4;
            } else {
                i += 2;
            }
        } else {
            i += 1;
        }
        n += 1;
    }
    n
}

/// Bytes that may stand unescaped in canonical presentation form.
fn is_plain(b: u8) -> bool {
    PLAIN[b as usize]
}

const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'_'
                    | b'*'
                    | b'/'
                    | b'+'
                    | b'='
                    | b'#'
                    | b'!'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b','
                    | b':'
                    | b'<'
                    | b'>'
                    | b'?'
                    | b'['
                    | b']'
                    | b'^'
                    | b'`'
                    | b'{'
                    | b'|'
                    | b'}'
                    | b'~'
            );
        b += 1;
    }
    t
};

/// Builds the canonical form of `text` (relative, without trailing dot) under `origin`.
fn canonicalize(text: &str, origin: Option<&Name>) -> Result<Name, NameError> {
    if text.is_empty() {
        return Err(NameError::EmptyLabel);
    }
    let bytes = text.as_bytes();
    if let Some(checked) = check_plain(bytes, origin) {
        checked?;
        return canonicalize_plain(bytes, origin);
    }
    let mut out = String::with_capacity(text.len() + origin.map_or(1, |o| o.0.len() + 1));
    let mut wire = 1usize; // the root label
    let mut label_len = 0usize;
    let mut label_start = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let decoded = if b == b'\\' {
            let Some(&next) = bytes.get(i + 1) else {
                return Err(NameError::BadEscape);
            };
            if next.is_ascii_digit() {
                let digits = bytes.get(i + 1..i + 4).ok_or(NameError::BadEscape)?;
                if !digits.iter().all(u8::is_ascii_digit) {
                    return Err(NameError::BadEscape);
                }
                let v = (digits[0] - b'0') as u32 * 100 + (digits[1] - b'0') as u32 * 10 + (digits[2] - b'0') as u32;
                if v > 255 {
                    return Err(NameError::BadEscape);
                }
                i += 4;
                v as u8
            } else {
                i += 2;
                next
            }
        } else if b == b'.' {
            finish_label(&out, label_start, label_len, &mut wire)?;
            out.push('.');
            label_len = 0;
            label_start = out.len();
            i += 1;
            continue;
        } else {
            i += 1;
            b
        };
        push_canonical_byte(&mut out, decoded.to_ascii_lowercase());
        label_len += 1;
    }
    finish_label(&out, label_start, label_len, &mut wire)?;
    out.push('.');
    if let Some(o) = origin
        && !o.is_root()
    {
        out.push_str(&o.0);
        wire += o.wire_len() - 1;
    }
    if wire > 255 {
        return Err(NameError::TooLong { len: wire });
    }
    Ok(Name(Text::new(&out)))
}

/// [`canonicalize`] for text of plain bytes and dots only (no escapes) that passed
/// [`check_plain`]: the common case, built in one allocation.
fn canonicalize_plain(bytes: &[u8], origin: Option<&Name>) -> Result<Name, NameError> {
    let origin = origin.filter(|o| !o.is_root());
    // Built on the stack, then allocated once (an origin written with `\DDD` escapes
    // can make the text longer than the buffer).
    let len = bytes.len() + 1 + origin.map_or(0, |o| o.0.len());
    let mut buf = [0u8; 256];
    let mut heap = Vec::new();
    let out: &mut [u8] = if len <= buf.len() {
        &mut buf[..len]
    } else {
        heap.resize(len, 0);
        &mut heap
    };
    for (o, &b) in out.iter_mut().zip(bytes) {
        *o = b.to_ascii_lowercase();
    }
    out[bytes.len()] = b'.';
    if let Some(o) = origin {
        out[bytes.len() + 1..].copy_from_slice(o.0.as_bytes());
    }
    let text = std::str::from_utf8(out).map_err(|_| NameError::BadEscape)?;
    Ok(Name(Text::new(text)))
}

/// The checks of a name written in plain bytes and dots (no escapes), in one pass:
/// labels of 1 to 63 octets, at most 255 in all with `origin`. `None` when some byte is
/// neither plain nor a dot: the text then needs the escape-aware reading, which finds
/// the same errors in the same order (every byte before the first such one is plain).
fn check_plain(bytes: &[u8], origin: Option<&Name>) -> Option<Result<(), NameError>> {
    let mut wire = 1usize; // the root label
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' {
            if let Err(e) = plain_label(&bytes[start..i], &mut wire) {
                return Some(Err(e));
            }
            start = i + 1;
        } else if !is_plain(b) {
            return None;
        }
    }
    if let Err(e) = plain_label(&bytes[start..], &mut wire) {
        return Some(Err(e));
    }
    if let Some(o) = origin.filter(|o| !o.is_root()) {
        // A name's wire form is at most one octet longer than its text: only a long
        // origin needs measuring.
        wire += if wire + o.0.len() <= 255 { o.0.len() } else { o.wire_len() - 1 };
    }
    if wire > 255 {
        return Some(Err(NameError::TooLong { len: wire }));
    }
    Some(Ok(()))
}

/// A label of plain bytes: 1 to 63 of them; adds its wire length to `wire`.
fn plain_label(label: &[u8], wire: &mut usize) -> Result<(), NameError> {
    match label.len() {
        0 => Err(NameError::EmptyLabel),
        len @ 64.. => Err(NameError::LabelTooLong { label: crate::util::lossy(label).to_ascii_lowercase(), len }),
        len => {
            *wire += len + 1;
            Ok(())
        }
    }
}

fn finish_label(out: &str, start: usize, len: usize, wire: &mut usize) -> Result<(), NameError> {
    if len == 0 {
        return Err(NameError::EmptyLabel);
    }
    if len > 63 {
        return Err(NameError::LabelTooLong { label: out[start..].to_string(), len });
    }
    *wire += len + 1;
    Ok(())
}

fn push_canonical_byte(out: &mut String, b: u8) {
    if is_plain(b) {
        out.push(b as char);
    } else if b.is_ascii_graphic() {
        out.push('\\');
        out.push(b as char);
    } else {
        out.push('\\');
        out.push((b'0' + b / 100) as char);
        out.push((b'0' + b / 10 % 10) as char);
        out.push((b'0' + b % 10) as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        Name::parse_absolute(s).unwrap()
    }

    #[test]
    fn relative_absolute_and_apex() {
        let o = n("Example.COM.");
        assert_eq!(o.as_str(), "example.com.");
        assert_eq!(Name::parse_in("WWW", Some(&o)).unwrap().as_str(), "www.example.com.");
        assert_eq!(Name::parse_in("@", Some(&o)).unwrap(), o);
        assert_eq!(Name::parse_in("mail.example.net.", Some(&o)).unwrap().as_str(), "mail.example.net.");
        assert_eq!(Name::parse_in("www", None), Err(NameError::NoOrigin));
        assert_eq!(Name::parse_in(".", Some(&o)).unwrap(), Name::root());
    }

    #[test]
    fn escapes_are_normalised() {
        let o = n("example.com");
        let a = Name::parse_in("a\\.b", Some(&o)).unwrap();
        assert_eq!(a.as_str(), "a\\.b.example.com.");
        assert_eq!(a.label_count(), 3);
        assert_eq!(Name::parse_in("\\065bc", Some(&o)).unwrap().as_str(), "abc.example.com.");
        assert_eq!(Name::parse_in("a\\032b", Some(&o)).unwrap().as_str(), "a\\032b.example.com.");
        assert_eq!(Name::parse_in("a\\256", Some(&o)), Err(NameError::BadEscape));
        assert_eq!(Name::parse_in("trailing\\.", Some(&o)).unwrap().as_str(), "trailing\\..example.com.");
    }

    #[test]
    fn limits() {
        let long = "a".repeat(64);
        assert!(matches!(Name::parse_absolute(&long), Err(NameError::LabelTooLong { len: 64, .. })));
        let many = vec!["abcdefghi"; 26].join(".");
        assert!(matches!(Name::parse_absolute(&many), Err(NameError::TooLong { .. })));
        assert_eq!(Name::parse_absolute("a..b"), Err(NameError::EmptyLabel));
    }

    #[test]
    fn check_in_agrees_with_parse_in() {
        let o = n("example.com");
        let long = format!("{}.x", "a".repeat(64));
        let deep = vec!["abcdefghi"; 26].join(".");
        for text in
            ["www", "WWW.Sub", "mail.example.net.", "@", ".", "", "a..b", "a.", "..", "a\\.b", "a\\256", &long, &deep, "x.", "_dmarc"]
        {
            for origin in [Some(&o), Some(&Name::root()), None] {
                assert_eq!(Name::check_in(text, origin), Name::parse_in(text, origin).map(drop), "{text:?} under {origin:?}");
            }
        }
    }

    #[test]
    fn hierarchy() {
        let z = n("example.com");
        let w = n("a.b.example.com");
        assert!(w.is_in(&z));
        assert!(!n("badexample.com").is_in(&z));
        assert!(z.is_in(&z));
        assert_eq!(w.parent().unwrap().as_str(), "b.example.com.");
        assert_eq!(w.relative_to(&z), "a.b");
        assert_eq!(z.relative_to(&z), "@");
        assert_eq!(n("com").parent().unwrap(), Name::root());
        assert_eq!(w.labels().next_back(), Some("com"));
        assert_eq!(w.wire_len(), 17);
    }

    #[test]
    fn plain_names_under_an_escaped_origin() {
        // 60 octets of origin written as 240 characters: the text outgrows the wire form.
        let origin = Name::parse_absolute(&["\\001".repeat(30), "\\002".repeat(30)].join(".")).unwrap();
        assert_eq!(origin.wire_len(), 63);
        let n = Name::parse_in("www.sub", Some(&origin)).unwrap();
        assert_eq!(n.wire_len(), 63 + 8);
        assert!(n.as_str().starts_with("www.sub.\\001"));
        let long = vec!["a".repeat(60); 3].join(".");
        assert_eq!(Name::parse_in(&long, Some(&origin)).map(|n| n.wire_len()), Ok(246));
        let too_long = vec!["a".repeat(60); 4].join(".");
        assert_eq!(Name::parse_in(&too_long, Some(&origin)), Err(NameError::TooLong { len: 307 }));
        assert_eq!(Name::check_in(&too_long, Some(&origin)), Err(NameError::TooLong { len: 307 }));
    }
}
