//! `lock/` rules: the DNS snapshot `zonels.lock`.

pub mod invalid;
pub mod stale_entry;
