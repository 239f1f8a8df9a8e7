use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::model::Record;
use crate::rrtype::RrType;
use crate::zone::check::{ZoneCtx, record_deletion_range, rrsets};
use crate::zone::index::{DataTokens, parse_ip};

crate::declare_rule! {
    /// ## What it does
    /// Reports a record that repeats another one exactly: same name, class, type and data
    /// (names in the data compared without regard to case).
    ///
    /// ## Why it matters
    /// Servers keep one copy, so the duplicate does nothing — but it usually marks a
    /// merge mistake, and when someone later edits one copy the other silently stays. For
    /// TXT records at an SPF or DMARC name, "the same record twice" is often really two
    /// slightly different policies: see `spf/multiple-records`.
    ///
    /// ## Example
    /// ```zone
    /// www IN A 192.0.2.10
    /// www IN A 192.0.2.10
    /// ```
    /// Use instead:
    /// ```zone
    /// www IN A 192.0.2.10
    /// ```
    ///
    /// ## Fix
    /// Deletes the later copy (safe: the published data is unchanged). Not offered when
    /// the copy shares its line with other data, or when deleting it would change which
    /// owner name or TTL the following lines inherit.
    ///
    /// ## Reference
    /// RFC 2181 §5 (an RRset is a set: duplicates are not kept).
    pub static RULE = {
        code: "zone/duplicate-record",
        severity: Warning,
        fix: Safe,
        summary: "the same RR twice",
    }
}

/// What makes two records of an RRset the same: the address of an A or AAAA record
/// (compared without writing it out: most RRsets of a large zone are addresses), the
/// canonical data text of the others.
#[derive(PartialEq)]
enum Key {
    Address(std::net::IpAddr),
    Text(String),
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    rrsets(cx, |set| {
        let mut keys: Vec<(Key, &Record)> = Vec::with_capacity(set.len());
        for &r in set {
            if r.bad_rdata {
                continue;
            }
            let data = DataTokens::of(r, cx.text(r));
            // An address that does not parse has bad data, skipped above; its text
            // would be its key, as in `DataTokens::canonical`.
            let key = match data.get(0).filter(|_| matches!(r.rtype, RrType::A | RrType::AAAA)).and_then(parse_ip) {
                Some(ip) => Key::Address(ip),
                None => Key::Text(data.canonical(r.rtype, r.origin.as_ref())),
            };
            if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key) {
                let mut d = Diagnostic::new(
                    &RULE,
                    r.file,
                    r.rdata_range(),
                    format!(
                        "this {} record repeats an earlier one at `{}`; servers keep one copy, so delete this one",
                        r.rtype,
                        r.owner.display_short()
                    ),
                )
                .with_related(first.file, first.rdata_range(), "the first copy")
                .for_record(r.span.start);
                let pos = crate::util::index_in(&cx.zone.records, r);
                if let Some(range) = pos.and_then(|p| record_deletion_range(cx.zone, p, cx.sources)) {
                    d = d.with_fix(Fix::safe("Delete the duplicate record", vec![Edit::delete(r.file, range)]));
                }
                out.push(d);
            } else {
                keys.push((key, r));
            }
        }
    });
}
