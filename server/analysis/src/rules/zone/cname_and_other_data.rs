use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::ZoneCtx;

crate::declare_rule! {
    /// ## What it does
    /// Reports a name that has a CNAME record and other data (a TXT, MX, A …). Only the
    /// DNSSEC types RRSIG and NSEC may sit beside a CNAME.
    ///
    /// ## Why it matters
    /// A CNAME says "this name is an alias: look there instead". Resolvers follow it and
    /// never see the other records. A common mail case: a CNAME at a name that also
    /// carries an SPF TXT record, or a DKIM selector pointed at a provider with a CNAME
    /// while an old TXT key stays behind. BIND refuses to load such a zone.
    ///
    /// ## Example
    /// ```zone
    /// mail IN CNAME mail.provider.example.
    /// mail IN TXT   "v=spf1 -all"
    /// ```
    /// Use instead: move the TXT record to the alias target, or replace the CNAME with
    /// address records.
    ///
    /// ## Reference
    /// RFC 1034 §3.6.2; RFC 2181 §10.1; RFC 4035 §2.5 (RRSIG/NSEC exception).
    pub static RULE = {
        code: "zone/cname-and-other-data",
        severity: Error,
        fix: None,
        summary: "CNAME shares its owner with other data",
    }
}

/// Types allowed beside a CNAME (DNSSEC).
pub fn allowed_with_cname(t: RrType) -> bool {
    matches!(t, RrType::CNAME | RrType::RRSIG | RrType::NSEC | RrType::NXT | RrType::SIG | RrType::KEY)
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    let apex = cx.zone.apex.as_str();
    for (name, group) in cx.index.names() {
        if name == apex || !group.types.contains(&RrType::CNAME) {
            continue; // zone/cname-at-apex
        }
        let records = group.records.iter().map(|&i| &cx.zone.records[i as usize]);
        let mut cname = None;
        let mut other = None;
        for r in records {
            if r.rtype == RrType::CNAME {
                cname.get_or_insert(r);
            } else if !allowed_with_cname(r.rtype) {
                other.get_or_insert(r);
            }
        }
        if let (Some(c), Some(o)) = (cname, other) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    c.file,
                    c.type_span,
                    format!(
                        "`{}` has a CNAME and also {} data; resolvers follow the CNAME and never see the {}, and servers refuse the zone (RFC 1034 §3.6.2)",
                        c.owner.display_short(),
                        o.rtype,
                        o.rtype
                    ),
                )
                .with_related(o.file, o.type_span, format!("the {} record at the same name", o.rtype))
                .for_record(c.span.start),
            );
        }
    }
}
