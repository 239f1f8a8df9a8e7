//! `mail/` rules: MTA-STS, TLS-RPT, BIMI, null MX, senders without SPF, and
//! blocklisted senders (`zonels audit --dnsbl`).

pub mod bimi;
pub mod listed_sender;
pub mod mta_sts;
pub mod no_spf_for_sender;
pub mod null_mx_without_spf;
pub mod tls_rpt;
