//! `drift/` rules: the published DNS against the repository (`zonels audit`). The
//! comparison itself is in `crate::audit`; these are the codes it reports under.

pub mod changed;
pub mod missing;
pub mod nameservers_disagree;
pub mod query_failed;
pub mod ttl;
pub mod unexpected;
pub mod upstream_changed;
