use std::net::IpAddr;

use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{Mechanism, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports a term that an earlier term with the same qualifier already covers: the
    /// same `include:` twice, the same mechanism twice, or an `ip4:`/`ip6:` range inside
    /// an earlier range.
    ///
    /// ## Why it matters
    /// The later term can never change the result. A repeated `include:` or `a`/`mx`
    /// still costs DNS lookups toward the limit of 10 (§4.6.4), and redundant terms make
    /// the record longer and harder to review.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.10 include:_spf.example.net include:_spf.example.net -all"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all"
    /// ```
    ///
    /// ## Fix
    /// Removes the redundant term (safe: an earlier term with the same qualifier already
    /// decides every case it could match).
    ///
    /// ## Reference
    /// RFC 7208 §4.6.2 (first match wins), §4.6.4 (lookup limits).
    pub static RULE = {
        code: "spf/redundant-term",
        severity: Info,
        fix: Safe,
        summary: "a term already covered by an earlier one",
    }
}

fn net(m: &Mechanism) -> Option<(IpAddr, u8)> {
    match m {
        Mechanism::Ip4 { addr, prefix } => Some((IpAddr::V4(*addr), prefix.unwrap_or(32))),
        Mechanism::Ip6 { addr, prefix } => Some((IpAddr::V6(*addr), prefix.unwrap_or(128))),
        _ => None,
    }
}

/// `true` when network `inner` lies inside `outer`.
fn covers(outer: (IpAddr, u8), inner: (IpAddr, u8)) -> bool {
    match (outer.0, inner.0) {
        (IpAddr::V4(o), IpAddr::V4(i)) if outer.1 <= inner.1 => {
            let mask = if outer.1 == 0 { 0 } else { u32::MAX << (32 - outer.1) };
            u32::from(o) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(o), IpAddr::V6(i)) if outer.1 <= inner.1 => {
            let mask = if outer.1 == 0 { 0 } else { u128::MAX << (128 - outer.1) };
            u128::from(o) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    if !s.is_valid() {
        return;
    }
    let v = m.value.bytes();
    let text = |r: &std::ops::Range<u32>| crate::util::lossy(&v[r.start as usize..r.end as usize]).to_ascii_lowercase();
    // Two terms written alike (case and a leading `+` aside), compared without copying.
    let same_text = |a: &std::ops::Range<u32>, b: &std::ops::Range<u32>| {
        let unsigned = |r: &std::ops::Range<u32>| {
            let t = &v[r.start as usize..r.end as usize];
            &t[t.iter().take_while(|&&c| c == b'+').count()..]
        };
        unsigned(a).eq_ignore_ascii_case(unsigned(b))
    };
    for j in 0..s.terms.len() {
        let tj = &s.terms[j];
        let Some(mj) = tj.mechanism() else { continue };
        if matches!(mj, Mechanism::All) {
            continue;
        }
        let covered_by = (0..j).find(|&i| {
            let ti = &s.terms[i];
            let Some(mi) = ti.mechanism() else { return false };
            if ti.qualifier() != tj.qualifier() {
                return false;
            }
            let same_text = same_text(&ti.range, &tj.range);
            let same_include = matches!((mi, mj), (Mechanism::Include(a), Mechanism::Include(b)) if a.literal_name().is_some() && a.literal_name() == b.literal_name());
            let nested = matches!((net(mi), net(mj)), (Some(a), Some(b)) if covers(a, b));
            same_text || same_include || nested
        });
        if let Some(i) = covered_by {
            let a = text(&s.terms[i].range);
            let b = text(&tj.range);
            let why = if same_text(&s.terms[i].range, &tj.range) || matches!(mj, Mechanism::Include(_)) {
                format!("`{b}` repeats an earlier term")
            } else {
                format!("`{b}` lies inside `{a}`, which comes first")
            };
            let cost = if mj.queries_dns() { "; it still costs a DNS lookup toward the limit of 10" } else { "" };
            out.push(
                m.diag(&RULE, tj.range.clone(), format!("{why}, so it never changes the result{cost}"))
                    .with_related(m.value.file, m.value.src(s.terms[i].range.clone()), "the term that covers it")
                    .with_fix(Fix::safe(format!("Remove the redundant `{b}`"), m.replace(cx, super::term_deletion(s, j), ""))),
            );
        }
    }
}
