//! In-file suppression comments: `; zonels-ignore: spf/ptr-mechanism` on the line
//! before a record (or at the end of the finding's own line) silences that finding.
//! Several codes may be listed, separated by commas or spaces; a family (`spf`) or
//! `all` silences more.

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;
use crate::zone::lexer::{Lexer, TokenKind};

pub const MARKER: &str = "zonels-ignore:";

/// The comment syntax of a file, to find where a comment starts on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentSyntax {
    /// `;` outside quoted strings (zone files).
    Zone,
    /// `#` (YAML, HCL).
    Hash,
    /// `//` (JavaScript).
    Slashes,
}

impl CommentSyntax {
    pub fn prefix(self) -> &'static str {
        match self {
            CommentSyntax::Zone => ";",
            CommentSyntax::Hash => "#",
            CommentSyntax::Slashes => "//",
        }
    }

    fn comment_of(self, line: &str) -> Option<&str> {
        match self {
            CommentSyntax::Zone => Lexer::new(line).find(|t| t.kind == TokenKind::Comment).map(|t| &line[t.range.as_usize()][1..]),
            CommentSyntax::Hash => line.find('#').map(|i| &line[i + 1..]),
            CommentSyntax::Slashes => line.find("//").map(|i| &line[i + 2..]),
        }
    }
}

/// Codes listed by a suppression comment on `line`, if it has one.
pub fn codes_on_line(line: &str, syntax: CommentSyntax) -> Option<Vec<&str>> {
    if !line.contains(MARKER) {
        return None;
    }
    let comment = syntax.comment_of(line)?;
    let at = comment.find(MARKER)?;
    let list = &comment[at + MARKER.len()..];
    Some(list.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).collect())
}

fn matches(code: &str, listed: &[&str]) -> bool {
    listed.iter().any(|&l| l == code || l == "all" || code.split('/').next() == Some(l))
}

/// `true` when a suppression comment silences `diag` in `src`. Callers checking many
/// findings should first skip files that do not contain [`MARKER`] at all.
pub fn is_suppressed(src: &SourceFile, diag: &Diagnostic, syntax: CommentSyntax) -> bool {
    let idx = src.line_index();
    let line = idx.line_of(diag.range.start);
    let mut candidates = vec![line];
    if line > 0 {
        candidates.push(line - 1);
    }
    if let Some(start) = diag.record_start {
        let l = idx.line_of(start);
        if l > 0 {
            candidates.push(l - 1);
        }
    }
    candidates.into_iter().any(|l| codes_on_line(src.line_text(l), syntax).is_some_and(|codes| matches(diag.code(), &codes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_marker_lists() {
        assert_eq!(
            codes_on_line("; zonels-ignore: spf/ptr-mechanism, zone/ttl-mismatch", CommentSyntax::Zone),
            Some(vec!["spf/ptr-mechanism", "zone/ttl-mismatch"])
        );
        assert_eq!(codes_on_line("@ TXT \"zonels-ignore: x\"", CommentSyntax::Zone), None);
        assert_eq!(codes_on_line("  # zonels-ignore: all", CommentSyntax::Hash), Some(vec!["all"]));
        assert!(matches("spf/ptr-mechanism", &["spf"]));
        assert!(!matches("spf/ptr-mechanism", &["dkim"]));
    }
}
