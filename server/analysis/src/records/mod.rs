//! Parsers for the records that decide whether mail is delivered: SPF, DKIM keys,
//! DMARC, MTA-STS, TLS-RPT and BIMI. Each works on the decoded TXT value and returns
//! ranges into it; the mail checks map them back to the source file.

pub mod bimi;
pub mod dkim;
pub mod dkim_key;
pub mod dmarc;
pub mod mta_sts;
pub mod spf;
pub mod tag_list;
pub mod tls_rpt;
