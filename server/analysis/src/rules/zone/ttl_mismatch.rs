use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::{ZoneCtx, rrsets};

crate::declare_rule! {
    /// ## What it does
    /// Reports records of one RRset (same name, class and type) with different TTLs.
    ///
    /// ## Why it matters
    /// An RRset is cached as a unit with one TTL. Servers quietly use one value (BIND:
    /// `TTL set to prior TTL`), so the TTL you wrote on the other records is not the one
    /// published — and a lowered TTL before an MX or SPF change does not take effect.
    ///
    /// ## Example
    /// ```zone
    /// @ 3600 IN MX 10 mail1
    /// @ 300  IN MX 20 mail2
    /// ```
    /// Use instead:
    /// ```zone
    /// @ 300 IN MX 10 mail1
    /// @ 300 IN MX 20 mail2
    /// ```
    ///
    /// ## Reference
    /// RFC 2181 §5.2 (TTLs of RRs in an RRset).
    pub static RULE = {
        code: "zone/ttl-mismatch",
        severity: Warning,
        fix: None,
        summary: "RRs of one RRset with different TTLs",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    rrsets(cx, |set| {
        let first = set[0];
        // RRSIGs carry the TTL of the set they cover, which differs by design.
        if first.rtype == RrType::RRSIG {
            return;
        }
        for r in &set[1..] {
            if r.ttl != first.ttl {
                let range = r.ttl_span.get().unwrap_or(r.type_span);
                out.push(
                    Diagnostic::new(
                        &RULE,
                        r.file,
                        range,
                        format!(
                            "this {} record has TTL {} but the first {} record at `{}` has {}; an RRset has one TTL, and servers publish {} for all (RFC 2181 §5.2)",
                            r.rtype,
                            r.ttl,
                            r.rtype,
                            r.owner.display_short(),
                            first.ttl,
                            first.ttl
                        ),
                    )
                    .with_related(first.file, first.ttl_span.get().unwrap_or(first.type_span), "the first record of the RRset")
                    .for_record(r.span.start),
                );
            }
        }
    });
}
