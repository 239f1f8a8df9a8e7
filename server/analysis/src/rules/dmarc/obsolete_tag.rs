use crate::config::DmarcProfile;
use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::DmarcRecord;

crate::declare_rule! {
    /// ## What it does
    /// Notes the tags RFC 9989 (DMARCbis) removed: `pct`, `rf` and `ri`. (Not reported
    /// with `[dmarc] profile = "rfc7489"` in zonels.toml.)
    ///
    /// ## Why it matters
    /// Receivers that follow RFC 9989 ignore them. `pct=0`, used to mean "monitor without
    /// applying the policy", is written `t=y` now; other `pct` values simply stop working.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=quarantine; pct=0; rf=afrf; ri=86400"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=quarantine; t=y"
    /// ```
    ///
    /// ## Fix
    /// Drops `rf`, `ri` and `pct=100` (safe: no effect anywhere); rewrites `pct=0` as
    /// `t=y` (safe). Other `pct` values are dropped only in the editor, where the title
    /// says the policy then applies to all mail.
    ///
    /// ## Reference
    /// RFC 9989 §4.7, Appendix A.6 (removed tags).
    pub static RULE = {
        code: "dmarc/obsolete-tag",
        severity: Info,
        fix: Mixed,
        summary: "pct, rf, ri were removed by RFC 9989",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    if cx.config.dmarc_profile == DmarcProfile::Rfc7489 {
        return;
    }
    for t in d.tags.iter() {
        if !matches!(t.name, "pct" | "rf" | "ri") {
            continue;
        }
        let rest = super::without(m.value.bytes(), t.spec_range.clone());
        let rest = rest.trim_end_matches(';').to_string();
        let fix = match (t.name, t.value.trim()) {
            ("pct", "0") if d.tag("t").is_none() => Fix::safe("Write `t=y` instead of `pct=0`", m.replace(cx, t.range.clone(), "t=y")),
            ("pct", "100") | ("rf", _) | ("ri", _) => Fix::safe(format!("Remove `{}=`", t.name), m.rewrite(cx, rest.as_bytes())),
            _ => Fix::unsafe_(
                format!("Remove `{}={}` (the policy then applies to all failing mail)", t.name, t.value),
                m.rewrite(cx, rest.as_bytes()),
            ),
        };
        let note = if t.name == "pct" && t.value.trim() == "0" { "; use `t=y` for testing mode" } else { "" };
        out.push(
            m.diag(&RULE, t.range.clone(), format!("`{}=` was removed by RFC 9989: receivers that follow it ignore the tag{note}", t.name))
                .with_fix(fix),
        );
    }
}
