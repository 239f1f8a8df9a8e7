use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::ZoneCtx;

crate::declare_rule! {
    /// ## What it does
    /// Reports a CNAME record at the zone apex.
    ///
    /// ## Why it matters
    /// The apex must hold the SOA and NS records, which a CNAME forbids; the zone does
    /// not load. Where it is served anyway, the apex MX, SPF and DMARC lookups follow the
    /// alias and the domain's mail policy is whatever the target publishes. Use your
    /// provider's ALIAS/ANAME feature or address records instead.
    ///
    /// ## Example
    /// ```zone
    /// @ IN CNAME www.example.net.
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN A 192.0.2.10
    /// ```
    ///
    /// ## Reference
    /// RFC 1034 §3.6.2; RFC 1912 §2.4; RFC 2181 §10.1.
    pub static RULE = {
        code: "zone/cname-at-apex",
        severity: Error,
        fix: None,
        summary: "CNAME at the zone apex",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    for r in cx.index.rrset(cx.zone.apex.as_str(), RrType::CNAME) {
        out.push(
            Diagnostic::new(
                &RULE,
                r.file,
                r.type_span,
                format!(
                    "CNAME at the apex of `{}`: the apex must keep its SOA and NS records, so the zone does not load; use address records or your provider's ALIAS",
                    cx.zone.apex.display_short()
                ),
            )
            .for_record(r.span.start),
        );
    }
}
