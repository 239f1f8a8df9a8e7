use crate::diagnostics::{Diagnostic, FileId};
use crate::rrtype::RR_TYPES;
use crate::text::TextRange;

crate::declare_rule! {
    /// ## What it does
    /// Reports a record type mnemonic that is not a registered RR type. Unknown types
    /// can still be written in the generic form of RFC 3597: `TYPE65280 \# 4 0a000001`.
    ///
    /// ## Why it matters
    /// The zone does not load (BIND: `unknown RR type`), so none of its records is served.
    ///
    /// ## Example
    /// ```zone
    /// www IN AA 192.0.2.10
    /// ```
    /// Use instead:
    /// ```zone
    /// www IN A  192.0.2.10
    /// ```
    ///
    /// ## Reference
    /// RFC 1035 §5.1; RFC 3597 §5 (unknown types); IANA "Resource Record (RR) TYPEs".
    pub static RULE = {
        code: "zone/unknown-type",
        severity: Error,
        fix: None,
        summary: "the RR type mnemonic is unknown",
    }
}

pub fn diagnostic(file: FileId, range: TextRange, text: &str) -> Diagnostic {
    let upper = text.to_ascii_uppercase();
    let hint = crate::util::closest(&upper, RR_TYPES.iter().filter(|t| !t.meta).map(|t| t.mnemonic), 1)
        .map(|m| format!("; did you mean `{m}`?"))
        .unwrap_or_else(|| "; write unknown types as `TYPEnnn` with `\\# length hex` data (RFC 3597)".to_string());
    Diagnostic::new(&RULE, file, range, format!("unknown record type `{text}`{hint}"))
}
