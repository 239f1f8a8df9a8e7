use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::ZoneCtx;

crate::declare_rule! {
    /// ## What it does
    /// Reports a zone with an SOA but no NS records at its apex.
    ///
    /// ## Why it matters
    /// BIND refuses to load a zone without apex NS records (`has no NS records`), and
    /// the delegation in the parent cannot be checked against the zone. Some providers
    /// manage apex NS records themselves, so this is a warning.
    ///
    /// ## Example
    /// ```zone
    /// @ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
    /// @ IN MX  10 mail
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
    /// @ IN NS  ns1
    /// @ IN NS  ns2.example.net.
    /// @ IN MX  10 mail
    /// ```
    ///
    /// ## Reference
    /// RFC 1034 §4.2.1 (every zone has NS records at its top); RFC 1035 §5.2.
    pub static RULE = {
        code: "zone/missing-ns",
        severity: Warning,
        fix: None,
        summary: "no NS RRset at the apex",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    let apex = cx.zone.apex.as_str();
    let Some(soa) = cx.index.rrset(apex, RrType::SOA).next() else {
        return;
    };
    if cx.index.has_type(apex, RrType::NS) {
        return;
    }
    out.push(
        Diagnostic::new(
            &RULE,
            soa.file,
            soa.owner_range(),
            format!(
                "zone `{}` has no NS records at its apex; add `@ IN NS <server>` for each name server (RFC 1034 §4.2.1)",
                cx.zone.apex.display_short()
            ),
        )
        .for_record(soa.span.start),
    );
}
