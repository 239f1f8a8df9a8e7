use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::MailCtx;
use crate::mail::value::insert_record;
use crate::records::spf::{Mechanism, Qualifier};
use crate::rrtype::RrType;
use crate::zone::index::DataTokens;

crate::declare_rule! {
    /// ## What it does
    /// Reports a domain that publishes a null MX (`MX 0 .`, "this domain accepts no mail")
    /// without the SPF record `v=spf1 -all` that says it sends none either.
    ///
    /// ## Why it matters
    /// A domain that receives no mail rarely sends any; RFC 7505 §4.2 recommends saying
    /// so with SPF. Without it, spoofed mail from the domain is not failed by SPF, and a
    /// parked domain becomes a phisher's favourite.
    ///
    /// ## Example
    /// ```zone
    /// @ IN MX 0 .
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN MX  0 .
    /// @ IN TXT "v=spf1 -all"
    /// ```
    ///
    /// ## Fix
    /// Adds `TXT "v=spf1 -all"` when the domain has no SPF record (safe for a domain
    /// that sends no mail — which is what a null MX declares).
    ///
    /// ## Reference
    /// RFC 7505 §4.2 (null MX and SPF); RFC 7208 §5.1.
    pub static RULE = {
        code: "mail/null-mx-without-spf",
        severity: Warning,
        fix: Safe,
        summary: "null MX without v=spf1 -all",
    }
}

pub fn check(cx: &MailCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (zi, zone) in cx.ws.zones.iter().enumerate() {
        if !cx.ws.is_primary(zi) {
            continue;
        }
        for r in cx.ws.indexes[zi].of_type(RrType::MX).filter(|r| !r.bad_rdata) {
            let data = DataTokens::of(r, cx.ws.sources.text(r.file));
            if !(data.get(0) == Some("0") && data.get(1) == Some(".")) {
                continue;
            }
            let spfs = cx.spf_at(&r.owner);
            let only_fail_all = |s: &crate::records::spf::SpfRecord| {
                s.terms.iter().all(|t| {
                    matches!((t.mechanism(), t.qualifier()), (Some(Mechanism::All), Some(Qualifier::Fail))) || t.modifier().is_some()
                }) && s.all().is_some()
            };
            if spfs.iter().any(|(_, s)| only_fail_all(s)) {
                continue;
            }
            let d = Diagnostic::new(&RULE, r.file, r.rdata_range(), "");
            if spfs.is_empty() {
                out.push(
                    Diagnostic {
                        message: format!(
                            "`{}` accepts no mail (null MX) but has no SPF record; add `v=spf1 -all` so mail claiming to come from it fails SPF (RFC 7505 §4.2)",
                            r.owner.display_short()
                        )
                        .into(),
                        ..d
                    }
                    .for_record(r.span.start)
                    .with_fix(Fix::safe("Add `TXT \"v=spf1 -all\"`", insert_record(zone, cx.ws.sources, &r.owner, "TXT", b"v=spf1 -all").into_iter().collect())),
                );
            } else {
                out.push(
                    Diagnostic {
                        message: format!(
                            "`{}` accepts no mail (null MX) but its SPF record authorises senders; a domain without mail should publish `v=spf1 -all` (RFC 7505 §4.2)",
                            r.owner.display_short()
                        )
                        .into(),
                        ..d
                    }
                    .for_record(r.span.start),
                );
            }
        }
    }
}
