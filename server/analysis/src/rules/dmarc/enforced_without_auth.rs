use crate::diagnostics::Diagnostic;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::mail::{MailCtx, MailRecord, NameSet};
use crate::name::{Name, NameRef};
use crate::records::dmarc::DmarcRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a DMARC policy that enforces (`p=quarantine` or `p=reject`, or the same in
    /// `sp=` for a subdomain that sends mail) while the domain has neither a valid SPF
    /// record nor a usable DKIM key in the workspace. With relaxed alignment (the
    /// default), SPF records and DKIM keys anywhere under the organizational domain
    /// count; with `aspf=s`/`adkim=s`, only those at the domain itself.
    ///
    /// ## Why it matters
    /// DMARC passes only through an aligned SPF pass or an aligned DKIM signature. With
    /// neither available, every message from the domain fails DMARC, and the policy you
    /// published tells receivers to quarantine or reject it: `550 5.7.1 … rejected due to
    /// DMARC policy`. This is how domains lock themselves out of their own mail.
    ///
    /// ## Example
    /// ```zone
    /// @      IN TXT "v=spf1 include:_spf.example.net -all" "moo"   ; broken: PermError
    /// _dmarc IN TXT "v=DMARC1; p=reject"
    /// ```
    /// Use instead: fix the SPF record (or publish a DKIM key and sign), then enforce.
    ///
    /// ## Reference
    /// RFC 9989 §4.4 (DMARC passes through aligned SPF or DKIM), §4.7 (`p`, `sp`);
    /// RFC 7489 §3.1 (identifier alignment).
    pub static RULE = {
        code: "dmarc/enforced-without-auth",
        severity: Error,
        fix: None,
        summary: "an enforcing policy while the domain has no working SPF or DKIM",
    }
}

fn relaxed(d: &DmarcRecord, tag: &str) -> bool {
    !d.tag(tag).is_some_and(|t| t.value.eq_ignore_ascii_case("s"))
}

fn authenticated(cx: &MailCtx<'_>, domain: NameRef<'_>, d: &DmarcRecord, spf: &NameSet<'_>, dkim: &NameSet<'_>) -> bool {
    let org = cx.org_domain(domain);
    let spf_ok = if relaxed(d, "aspf") { spf.any_at_or_under(org) } else { spf.contains(domain) };
    let dkim_ok = if relaxed(d, "adkim") { dkim.any_at_or_under(org) } else { dkim.contains(domain) };
    spf_ok || dkim_ok
}

pub fn check(cx: &MailCtx<'_>, out: &mut Vec<Diagnostic>) {
    // The DMARC records in force: the one record at their domain.
    let in_force: Vec<(&MailRecord, &DmarcRecord, NameRef<'_>)> = cx
        .records
        .iter()
        .filter_map(|m| match &m.kind {
            crate::mail::Kind::Dmarc(d) if cx.ws.is_primary(m.zone) => Some((m, &**d, m.owner.name_ref().parent()?)),
            _ => None,
        })
        .filter(|(m, _, domain)| cx.dmarc_record(*domain).is_some_and(|(r, _)| std::ptr::eq(r, *m)))
        .collect();
    if in_force.is_empty() {
        return;
    }
    let (spf, dkim) = cx.authenticated_names();
    // Names that publish SPF (include targets aside), filed under each of their ancestors
    // that has a subdomain policy to check.
    let enforcing_sp: FxHashSet<&str> =
        in_force.iter().filter(|(_, d, _)| d.subdomain_policy().is_some_and(|p| p.enforces())).map(|(_, _, n)| n.as_str()).collect();
    let mut senders_under: FxHashMap<&str, Vec<&Name>> = FxHashMap::default();
    if !enforcing_sp.is_empty() {
        let senders = cx.records.iter().filter(|r| matches!(r.kind, crate::mail::Kind::Spf(_))).map(|r| &r.owner);
        for owner in senders.filter(|n| !n.labels().next().is_some_and(|l| l.starts_with('_'))) {
            for up in owner.suffixes().skip(1).filter(|up| enforcing_sp.contains(up)) {
                senders_under.entry(up).or_default().push(owner);
            }
        }
    }
    for (m, d, domain) in in_force {
        if let Some(p) = d.policy().filter(|p| p.enforces())
            && !authenticated(cx, domain, d, &spf, &dkim)
        {
            let t = d.tag("p").map_or(0..m.value.len(), |t| t.range.clone());
            out.push(m.diag(
                    &RULE,
                    t,
                    format!(
                        "`p={}` enforces, but `{}` has no valid SPF record and no usable DKIM key in the workspace: its own mail will fail DMARC and be {} (550 5.7.1)",
                        p.as_str(),
                        domain.display_short(),
                        if p == crate::records::dmarc::Policy::Reject { "rejected" } else { "quarantined" }
                    ),
                ));
        }
        let under = senders_under.get(domain.as_str()).map_or(&[][..], |v| v.as_slice());
        subdomains(cx, m, d, domain, under, &spf, &dkim, out);
    }
}

/// Subdomains that send (they publish SPF) but whose SPF is broken and that have no
/// DKIM key, under an enforcing subdomain policy.
#[allow(clippy::too_many_arguments)]
fn subdomains(
    cx: &MailCtx<'_>,
    m: &MailRecord,
    d: &DmarcRecord,
    domain: NameRef<'_>,
    senders: &[&Name],
    spf: &NameSet<'_>,
    dkim: &NameSet<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(sp) = d.subdomain_policy().filter(|p| p.enforces()) else { return };
    let mut broken: Vec<&Name> = senders.iter().copied().filter(|n| !spf.contains(n) && !dkim.contains(n) && !cx.has_dmarc_at(n)).collect();
    broken.sort();
    broken.dedup();
    if broken.is_empty() {
        return;
    }
    let dkim_relaxed = relaxed(d, "adkim") && dkim.any_at_or_under(cx.org_domain(domain));
    if dkim_relaxed {
        return;
    }
    let (tag, range) = match d.tag("sp") {
        Some(t) => ("sp", t.range.clone()),
        None => ("p", d.tag("p").map_or(0..m.value.len(), |t| t.range.clone())),
    };
    let names: Vec<String> = broken.iter().take(3).map(|n| format!("`{}`", n.display_short())).collect();
    let more = if broken.len() > 3 { format!(" and {} more", broken.len() - 3) } else { String::new() };
    out.push(m.diag(
        &RULE,
        range,
        format!(
            "`{tag}={}` applies to {}{more}, which send mail (they publish SPF) but whose SPF is broken and which have no DKIM key: their mail will fail DMARC",
            sp.as_str(),
            names.join(", ")
        ),
    ));
}
