//! `dmarc/` rules: DMARC records (RFC 9989, with RFC 7489 compatibility).

pub mod bad_uri;
pub mod bad_value;
pub mod enforced_without_auth;
pub mod external_destination;
pub mod misplaced;
pub mod missing_policy;
pub mod missing_record;
pub mod monitoring_only;
pub mod multiple_records;
pub mod obsolete_tag;
pub mod partial_pct;
pub mod policy_order;
pub mod syntax;
pub mod unknown_tag;
pub mod version;

use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::DmarcRecord;

pub fn check_record(cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    syntax::check(cx, m, d, out);
    version::check(cx, m, d, out);
    missing_policy::check(cx, m, d, out);
    policy_order::check(cx, m, d, out);
    bad_value::check(cx, m, d, out);
    bad_uri::check(cx, m, d, out);
    unknown_tag::check(cx, m, d, out);
    monitoring_only::check(cx, m, d, out);
    partial_pct::check(cx, m, d, out);
    obsolete_tag::check(cx, m, d, out);
}

/// The value without bytes `r`, white space at the edges trimmed.
pub fn without(value: &[u8], r: std::ops::Range<u32>) -> String {
    let mut v = value[..r.start as usize].to_vec();
    v.extend_from_slice(&value[r.end as usize..]);
    crate::util::lossy(&v).trim().to_string()
}
