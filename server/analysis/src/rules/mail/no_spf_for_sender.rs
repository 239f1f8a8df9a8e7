use rustc_hash::FxHashSet;

use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::MailCtx;
use crate::mail::value::insert_record;
use crate::rrtype::RrType;
use crate::zone::index::DataTokens;

crate::declare_rule! {
    /// ## What it does
    /// Reports a name that has MX records (it handles mail) or DKIM keys (it signs mail)
    /// but no SPF record.
    ///
    /// ## Why it matters
    /// Without SPF, receivers cannot tell your servers from anyone else's: mail
    /// claiming to come from the name gets SPF `none`, DMARC can pass only through DKIM,
    /// and mailbox providers' sender requirements (SPF *and* DKIM for bulk senders)
    /// are not met.
    ///
    /// ## Example
    /// ```zone
    /// support IN MX 10 mx1
    /// ```
    /// Use instead:
    /// ```zone
    /// support IN MX  10 mx1
    /// support IN TXT "v=spf1 mx ~all"
    /// ```
    ///
    /// ## Fix
    /// Adds `v=spf1 mx ~all` (the name's mail exchangers may send; others soft-fail).
    /// Whether that is the right list of senders is yours to decide: editor only.
    ///
    /// ## Reference
    /// RFC 7208 §2.1 (publishing SPF for every name used in mail); Gmail and Yahoo
    /// sender requirements (2024).
    pub static RULE = {
        code: "mail/no-spf-for-sender",
        severity: Warning,
        fix: Unsafe,
        summary: "a name with MX or DKIM keys but no SPF record",
    }
}

pub fn check(cx: &MailCtx<'_>, out: &mut Vec<Diagnostic>) {
    let mut done: FxHashSet<&str> = FxHashSet::default();
    done.reserve(cx.ws.indexes.iter().map(|i| i.count_of_type(RrType::MX)).sum::<usize>() / 2);
    for (zi, zone) in cx.ws.zones.iter().enumerate() {
        if !cx.ws.is_primary(zi) {
            continue;
        }
        for r in cx.ws.indexes[zi].of_type(RrType::MX).filter(|r| !r.bad_rdata) {
            if done.contains(r.owner.as_str()) || r.owner.labels().next().is_some_and(|l| l.starts_with('_') || l == "*") {
                continue;
            }
            if cx.has_spf_at(&r.owner) {
                done.insert(r.owner.as_str());
                continue;
            }
            // A null MX (`0 .`) is mail/null-mx-without-spf's. Most preferences are not 0:
            // told from the first character without reading the data's tokens.
            let text = cx.ws.sources.text(r.file);
            let nonzero = r.rdata_text(text).trim_start().starts_with(|c: char| c.is_ascii_digit() && c != '0');
            if !nonzero {
                let data = DataTokens::of(r, text);
                if data.get(0) == Some("0") && data.get(1) == Some(".") {
                    continue;
                }
            }
            done.insert(r.owner.as_str());
            out.push(
                Diagnostic::new(
                    &RULE,
                    r.file,
                    r.owner_range(),
                    // At its exact size (`format!` reserves more, and the finding
                    // would copy it to shed the excess): one per sending name.
                    [
                        "`",
                        r.owner.display_short(),
                        "` handles mail (it has MX records) but publishes no SPF record: mail claiming to come from it cannot pass SPF",
                    ]
                    .concat(),
                )
                .for_record(r.span.start)
                .with_fix(Fix::unsafe_(
                    "Add `TXT \"v=spf1 mx ~all\"` (its mail exchangers may send; others soft-fail)",
                    insert_record(zone, cx.ws.sources, &r.owner, "TXT", b"v=spf1 mx ~all").into_iter().collect(),
                )),
            );
        }
    }
    // Names that sign (DKIM keys) but publish no SPF and no MX.
    for m in &cx.records {
        let crate::mail::Kind::Dkim(k) = &m.kind else { continue };
        if !crate::mail::usable_key(k) || !cx.ws.is_primary(m.zone) {
            continue;
        }
        let Some(domain) = m.owner.name_ref().parent().and_then(|p| p.parent()) else { continue };
        if done.contains(domain.as_str()) || cx.has_spf_at(domain) || cx.ws.zone_of(domain).is_none() {
            continue;
        }
        done.insert(domain.as_str());
        out.push(m.diag_whole(
            &RULE,
            format!("`{}` signs mail (it has DKIM key `{}`) but publishes no SPF record", domain.display_short(), m.owner.display_short()),
        ));
    }
}
