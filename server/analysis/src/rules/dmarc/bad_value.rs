use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::{DmarcRecord, tag_spec};
use crate::records::tag_list::split_value;

crate::declare_rule! {
    /// ## What it does
    /// Reports an invalid value for `p`, `sp`, `np`, `adkim`, `aspf`, `fo`, `pct`, `rf`,
    /// `ri`, `psd` or `t` — `p=rejected`, `adkim=strict`, `pct=50%`, `fo=2`.
    ///
    /// ## Why it matters
    /// An invalid `p` makes receivers discard the whole record (or fall back to `none`);
    /// other invalid values are replaced by defaults. Either way the policy you wrote is
    /// not the one applied, and you only find out from the bounces — or the spoofs.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=rejected; adkim=strict"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=reject; adkim=s"
    /// ```
    ///
    /// ## Fix
    /// Offers the nearest valid value. For the policy tags (`p`, `sp`, `np`) that turns
    /// enforcement on, so it is offered in the editor only; for the others it is safe.
    ///
    /// ## Reference
    /// RFC 9989 §4.7 (tags and values); RFC 7489 §6.3.
    pub static RULE = {
        code: "dmarc/bad-value",
        severity: Error,
        fix: Mixed,
        summary: "invalid value for a DMARC tag",
    }
}

/// Common long forms people write for the one-letter values.
fn alias(tag: &str, v: &str) -> Option<&'static str> {
    match (tag, v) {
        ("adkim" | "aspf", "strict") => Some("s"),
        ("adkim" | "aspf", "relaxed") => Some("r"),
        ("t" | "psd", "yes" | "true") => Some("y"),
        ("t" | "psd", "no" | "false") => Some("n"),
        _ => None,
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    for t in d.tags.iter() {
        let Some(spec) = tag_spec(t.name) else { continue };
        let policy_tag = matches!(t.name, "p" | "sp" | "np");
        match t.name {
            "pct" | "ri" => {
                let ok = t.value.parse::<u64>().is_ok_and(|n| t.name != "pct" || n <= 100) && !t.value.is_empty();
                if !ok {
                    let what = if t.name == "pct" { "a whole number from 0 to 100" } else { "a number of seconds" };
                    let mut d = m.diag(
                        &RULE,
                        t.value_range.clone(),
                        format!("`{}={}` is not valid: it must be {what}; receivers use the default instead", t.name, t.value),
                    );
                    let digits: String = t.value.chars().filter(char::is_ascii_digit).collect();
                    if !digits.is_empty() && digits.parse::<u64>().is_ok_and(|n| t.name != "pct" || n <= 100) {
                        d = d.with_fix(Fix::safe(format!("Write `{}={digits}`", t.name), m.replace(cx, t.value_range.clone(), &digits)));
                    }
                    out.push(d);
                }
            }
            _ if !spec.values.is_empty() => {
                let items = if spec.colon_list { split_value(&t, b':') } else { vec![(t.value.to_string(), t.value_range.clone())] };
                for (item, range) in items {
                    let lower = item.to_ascii_lowercase();
                    if spec.values.contains(&lower.as_str()) {
                        continue;
                    }
                    let allowed = spec.values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
                    let consequence = if t.name == "p" {
                        "receivers discard the record or treat it as `p=none`"
                    } else {
                        "receivers use the default instead"
                    };
                    let mut diag = m.diag(&RULE, range.clone(), format!("`{}={item}` is not valid ({allowed}); {consequence}", t.name));
                    let suggestion = alias(t.name, &lower).or_else(|| crate::util::closest(&lower, spec.values.iter().copied(), 3));
                    if let Some(s) = suggestion {
                        let title = format!("Write `{}={s}`", t.name);
                        let edits = m.replace(cx, range, s);
                        diag = diag.with_fix(if policy_tag {
                            Fix::unsafe_(format!("{title} (the policy then applies)"), edits)
                        } else {
                            Fix::safe(title, edits)
                        });
                    }
                    out.push(diag);
                }
            }
            _ => {}
        }
    }
}
