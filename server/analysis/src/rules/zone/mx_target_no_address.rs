use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::{ZoneCtx, mail_targets};
use crate::zone::index::parse_ip;

crate::declare_rule! {
    /// ## What it does
    /// Reports an MX record whose exchange lies inside this zone but has no A or AAAA
    /// record (or does not exist at all).
    ///
    /// ## Why it matters
    /// Senders look up the exchange's addresses to connect. With none, mail for the
    /// domain is deferred and finally bounced. It is often a typo in the exchange name
    /// or a host that was renamed.
    ///
    /// ## Example
    /// ```zone
    /// @     IN MX 10 mail
    /// mial  IN A  192.0.2.25
    /// ```
    /// Use instead:
    /// ```zone
    /// @     IN MX 10 mail
    /// mail  IN A  192.0.2.25
    /// ```
    ///
    /// ## Reference
    /// RFC 5321 §5.1 (locating the target host); RFC 1912 §2.4.
    pub static RULE = {
        code: "zone/mx-target-no-address",
        severity: Warning,
        fix: None,
        summary: "in-zone MX exchange has no A/AAAA",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    let apex = &cx.zone.apex;
    for t in mail_targets(cx, RrType::MX) {
        let Some(target) = &t.target else { continue };
        if !target.is_in(apex) || apex.is_root() || parse_ip(t.text.trim_end_matches('.')).is_some() {
            continue;
        }
        // One lookup for the target's records.
        let at = t.at(cx);
        let has = |t: RrType| at.types.contains(&t);
        if has(RrType::CNAME) || cx.index.below_delegation(target, apex) || cx.index.is_delegation(target, apex) {
            continue;
        }
        if has(RrType::A) || has(RrType::AAAA) || cx.covered_by_wildcard(target) {
            continue;
        }
        let what = if at.records.is_empty() { "does not exist in the zone" } else { "has no A or AAAA record" };
        out.push(
            Diagnostic::new(
                &RULE,
                t.record.file,
                t.range,
                format!(
                    "MX exchange `{}` {what}; senders cannot connect to it and mail for `{}` bounces",
                    target.display_short(),
                    t.record.owner.display_short()
                ),
            )
            .for_record(t.record.span.start),
        );
    }
}
