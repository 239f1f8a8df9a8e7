//! `dkim/` rules: DKIM key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463).

pub mod bad_key;
pub mod bad_key_encoding;
pub mod bad_service_type;
pub mod duplicate_tag;
pub mod misplaced;
pub mod missing_key;
pub mod revoked_key;
pub mod sha1;
pub mod syntax;
pub mod testing_mode;
pub mod unknown_key_type;
pub mod version;
pub mod weak_key;

use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;

pub fn check_record(cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    syntax::check(cx, m, d, out);
    duplicate_tag::check(cx, m, d, out);
    version::check(cx, m, d, out);
    missing_key::check(cx, m, d, out);
    revoked_key::check(cx, m, d, out);
    bad_key_encoding::check(cx, m, d, out);
    bad_key::check(cx, m, d, out);
    weak_key::check(cx, m, d, out);
    unknown_key_type::check(cx, m, d, out);
    sha1::check(cx, m, d, out);
    testing_mode::check(cx, m, d, out);
    bad_service_type::check(cx, m, d, out);
}

/// The value without bytes `r`.
pub fn without(value: &[u8], r: std::ops::Range<u32>) -> Vec<u8> {
    let mut v = value[..r.start as usize].to_vec();
    v.extend_from_slice(&value[r.end as usize..]);
    v
}
