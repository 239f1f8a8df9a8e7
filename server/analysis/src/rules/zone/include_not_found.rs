use crate::diagnostics::{Diagnostic, FileId};
use crate::source::IncludeError;
use crate::text::TextRange;

crate::declare_rule! {
    /// ## What it does
    /// Reports an `$INCLUDE` whose target does not exist, cannot be read, or lies outside
    /// the workspace root. zonels never opens a file outside the root: `$INCLUDE
    /// /etc/passwd` in an untrusted repository is refused, and nothing of it is read.
    ///
    /// ## Why it matters
    /// The server refuses to load a zone whose include is missing, and the records it
    /// should have pulled in (often the mail records kept in a shared file) are missing
    /// from every check.
    ///
    /// ## Example
    /// ```zone
    /// $INCLUDE mail-records.inc   ; file was renamed to mail.inc
    /// ```
    /// Use instead:
    /// ```zone
    /// $INCLUDE mail.inc
    /// ```
    ///
    /// ## Reference
    /// RFC 1035 §5.1 (`$INCLUDE`); BIND ARM "The $INCLUDE Directive".
    pub static RULE = {
        code: "zone/include-not-found",
        severity: Error,
        fix: None,
        summary: "$INCLUDE target missing or outside the workspace root",
    }
}

pub fn diagnostic(file: FileId, range: TextRange, target: &str, err: &IncludeError) -> Diagnostic {
    let msg = match err {
        IncludeError::NotFound => {
            format!("`$INCLUDE {target}`: no such file (paths are relative to the including file)")
        }
        IncludeError::OutsideRoot => format!("`$INCLUDE {target}` points outside the workspace root; zonels does not read it"),
        IncludeError::Unreadable(e) => format!("`$INCLUDE {target}` cannot be read: {e}"),
        IncludeError::TooLarge { size, limit } => {
            format!("`$INCLUDE {target}` is {size} bytes, over the {limit}-byte limit (raise `limits.max_file_size` in zonels.toml)")
        }
    };
    Diagnostic::new(&RULE, file, range, msg)
}
