//! `zone/` rules: master-file syntax and zone semantics.

pub mod bad_rdata;
pub mod bad_ttl;
pub mod cname_and_other_data;
pub mod cname_at_apex;
pub mod duplicate_record;
pub mod include_cycle;
pub mod include_not_found;
pub mod limit_exceeded;
pub mod missing_ns;
pub mod missing_soa;
pub mod missing_trailing_dot;
pub mod missing_ttl;
pub mod multiple_cname;
pub mod multiple_soa;
pub mod mx_target_is_address;
pub mod mx_target_is_cname;
pub mod mx_target_no_address;
pub mod name_too_long;
pub mod ns_target_is_cname;
pub mod null_mx_mixed;
pub mod out_of_zone;
pub mod syntax;
pub mod ttl_mismatch;
pub mod txt_string_too_long;
pub mod unknown_origin;
pub mod unknown_type;
