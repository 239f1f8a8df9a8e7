use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::{ZoneCtx, mail_targets};
use crate::zone::index::parse_ip;

crate::declare_rule! {
    /// ## What it does
    /// Reports an MX record whose exchange is written as an IP address
    /// (`@ IN MX 10 192.0.2.25`).
    ///
    /// ## Why it matters
    /// The exchange must be a host name. An address there is read as a name
    /// (`192.0.2.25.example.com.` when relative) that has no address records, so mail to
    /// the domain cannot be delivered.
    ///
    /// ## Example
    /// ```zone
    /// @ IN MX 10 192.0.2.25
    /// ```
    /// Use instead:
    /// ```zone
    /// @    IN MX 10 mail
    /// mail IN A  192.0.2.25
    /// ```
    ///
    /// ## Reference
    /// RFC 1035 §3.3.9; RFC 5321 §5.1; RFC 7505 §3 (for "no mail" use a null MX).
    pub static RULE = {
        code: "zone/mx-target-is-address",
        severity: Error,
        fix: None,
        summary: "MX exchange written as an IP address",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    for t in mail_targets(cx, RrType::MX) {
        let raw = t.text.trim_end_matches('.');
        if parse_ip(raw).is_some() {
            out.push(
                Diagnostic::new(
                    &RULE,
                    t.record.file,
                    t.range,
                    format!("MX exchange `{raw}` is an IP address; it must be a host name with an A/AAAA record, or mail cannot be delivered (RFC 5321 §5.1)"),
                )
                .for_record(t.record.span.start),
            );
        }
    }
}
