//! `spf/` rules: SPF records (RFC 7208).

pub mod all_not_last;
pub mod deprecated_rrtype;
pub mod duplicate_modifier;
pub mod host_bits_set;
pub mod include_loop;
pub mod include_no_spf;
pub mod lookup_failed;
pub mod missing_all;
pub mod multiple_records;
pub mod mx_too_many_names;
pub mod permissive_all;
pub mod private_address;
pub mod ptr_mechanism;
pub mod record_too_long;
pub mod redirect_ignored;
pub mod redirect_no_spf;
pub mod redundant_term;
pub mod split_no_space;
pub mod syntax;
pub mod too_many_lookups;
pub mod too_many_void_lookups;
pub mod unknown_modifier;
pub mod unresolved;

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::SpfRecord;

/// Rules that look at one SPF record.
pub fn check_record(cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    syntax::check(cx, m, s, out);
    deprecated_rrtype::check(cx, m, s, out);
    split_no_space::check(cx, m, s, out);
    duplicate_modifier::check(cx, m, s, out);
    permissive_all::check(cx, m, s, out);
    missing_all::check(cx, m, s, out);
    all_not_last::check(cx, m, s, out);
    redirect_ignored::check(cx, m, s, out);
    ptr_mechanism::check(cx, m, s, out);
    private_address::check(cx, m, s, out);
    host_bits_set::check(cx, m, s, out);
    redundant_term::check(cx, m, s, out);
    record_too_long::check(cx, m, s, out);
    unknown_modifier::check(cx, m, s, out);
}

/// Rules that compare SPF records across names, and the ones that follow the
/// include/redirect tree through the layered DNS view.
/// The rules on the include tree of each of `records` that is a valid SPF record.
pub fn check_trees(cx: &MailCtx<'_>, records: &[MailRecord], out: &mut Vec<Diagnostic>) {
    let dns = cx.dns();
    for m in records {
        let crate::mail::Kind::Spf(s) = &m.kind else { continue };
        if !cx.ws.is_primary(m.zone) || !s.is_valid() {
            continue;
        }
        let tree = crate::mail::spf_tree::build_with(&dns, Some(&cx.spf_trees), m.owner.as_str(), s, m.value.bytes());
        too_many_lookups::check(cx, &dns, m, s, &tree, out);
        too_many_void_lookups::check(m, &tree, out);
        mx_too_many_names::check(m, &tree, out);
        include_no_spf::check(m, s, &tree, out);
        redirect_no_spf::check(m, s, &tree, out);
        include_loop::check(m, &tree, out);
        unresolved::check(m, &tree, out);
        lookup_failed::check(m, &tree, out);
    }
}

/// The value range that deletes term `i` together with the space before it.
pub fn term_deletion(s: &SpfRecord, i: usize) -> Range<u32> {
    let t = &s.terms[i];
    let prev_end = if i == 0 { s.version.end } else { s.terms[i - 1].range.end };
    prev_end..t.range.end
}

/// The record's text (value bytes) with term `i` removed.
pub fn without_term(value: &[u8], s: &SpfRecord, i: usize) -> Vec<u8> {
    let r = term_deletion(s, i);
    let mut v = value[..r.start as usize].to_vec();
    v.extend_from_slice(&value[r.end as usize..]);
    v
}
