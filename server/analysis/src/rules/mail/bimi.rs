use crate::diagnostics::{Diagnostic, Severity};
use crate::mail::{Kind, MailCtx, MailRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports a BIMI record at `<selector>._bimi.<domain>` with bad syntax (`v=BIMI1`
    /// first, `l=` an `https:` SVG URL, `a=` an `https:` certificate URL) as an error, and,
    /// as a warning, a BIMI record for a domain whose DMARC policy does not enforce
    /// (`p=quarantine` or `p=reject`, applied to all mail).
    ///
    /// ## Why it matters
    /// Mailbox providers show the logo only for mail that passes DMARC under an
    /// enforcing policy; otherwise the record does nothing.
    ///
    /// ## Example
    /// ```zone
    /// default._bimi IN TXT "v=BIMI1; l=http://example.com/logo.png"
    /// _dmarc        IN TXT "v=DMARC1; p=none"
    /// ```
    /// Use instead:
    /// ```zone
    /// default._bimi IN TXT "v=BIMI1; l=https://example.com/logo.svg"
    /// _dmarc        IN TXT "v=DMARC1; p=quarantine"
    /// ```
    ///
    /// ## Reference
    /// BIMI Group, "Brand Indicators for Message Identification" draft, §4–§5.
    pub static RULE = {
        code: "mail/bimi",
        severity: Error,
        fix: None,
        summary: "BIMI record syntax, or BIMI without DMARC enforcement",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, out: &mut Vec<Diagnostic>) {
    for (range, msg) in crate::records::bimi::check(m.value.bytes()) {
        out.push(m.diag(&RULE, range, format!("{msg}; mailbox providers ignore this BIMI record")));
    }
}

pub fn check_enforcement(cx: &MailCtx<'_>, out: &mut Vec<Diagnostic>) {
    for m in &cx.records {
        if !matches!(m.kind, Kind::Bimi) || !cx.ws.is_primary(m.zone) {
            continue;
        }
        let Some(domain) = m.owner.parent().and_then(|p| p.parent()) else { continue };
        let verdict = match cx.dmarc_policy_for(&domain) {
            None => Some("has no DMARC policy".to_string()),
            Some((_, _, d)) => {
                let p = if domain == m.owner.parent().and_then(|p| p.parent()).unwrap_or_else(Name::root) {
                    d.policy()
                } else {
                    d.subdomain_policy()
                };
                match p {
                    Some(p) if !p.enforces() => Some(format!("has DMARC `p={}`", p.as_str())),
                    None => Some("has no valid DMARC policy".to_string()),
                    _ if d.pct().is_some_and(|x| x < 100) => Some("applies its DMARC policy to only part of its mail (`pct` < 100)".into()),
                    _ => None,
                }
            }
        };
        if let Some(v) = verdict {
            out.push(
                m.diag_whole(
                    &RULE,
                    format!("`{}` {v}: BIMI logos are shown only under `p=quarantine` or `p=reject`", domain.display_short()),
                )
                .with_severity(Severity::Warning),
            );
        }
    }
}

use crate::name::Name;
