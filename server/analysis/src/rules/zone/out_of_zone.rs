use crate::diagnostics::Diagnostic;
use crate::zone::check::ZoneCtx;

crate::declare_rule! {
    /// ## What it does
    /// Reports a record whose owner name is not in the zone: neither the apex nor a name
    /// below it. This usually comes from an absolute name with a typo, a `$ORIGIN` set to
    /// another domain, or a record pasted from another zone.
    ///
    /// ## Why it matters
    /// Servers ignore out-of-zone data (BIND: `ignoring out-of-zone data`), so the record
    /// is never published: an SPF or DKIM record that sits there protects nothing.
    ///
    /// ## Example
    /// ```zone
    /// $ORIGIN example.com.
    /// _dmarc.example.org. IN TXT "v=DMARC1; p=none"
    /// ```
    /// Use instead: put the record in the `example.org` zone.
    ///
    /// ## Reference
    /// RFC 1034 §4.2 (zones and their data); RFC 2181 §6.
    pub static RULE = {
        code: "zone/out-of-zone",
        severity: Warning,
        fix: None,
        summary: "owner name outside the zone",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    let apex = &cx.zone.apex;
    if apex.is_root() {
        return;
    }
    for r in &cx.zone.records {
        if !r.owner.is_in(apex) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    r.file,
                    r.owner_range(),
                    format!(
                        "`{}` is outside zone `{}`; servers ignore this record, so it is never published",
                        r.owner.display_short(),
                        apex.display_short()
                    ),
                )
                .for_record(r.span.start),
            );
        }
    }
}
