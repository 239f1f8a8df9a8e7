use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::{ZoneCtx, mail_targets};

crate::declare_rule! {
    /// ## What it does
    /// Reports an NS record whose target, in this zone, is an alias (has a CNAME).
    ///
    /// ## Why it matters
    /// RFC 2181 §10.3 forbids it; resolvers may fail to find the name server's address,
    /// making the zone (or the delegated child) intermittently unresolvable — and every
    /// MX, SPF and DKIM lookup with it.
    ///
    /// ## Example
    /// ```zone
    /// @   IN NS    ns1
    /// ns1 IN CNAME dns.provider.example.
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN NS dns.provider.example.
    /// ```
    ///
    /// ## Reference
    /// RFC 2181 §10.3; RFC 1912 §2.4.
    pub static RULE = {
        code: "zone/ns-target-is-cname",
        severity: Error,
        fix: None,
        summary: "NS target is an alias",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    for t in mail_targets(cx, RrType::NS) {
        let Some(target) = &t.target else { continue };
        if let Some(c) = cx.index.rrset_of(t.at(cx), RrType::CNAME).next() {
            out.push(
                Diagnostic::new(
                    &RULE,
                    t.record.file,
                    t.range,
                    format!(
                        "name server `{}` is an alias (CNAME); NS targets must be host names with address records (RFC 2181 §10.3)",
                        target.display_short()
                    ),
                )
                .with_related(c.file, c.type_span, "the CNAME")
                .for_record(t.record.span.start),
            );
        }
    }
}
