use crate::diagnostics::{Diagnostic, FileId};
use crate::text::TextRange;
use crate::zone::ttl::TtlError;

crate::declare_rule! {
    /// ## What it does
    /// Reports a TTL that is malformed (`3hx`, `1h30`) or larger than 2^31 − 1 seconds.
    /// BIND's unit form (`1h30m`, `1w2d`) is valid.
    ///
    /// ## Why it matters
    /// A malformed TTL stops the zone from loading. A TTL above 2^31 − 1 is treated as
    /// zero by resolvers (RFC 2181 §8), so the record is fetched again for every
    /// message — or, for an SPF or DKIM record, cached nowhere.
    ///
    /// ## Example
    /// ```zone
    /// www 1h30 IN A 192.0.2.10
    /// ```
    /// Use instead:
    /// ```zone
    /// www 1h30m IN A 192.0.2.10
    /// ```
    ///
    /// ## Reference
    /// RFC 1035 §5.1; RFC 2181 §8 (TTL range); BIND ARM, "TTLs".
    pub static RULE = {
        code: "zone/bad-ttl",
        severity: Error,
        fix: None,
        summary: "TTL malformed or larger than 2^31-1",
    }
}

pub fn diagnostic(file: FileId, range: TextRange, text: &str, err: &TtlError) -> Diagnostic {
    let msg = match err {
        TtlError::Malformed => format!("`{text}` is not a valid TTL: write seconds (`3600`) or numbers with units (`1h30m`, `1w2d`)"),
        TtlError::TooLarge(v) => {
            format!("TTL `{text}` is {v} seconds, more than the 2147483647 allowed; resolvers treat it as 0 (RFC 2181 §8)")
        }
    };
    Diagnostic::new(&RULE, file, range, msg)
}
