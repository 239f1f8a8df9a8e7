//! Findings, their fixes, and the edits those fixes make.

use std::fmt;

use crate::rules::Rule;
use crate::text::TextRange;

/// Index of a source file in the [`crate::source::SourceDb`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct FileId(pub u32);

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether applying a fix can change what the record means.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Applicability {
    /// Keeps what the record was meant to allow; `--fix` and "fix all" apply it.
    Safe,
    /// Changes behaviour (the title says how); offered in the editor only.
    Unsafe,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Edit {
    pub file: FileId,
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(file: FileId, range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit { file, range, new_text: exact(new_text.into()) }
    }
    pub fn insert(file: FileId, at: u32, new_text: impl Into<String>) -> Edit {
        Edit { file, range: TextRange::at(at), new_text: exact(new_text.into()) }
    }
    pub fn delete(file: FileId, range: TextRange) -> Edit {
        Edit { file, range, new_text: String::new() }
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Fix {
    /// Most titles are fixed text: no copy of them per finding.
    pub title: std::borrow::Cow<'static, str>,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<std::borrow::Cow<'static, str>>, edits: Vec<Edit>) -> Fix {
        Fix { title: exact_title(title.into()), applicability: Applicability::Safe, edits }
    }
    pub fn unsafe_(title: impl Into<std::borrow::Cow<'static, str>>, edits: Vec<Edit>) -> Fix {
        Fix { title: exact_title(title.into()), applicability: Applicability::Unsafe, edits }
    }
}

/// A second location that belongs to a finding (the other SPF record, the CNAME target).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Related {
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub file: FileId,
    pub range: TextRange,
    pub message: Box<str>,
    /// Thin lists (one pointer each, no allocation when empty): a check can hold a
    /// hundred thousand findings, most with no related location and one fix.
    pub related: thin_vec::ThinVec<Related>,
    pub fixes: thin_vec::ThinVec<Fix>,
    /// Start of the record the finding is about; a suppression comment on the line
    /// before the record also silences it (records can span lines).
    pub record_start: Option<u32>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, file: FileId, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity,
            file,
            range,
            message: exact(message.into()).into_boxed_str(),
            related: thin_vec::ThinVec::new(),
            fixes: thin_vec::ThinVec::new(),
            record_start: None,
        }
    }

    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds a fix; one without edits (the change cannot be written in this file's
    /// syntax) is not offered.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        if !fix.edits.is_empty() {
            // Most findings have one fix: room for exactly that (a first push would
            // make room for four).
            self.fixes.reserve_exact(1);
            self.fixes.push(fix);
        }
        self
    }

    pub fn with_related(mut self, file: FileId, range: TextRange, message: impl Into<String>) -> Self {
        self.related.reserve_exact(1);
        self.related.push(Related { file, range, message: exact(message.into()) });
        self
    }

    pub fn for_record(mut self, record_start: u32) -> Self {
        self.record_start = Some(record_start);
        self
    }
}

/// `s` in an allocation of its own length when it has much more room than that.
///
/// `format!` makes room for twice its literal text: a message is kept in up to twice
/// its length. A check can keep a hundred thousand findings until the report, and
/// the allocator keeps a block that shrinks by less than half where it is.
fn exact(s: String) -> String {
    if s.capacity() - s.len() > s.len() / 8 { s.as_str().to_owned() } else { s }
}

fn exact_title(title: std::borrow::Cow<'static, str>) -> std::borrow::Cow<'static, str> {
    match title {
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(exact(s)),
        fixed => fixed,
    }
}

/// Applies edits to `text`. Edits must not overlap; they are applied from the end so
/// earlier offsets stay valid. Returns `None` when two edits overlap.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    for w in sorted.windows(2) {
        if w[0].range.end > w[1].range.start {
            return None;
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0usize;
    for e in sorted {
        let r = e.range.as_usize();
        if r.end > text.len() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            return None;
        }
        out.push_str(&text[last..r.start]);
        out.push_str(&e.new_text);
        last = r.end;
    }
    out.push_str(&text[last..]);
    Some(out)
}
