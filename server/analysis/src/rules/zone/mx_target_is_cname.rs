use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::{ZoneCtx, mail_targets};

crate::declare_rule! {
    /// ## What it does
    /// Reports an MX record whose exchange, in this zone, is an alias (has a CNAME).
    ///
    /// ## Why it matters
    /// RFC 2181 §10.3 forbids MX targets that are aliases, and RFC 5321 §5.1 tells
    /// senders to treat them as an error. Some mail servers follow the alias, others
    /// defer or bounce the message: delivery becomes a coin toss.
    ///
    /// ## Example
    /// ```zone
    /// @    IN MX    10 mail
    /// mail IN CNAME mx.provider.example.
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN MX 10 mx.provider.example.
    /// ```
    ///
    /// ## Reference
    /// RFC 2181 §10.3; RFC 5321 §5.1; RFC 1912 §2.4.
    pub static RULE = {
        code: "zone/mx-target-is-cname",
        severity: Error,
        fix: None,
        summary: "MX exchange is an alias",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    for t in mail_targets(cx, RrType::MX) {
        let Some(target) = &t.target else { continue };
        if let Some(c) = cx.index.rrset_of(t.at(cx), RrType::CNAME).next() {
            out.push(
                Diagnostic::new(
                    &RULE,
                    t.record.file,
                    t.range,
                    format!(
                        "MX exchange `{}` is an alias (CNAME); MX targets must be host names with address records, and some senders bounce mail here (RFC 2181 §10.3)",
                        target.display_short()
                    ),
                )
                .with_related(c.file, c.type_span, "the CNAME")
                .for_record(t.record.span.start),
            );
        }
    }
}
