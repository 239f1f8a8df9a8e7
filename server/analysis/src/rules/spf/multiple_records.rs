use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::mail::{Kind, MailCtx, MailRecord};
use crate::records::spf::{Mechanism, Qualifier, SpfRecord, TermKind};
use crate::zone::check::record_deletion_range;

crate::declare_rule! {
    /// ## What it does
    /// Reports a name that publishes more than one SPF record (`v=spf1 …` TXT records).
    /// This usually happens when a second provider's setup guide says "add this TXT
    /// record" and nobody merges it into the existing one.
    ///
    /// ## Why it matters
    /// With two SPF records, SPF evaluation ends in PermError (§4.5) — for every message,
    /// from every sender, including the ones both records authorise. DMARC then has no
    /// SPF pass to align, and mail without a good DKIM signature bounces.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.google.com ~all"
    /// @ IN TXT "v=spf1 include:spf.protection.outlook.com -all"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.google.com include:spf.protection.outlook.com -all"
    /// ```
    ///
    /// ## Fix
    /// Merges the records into the first one, keeping every mechanism once and the
    /// strictest `all`, and deletes the others. The title says which `all` it keeps.
    /// The merged record authorises what either record did, so the fix is offered in
    /// the editor rather than applied by `--fix`.
    ///
    /// ## Reference
    /// RFC 7208 §3.2 (one record per name), §4.5 (more than one is PermError).
    pub static RULE = {
        code: "spf/multiple-records",
        severity: Error,
        fix: Unsafe,
        summary: "more than one v=spf1 record at a name",
    }
}

pub fn check(cx: &MailCtx<'_>, out: &mut Vec<Diagnostic>) {
    // Names with more than one record, in a stable order (sorting every name costs more
    // than the whole check).
    for (zi, name) in cx.shared_names() {
        let spfs: Vec<(&MailRecord, &SpfRecord)> = cx
            .at_text(zi, name)
            .filter(|m| m.rtype == crate::rrtype::RrType::TXT)
            .filter_map(|m| match &m.kind {
                Kind::Spf(s) => Some((m, &**s)),
                _ => None,
            })
            .collect();
        if spfs.len() < 2 {
            continue;
        }
        let (first, _) = spfs[0];
        let fix = merge_fix(cx, &spfs);
        for (m, _) in &spfs[1..] {
            let mut d = m
                .diag_whole(
                    &RULE,
                    format!(
                        "`{}` has {} SPF records; receivers return PermError when there is more than one (RFC 7208 §4.5), so none of them applies",
                        m.owner.display_short(),
                        spfs.len()
                    ),
                )
                .with_related(first.value.file, first.value.whole(), "the first SPF record");
            if let Some(f) = &fix {
                d = d.with_fix(f.clone());
            }
            out.push(d);
        }
    }
}

fn merge_fix(cx: &MailCtx<'_>, spfs: &[(&MailRecord, &SpfRecord)]) -> Option<Fix> {
    if spfs.iter().any(|(_, s)| !s.is_valid()) {
        return None;
    }
    let mut terms: Vec<String> = Vec::new();
    let mut all: Option<Qualifier> = None;
    let mut redirect: Option<String> = None;
    let mut exp: Option<String> = None;
    for (m, s) in spfs {
        for t in &s.terms {
            let text = crate::util::lossy(&m.value.bytes()[t.range.start as usize..t.range.end as usize]).into_owned();
            match &t.kind {
                TermKind::Directive { qualifier, mechanism: Mechanism::All, .. } => {
                    if all.is_none_or(|a| qualifier.strictness() > a.strictness()) {
                        all = Some(*qualifier);
                    }
                }
                TermKind::Modifier { modifier: crate::records::spf::Modifier::Redirect(_), .. } => {
                    redirect.get_or_insert(text);
                }
                TermKind::Modifier { modifier: crate::records::spf::Modifier::Exp(_), .. } => {
                    exp.get_or_insert(text);
                }
                _ => {
                    if !terms.iter().any(|x| x.eq_ignore_ascii_case(&text)) {
                        terms.push(text);
                    }
                }
            }
        }
    }
    let mut merged = String::from("v=spf1");
    for t in &terms {
        merged.push(' ');
        merged.push_str(t);
    }
    let all_text = match all {
        Some(q) => {
            let s = format!("{}all", q.symbol());
            merged.push(' ');
            merged.push_str(&s);
            format!("keeps `{s}`, the strictest")
        }
        None => match &redirect {
            Some(r) => {
                merged.push(' ');
                merged.push_str(r);
                format!("keeps `{r}`")
            }
            None => "no `all`".to_string(),
        },
    };
    if let Some(e) = exp {
        merged.push(' ');
        merged.push_str(&e);
    }
    let (first, _) = spfs[0];
    let mut edits = first.rewrite(cx, merged.as_bytes());
    for (m, _) in &spfs[1..] {
        let zone = &cx.ws.zones[m.zone];
        let range = record_deletion_range(zone, m.rec, cx.ws.sources)?;
        edits.push(Edit::delete(m.value.file, range));
    }
    Some(Fix::unsafe_(
        format!("Merge the {} SPF records into one ({all_text}; the merged record authorises every sender either did)", spfs.len()),
        edits,
    ))
}
