use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::ZoneCtx;

crate::declare_rule! {
    /// ## What it does
    /// Reports every SOA record after the first in one zone, or an SOA at a name other
    /// than the apex.
    ///
    /// ## Why it matters
    /// A zone has exactly one SOA, at its apex. A second one is usually a pasted block
    /// from another zone: the server refuses the zone (BIND: `multiple RRs of singleton
    /// type`), and every record in it goes unserved.
    ///
    /// ## Example
    /// ```zone
    /// @ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
    /// @ IN SOA ns1 hostmaster 2024010102 7200 3600 1209600 300
    /// ```
    /// Use instead: keep one SOA and bump its serial.
    ///
    /// ## Reference
    /// RFC 1035 §5.2; RFC 1034 §4.3.4.
    pub static RULE = {
        code: "zone/multiple-soa",
        severity: Error,
        fix: None,
        summary: "more than one SOA",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    let mut soas = cx.index.of_type(RrType::SOA);
    let Some(first) = soas.next() else { return };
    for r in soas {
        let msg = if r.owner != first.owner {
            format!(
                "a second SOA, at `{}`; the zone's SOA is at `{}` and a zone has exactly one (RFC 1035 §5.2)",
                r.owner.display_short(),
                first.owner.display_short()
            )
        } else {
            "a second SOA record; a zone has exactly one, and servers refuse to load this one".to_string()
        };
        out.push(
            Diagnostic::new(&RULE, r.file, r.type_span, msg)
                .with_related(first.file, first.type_span, "the first SOA")
                .for_record(r.span.start),
        );
    }
}
