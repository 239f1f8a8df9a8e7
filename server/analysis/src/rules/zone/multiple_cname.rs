use crate::diagnostics::Diagnostic;
use crate::model::Record;
use crate::rrtype::RrType;
use crate::zone::check::{ZoneCtx, rrsets};
use crate::zone::index::DataTokens;

crate::declare_rule! {
    /// ## What it does
    /// Reports a name with more than one CNAME record (with different targets; an exact
    /// copy is `zone/duplicate-record`).
    ///
    /// ## Why it matters
    /// An alias points to exactly one name. Servers refuse the zone (BIND: `multiple RRs
    /// of singleton type`), or pick one target at random in some DNS-as-code providers.
    ///
    /// ## Example
    /// ```zone
    /// www IN CNAME lb1.example.net.
    /// www IN CNAME lb2.example.net.
    /// ```
    /// Use instead: one CNAME, or address records for both targets.
    ///
    /// ## Reference
    /// RFC 1034 §3.6.2; RFC 2181 §10.1.
    pub static RULE = {
        code: "zone/multiple-cname",
        severity: Error,
        fix: None,
        summary: "more than one CNAME at a name",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    rrsets(cx, |set| {
        if set[0].rtype != RrType::CNAME {
            return;
        }
        let set: Vec<&Record> = set.iter().copied().filter(|r| !r.bad_rdata).collect();
        if set.len() < 2 {
            return;
        }
        let first = set[0];
        let first_target = DataTokens::of(first, cx.text(first)).canonical(RrType::CNAME, first.origin.as_ref());
        for other in &set[1..] {
            let t = DataTokens::of(other, cx.text(other)).canonical(RrType::CNAME, other.origin.as_ref());
            if t != first_target {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        other.file,
                        other.rdata_range(),
                        format!(
                            "`{}` already has a CNAME to `{}`; an alias has exactly one target, so this zone does not load",
                            other.owner.display_short(),
                            first_target.trim_end_matches('.')
                        ),
                    )
                    .with_related(first.file, first.rdata_range(), "the first CNAME")
                    .for_record(other.span.start),
                );
            }
        }
    });
}
