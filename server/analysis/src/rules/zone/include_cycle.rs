use crate::diagnostics::{Diagnostic, FileId};
use crate::text::TextRange;

crate::declare_rule! {
    /// ## What it does
    /// Reports an `$INCLUDE` that leads back to a file that is already being read.
    ///
    /// ## Why it matters
    /// The include chain never ends: servers fail to load the zone. zonels stops at the
    /// loop and keeps checking the rest.
    ///
    /// ## Example
    /// ```zone
    /// ; a.inc
    /// $INCLUDE b.inc
    /// ; b.inc
    /// $INCLUDE a.inc
    /// ```
    /// Use instead: include each fragment once, from the zone file.
    ///
    /// ## Reference
    /// RFC 1035 §5.1 (`$INCLUDE`).
    pub static RULE = {
        code: "zone/include-cycle",
        severity: Error,
        fix: None,
        summary: "$INCLUDE loop",
    }
}

pub fn diagnostic(file: FileId, range: TextRange, chain: &[String]) -> Diagnostic {
    Diagnostic::new(&RULE, file, range, format!("`$INCLUDE` loop: {}; the file is not read again", chain.join(" → ")))
}
