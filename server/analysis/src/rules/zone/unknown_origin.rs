use crate::diagnostics::{Diagnostic, FileId};
use crate::text::TextRange;

crate::declare_rule! {
    /// ## What it does
    /// Reports relative names (or `@`) in a file whose origin zonels cannot determine.
    /// The origin comes from `$ORIGIN`, then `[zones]` in `zonels.toml`, then the file
    /// name (`example.com.zone`, `example.com.db`, `db.example.com`, `example.com`).
    ///
    /// ## Why it matters
    /// Every relative name depends on the origin: without one, zonels cannot tell which
    /// domain an SPF or DMARC record protects, and a server loading the file with the
    /// wrong origin publishes records under the wrong names.
    ///
    /// ## Example
    /// ```zone
    /// ; zones/primary.txt
    /// @ IN MX 10 mail
    /// ```
    /// Use instead:
    /// ```zone
    /// $ORIGIN example.com.
    /// @ IN MX 10 mail
    /// ```
    /// or, in `zonels.toml`: `[zones] "zones/primary.txt" = "example.com"`.
    ///
    /// ## Reference
    /// RFC 1035 §5.1 (`$ORIGIN`, relative names).
    pub static RULE = {
        code: "zone/unknown-origin",
        severity: Error,
        fix: None,
        summary: "relative names used and no origin known",
    }
}

pub fn diagnostic(file: FileId, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        file,
        range,
        "relative name with no origin: add `$ORIGIN example.com.` at the top, name the file after the zone (`example.com.zone`), or map it in `[zones]` of zonels.toml",
    )
}
