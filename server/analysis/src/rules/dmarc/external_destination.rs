use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::value::insert_record;
use crate::mail::workspace::Presence;
use crate::mail::{Kind, MailCtx};
use crate::name::Name;
use crate::records::dmarc::{looks_like_dmarc, report_uris};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `rua`/`ruf` address at another organizational domain when that domain
    /// does not authorise it: the record `<your-domain>._report._dmarc.<their-domain>`
    /// with `v=DMARC1` is missing. Checked when the destination's zone is in the workspace.
    ///
    /// ## Why it matters
    /// Receivers verify the destination before sending reports there (RFC 7489 §7.1);
    /// without the authorisation record they send nothing, and you fly blind — exactly
    /// while moving from `p=none` to enforcement.
    ///
    /// ## Example
    /// ```zone
    /// ; zone example.com
    /// _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@reports.example.net"
    /// ; zone example.net: nothing at example.com._report._dmarc.reports.example.net
    /// ```
    /// Use instead, in example.net:
    /// ```zone
    /// example.com._report._dmarc.reports IN TXT "v=DMARC1"
    /// ```
    ///
    /// ## Fix
    /// Adds the authorisation record to the destination zone (safe: it only lets the
    /// reports you asked for arrive).
    ///
    /// ## Reference
    /// RFC 7489 §7.1 (verifying external destinations); RFC 9990 §3 (DMARCbis reporting).
    pub static RULE = {
        code: "dmarc/external-destination",
        severity: Warning,
        fix: Safe,
        summary: "rua/ruf at another domain lacks its _report._dmarc authorisation",
    }
}

pub fn check(cx: &MailCtx<'_>, out: &mut Vec<Diagnostic>) {
    for m in &cx.records {
        let Kind::Dmarc(d) = &m.kind else { continue };
        if !cx.ws.is_primary(m.zone) || !crate::records::dmarc::has_valid_version(&d.tags) {
            continue;
        }
        let Some(domain) = m.owner.parent() else { continue };
        let org = cx.org_domain(&domain);
        for tag in ["rua", "ruf"] {
            let Some(t) = d.tag(tag) else { continue };
            for u in report_uris(&t) {
                let Some(addr) = &u.address else { continue };
                let Some((_, host)) = addr.rsplit_once('@') else { continue };
                let Ok(dest) = Name::parse_absolute(host) else { continue };
                if cx.org_domain(&dest) == org || dest.name_ref().is_in(org) {
                    continue;
                }
                let Ok(auth) = Name::parse_absolute(&format!("{}._report._dmarc.{}", domain.display_short(), dest.display_short())) else {
                    continue;
                };
                let Some(zi) = cx.ws.zone_of(&auth) else {
                    outside_workspace(cx, m, &u, &auth, host, tag, out);
                    continue;
                };
                if authorised(cx, &auth, &dest, &domain) {
                    continue;
                }
                let presence = cx.ws.presence(&auth);
                let why = if presence == Presence::NxDomain { "does not exist" } else { "has no `v=DMARC1` record" };
                out.push(
                    m.diag(
                        &RULE,
                        u.range.clone(),
                        format!(
                            "reports go to `{host}`, another organization's domain, but `{}` {why}: receivers will not send `{tag}` reports there (RFC 7489 §7.1)",
                            auth.display_short()
                        ),
                    )
                    .with_fix(Fix::safe(
                        format!("Authorise the reports in `{}`: add `{}` TXT \"v=DMARC1\"", cx.ws.zones[zi].apex.display_short(), auth.display_short()),
                        insert_record(&cx.ws.zones[zi], cx.ws.sources, &auth, "TXT", b"v=DMARC1").into_iter().collect(),
                    )),
                );
            }
        }
    }
}

/// The destination's zone is not in the workspace: ask the snapshot or live DNS.
fn outside_workspace(
    cx: &MailCtx<'_>,
    m: &crate::mail::MailRecord,
    u: &crate::records::dmarc::ReportUri,
    auth: &Name,
    host: &str,
    tag: &str,
    out: &mut Vec<Diagnostic>,
) {
    use crate::dns::{Dns, DnsResult, Rdata};
    let dns = cx.dns();
    let Some((r, _)) = dns.lookup(auth.as_str(), crate::dns::QType::Txt) else { return };
    let authorised = r.records().iter().any(|x| matches!(x, Rdata::Txt(s) if looks_like_dmarc(&s.concat())));
    if authorised || matches!(r, DnsResult::Error(_)) {
        return;
    }
    out.push(m.diag(
        &RULE,
        u.range.clone(),
        format!(
            "reports go to `{host}`, another organization's domain, but `{}` has no `v=DMARC1` record: receivers will not send `{tag}` reports there; ask the owner of `{host}` to publish it (RFC 7489 §7.1)",
            auth.display_short()
        ),
    ));
}

/// `<domain>._report._dmarc.<dest>` (or its `*` wildcard) has a `v=DMARC1` record.
fn authorised(cx: &MailCtx<'_>, auth: &Name, dest: &Name, _domain: &Name) -> bool {
    let has = |n: &Name| cx.at(n).any(|r| looks_like_dmarc(r.value.bytes()));
    if has(auth) {
        return true;
    }
    Name::parse_absolute(&format!("*._report._dmarc.{}", dest.display_short())).is_ok_and(|w| has(&w))
}
