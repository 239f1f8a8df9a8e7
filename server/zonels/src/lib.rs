//! zonels: the command line and the language server around `zonels-analysis`.

pub mod audit;
pub mod cli;
pub mod lsp;
pub mod memory;
pub mod resolve;
pub mod safe_write;
pub mod workspace;
