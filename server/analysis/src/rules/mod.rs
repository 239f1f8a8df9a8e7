//! The rule registry: every finding code, its default severity, whether it has a
//! fix, and its documentation (the doc comment on its declaration, which is what
//! `zonels explain CODE` prints). One file per rule.

use crate::diagnostics::Severity;

pub mod config;
pub mod dkim;
pub mod dmarc;
pub mod lock;
pub mod mail;
pub mod spf;
pub mod txt;
pub mod zone;

/// Whether a rule offers a fix, and how safe it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FixKind {
    None,
    /// Every fix of this rule keeps the record's meaning.
    Safe,
    /// Offered in the editor; changes behaviour and says so in its title.
    Unsafe,
    /// Some fixes are safe, others change behaviour.
    Mixed,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "none",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::Mixed => "mixed",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub fix: FixKind,
    /// One line for `zonels rules`.
    pub summary: &'static str,
    /// Markdown: What it does / Why it matters / Example / Fix / Reference.
    pub doc: &'static str,
}

impl Rule {
    /// The documentation with the one leading space of each `///` line removed.
    pub fn doc_text(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    pub fn family(&self) -> &'static str {
        self.code.split('/').next().unwrap_or(self.code)
    }
}

/// Declares a rule. The doc comment is the rule's documentation.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $id:ident = {
            code: $code:literal,
            severity: $sev:ident,
            fix: $fix:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $id: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            severity: $crate::diagnostics::Severity::$sev,
            fix: $crate::rules::FixKind::$fix,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
        };
    };
}

/// Every rule, in catalogue order.
pub fn all() -> &'static [&'static Rule] {
    ALL
}

pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}

static ALL: &[&Rule] = &[
    &zone::syntax::RULE,
    &zone::unknown_type::RULE,
    &zone::bad_rdata::RULE,
    &zone::bad_ttl::RULE,
    &zone::missing_ttl::RULE,
    &zone::unknown_origin::RULE,
    &zone::missing_trailing_dot::RULE,
    &zone::name_too_long::RULE,
    &zone::txt_string_too_long::RULE,
    &zone::missing_soa::RULE,
    &zone::multiple_soa::RULE,
    &zone::missing_ns::RULE,
    &zone::out_of_zone::RULE,
    &zone::cname_and_other_data::RULE,
    &zone::cname_at_apex::RULE,
    &zone::multiple_cname::RULE,
    &zone::mx_target_is_cname::RULE,
    &zone::mx_target_is_address::RULE,
    &zone::mx_target_no_address::RULE,
    &zone::ns_target_is_cname::RULE,
    &zone::null_mx_mixed::RULE,
    &zone::ttl_mismatch::RULE,
    &zone::duplicate_record::RULE,
    &zone::include_not_found::RULE,
    &zone::include_cycle::RULE,
    &zone::limit_exceeded::RULE,
    &spf::syntax::RULE,
    &spf::multiple_records::RULE,
    &spf::deprecated_rrtype::RULE,
    &spf::split_no_space::RULE,
    &spf::duplicate_modifier::RULE,
    &spf::permissive_all::RULE,
    &spf::missing_all::RULE,
    &spf::all_not_last::RULE,
    &spf::redirect_ignored::RULE,
    &spf::ptr_mechanism::RULE,
    &spf::private_address::RULE,
    &spf::host_bits_set::RULE,
    &spf::redundant_term::RULE,
    &spf::record_too_long::RULE,
    &spf::unknown_modifier::RULE,
    &spf::too_many_lookups::RULE,
    &spf::too_many_void_lookups::RULE,
    &spf::mx_too_many_names::RULE,
    &spf::include_no_spf::RULE,
    &spf::redirect_no_spf::RULE,
    &spf::include_loop::RULE,
    &spf::unresolved::RULE,
    &spf::lookup_failed::RULE,
    &dkim::syntax::RULE,
    &dkim::duplicate_tag::RULE,
    &dkim::version::RULE,
    &dkim::missing_key::RULE,
    &dkim::revoked_key::RULE,
    &dkim::bad_key_encoding::RULE,
    &dkim::bad_key::RULE,
    &dkim::weak_key::RULE,
    &dkim::unknown_key_type::RULE,
    &dkim::sha1::RULE,
    &dkim::testing_mode::RULE,
    &dkim::bad_service_type::RULE,
    &dkim::misplaced::RULE,
    &dmarc::syntax::RULE,
    &dmarc::version::RULE,
    &dmarc::missing_policy::RULE,
    &dmarc::policy_order::RULE,
    &dmarc::bad_value::RULE,
    &dmarc::multiple_records::RULE,
    &dmarc::misplaced::RULE,
    &dmarc::bad_uri::RULE,
    &dmarc::external_destination::RULE,
    &dmarc::unknown_tag::RULE,
    &dmarc::monitoring_only::RULE,
    &dmarc::partial_pct::RULE,
    &dmarc::enforced_without_auth::RULE,
    &dmarc::obsolete_tag::RULE,
    &dmarc::missing_record::RULE,
    &mail::mta_sts::RULE,
    &mail::tls_rpt::RULE,
    &mail::bimi::RULE,
    &mail::null_mx_without_spf::RULE,
    &mail::no_spf_for_sender::RULE,
    &txt::lookalike_character::RULE,
    &txt::stray_quotes::RULE,
    &config::invalid::RULE,
    &lock::invalid::RULE,
    &lock::stale_entry::RULE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for r in all() {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            let doc = r.doc_text();
            for section in ["## What it does", "## Why it matters", "## Example", "## Reference"] {
                assert!(doc.contains(section), "{} lacks `{section}`", r.code);
            }
            assert!(
                r.code.split('/').count() == 2
                    && r.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '/' || c == '-'),
                "{} is not family/kebab-case",
                r.code
            );
        }
    }
}
