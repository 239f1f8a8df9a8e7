//! `config/` rules: problems in `zonels.toml`.

pub mod invalid;
