//! `host/` rules: what only DNS-as-code files can get wrong (octoDNS, DNSControl,
//! Terraform), and what zonels cannot read in them.

pub mod octodns_unescaped_semicolon;
pub mod route53_unsplit_txt;
pub mod unsupported_construct;
