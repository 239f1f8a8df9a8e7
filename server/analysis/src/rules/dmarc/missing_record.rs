use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::value::insert_record;
use crate::mail::{Kind, MailCtx};
use crate::name::Name;
use crate::records::spf::{Mechanism, Qualifier};

crate::declare_rule! {
    /// ## What it does
    /// Reports a domain that sends mail — its SPF record authorises some sender (more
    /// than `-all`), or it has a DKIM key — but that has no DMARC record, neither its own
    /// nor one found at its organizational domain by the RFC 9989 tree walk over the
    /// workspace.
    ///
    /// ## Why it matters
    /// Since 2024 Gmail, Yahoo and Outlook require bulk senders to publish DMARC; mail
    /// from domains without it is rate-limited or rejected (`550 5.7.26`). Without DMARC
    /// nobody can tell receivers what to do with spoofed mail, and you get no reports.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.example.net -all"
    /// ```
    /// Use instead:
    /// ```zone
    /// @      IN TXT "v=spf1 include:_spf.example.net -all"
    /// _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"
    /// ```
    ///
    /// ## Fix
    /// Adds `_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@<domain>"`: a
    /// monitoring policy that changes no delivery. Point `rua` at a mailbox that exists.
    ///
    /// ## Reference
    /// RFC 9989 §4.10 (policy discovery); Gmail and Yahoo sender requirements (2024).
    pub static RULE = {
        code: "dmarc/missing-record",
        severity: Warning,
        fix: Unsafe,
        summary: "a sending domain without a DMARC record",
    }
}

fn sends(s: &crate::records::spf::SpfRecord) -> bool {
    s.terms.iter().any(|t| match (t.mechanism(), t.qualifier()) {
        (Some(Mechanism::All), Some(Qualifier::Fail)) => false,
        (Some(_), _) => true,
        _ => t.modifier().is_some_and(|m| matches!(m, crate::records::spf::Modifier::Redirect(_))),
    })
}

pub fn check(cx: &MailCtx<'_>, out: &mut Vec<Diagnostic>) {
    let mut reported: Vec<Name> = Vec::new();
    for m in &cx.records {
        if !cx.ws.is_primary(m.zone) {
            continue;
        }
        let domain = match &m.kind {
            Kind::Spf(s) if sends(s) => m.owner.clone(),
            Kind::Dkim(k) if crate::mail::usable_key(k) => match m.owner.parent().and_then(|p| p.parent()) {
                Some(d) => d,
                None => continue,
            },
            _ => continue,
        };
        // `_spf.example.com` and other underscore names are include targets, not senders.
        if domain.labels().next().is_some_and(|l| l.starts_with('_')) || reported.contains(&domain) {
            continue;
        }
        if cx.dmarc_policy_for(&domain).is_some() || cx.ws.zone_of(&domain).is_none() {
            continue;
        }
        // A broken record at `_dmarc` is its own finding; do not add "missing" to it.
        if cx.tree_walk_has_any_record(&domain) {
            continue;
        }
        reported.push(domain.clone());
        let zone = &cx.ws.zones[cx.ws.zone_of(&domain).unwrap_or(m.zone)];
        let Ok(dmarc_name) = domain.prepend("_dmarc") else { continue };
        let value = format!("v=DMARC1; p=none; rua=mailto:dmarc-reports@{}", domain.display_short());
        let what = if matches!(m.kind, Kind::Spf(_)) { "authorises senders in SPF" } else { "has a DKIM key" };
        out.push(
            m.diag_whole(
                &RULE,
                format!(
                    "`{}` {what} but has no DMARC record (nor does any parent domain in the workspace); the big mailbox providers reject or throttle bulk mail from domains without DMARC",
                    domain.display_short()
                ),
            )
            .with_fix(Fix::unsafe_(
                format!("Add `_dmarc.{}` with `p=none` (monitoring; set `rua` to a mailbox you read)", domain.display_short()),
                insert_record(zone, cx.ws.sources, &dmarc_name, "TXT", value.as_bytes()).into_iter().collect(),
            )),
        );
    }
}
