use crate::diagnostics::{Diagnostic, Edit, FileId, Fix};
use crate::text::TextRange;

crate::declare_rule! {
    /// ## What it does
    /// Reports a relative name that ends in the zone's own name, such as
    /// `mail.example.com` in zone `example.com`. Without a trailing dot the origin is
    /// appended, and the name becomes `mail.example.com.example.com.`.
    ///
    /// ## Why it matters
    /// The record points somewhere that does not exist: an MX target without addresses
    /// means mail cannot be delivered; an SPF `include:` or a CNAME to it fails.
    ///
    /// ## Example
    /// ```zone
    /// $ORIGIN example.com.
    /// @ IN MX 10 mail.example.com
    /// ```
    /// Use instead:
    /// ```zone
    /// $ORIGIN example.com.
    /// @ IN MX 10 mail.example.com.
    /// ```
    ///
    /// ## Fix
    /// Adds the trailing dot (safe: the fixed name is what the writer meant).
    ///
    /// ## Reference
    /// RFC 1035 §5.1 (relative and absolute names).
    pub static RULE = {
        code: "zone/missing-trailing-dot",
        severity: Warning,
        fix: Safe,
        summary: "relative name that looks like an FQDN in this zone",
    }
}

pub fn diagnostic(file: FileId, range: TextRange, name: &str, becomes: &str) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        file,
        range,
        format!("`{name}` has no trailing dot, so it means `{becomes}`; write `{name}.` for the absolute name"),
    )
    .with_fix(Fix::safe(format!("Add the trailing dot: `{name}.`"), vec![Edit::insert(file, range.end, ".")]))
}
