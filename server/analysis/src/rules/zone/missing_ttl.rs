use crate::diagnostics::{Diagnostic, FileId};
use crate::text::TextRange;

crate::declare_rule! {
    /// ## What it does
    /// Reports a zone that has no `$TTL` directive and whose first record has no TTL.
    ///
    /// ## Why it matters
    /// Without a default, servers guess: BIND falls back to the SOA minimum for the SOA
    /// and rejects other records without a TTL, other servers use the previous record's
    /// TTL. Records can end up cached far shorter or longer than intended.
    ///
    /// ## Example
    /// ```zone
    /// $ORIGIN example.com.
    /// @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    /// ```
    /// Use instead:
    /// ```zone
    /// $ORIGIN example.com.
    /// $TTL 1h
    /// @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    /// ```
    ///
    /// ## Reference
    /// RFC 2308 §4 (the `$TTL` directive); RFC 1035 §5.1.
    pub static RULE = {
        code: "zone/missing-ttl",
        severity: Warning,
        fix: None,
        summary: "no $TTL and the first record has no TTL",
    }
}

pub fn diagnostic(file: FileId, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        file,
        range,
        "the zone has no `$TTL` and its first record no TTL; add `$TTL 1h` (or another default) at the top (RFC 2308 §4)",
    )
}
