use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::text::TextRange;
use crate::zone::check::ZoneCtx;

crate::declare_rule! {
    /// ## What it does
    /// Reports a zone file (one that is not only pulled in by another file's `$INCLUDE`)
    /// without an SOA record at its apex.
    ///
    /// ## Why it matters
    /// A zone without an SOA does not load: the server answers SERVFAIL for every name
    /// in it, so MX, SPF, DKIM and DMARC lookups all fail and receivers defer or reject
    /// mail.
    ///
    /// ## Example
    /// ```zone
    /// $ORIGIN example.com.
    /// $TTL 1h
    /// @ IN NS ns1
    /// ```
    /// Use instead:
    /// ```zone
    /// $ORIGIN example.com.
    /// $TTL 1h
    /// @ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
    /// @ IN NS  ns1
    /// ```
    ///
    /// ## Reference
    /// RFC 1035 §5.2 (exactly one SOA at the top of a zone); RFC 1034 §4.3.4.
    pub static RULE = {
        code: "zone/missing-soa",
        severity: Error,
        fix: None,
        summary: "a zone file has no SOA at its apex",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    if cx.zone.records.iter().any(|r| r.rtype == RrType::SOA) {
        return;
    }
    let range = cx.zone.records.iter().find(|r| r.file == cx.zone.file).map_or(TextRange::default(), |r| r.owner_range());
    out.push(Diagnostic::new(
        &RULE,
        cx.zone.file,
        range,
        format!("zone `{}` has no SOA record; a zone without one does not load (RFC 1035 §5.2)", cx.zone.apex.display_short()),
    ));
}
