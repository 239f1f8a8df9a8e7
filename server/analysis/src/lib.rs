//! zonels-analysis: the pure core of zonels.
//!
//! Sources go in, findings come out. No file system, no network, no async: callers
//! supply texts (and `$INCLUDE` targets through [`source::SourceLoader`]), and the
//! analysis is deterministic.

pub mod analysis;
pub mod audit;
pub mod config;
pub mod diagnostics;
pub mod dns;
pub mod hosts;
pub mod ide;
pub mod lock;
pub mod mail;
pub mod mapped;
pub mod model;
pub mod name;
pub mod records;
pub mod rrtype;
pub mod rules;
pub mod source;
pub mod spf_eval;
pub mod suppress;
pub mod text;
pub mod timing;
pub mod util;
pub mod zone;

pub use analysis::{Analysis, AnalysisInput, analyze};
pub use diagnostics::{Applicability, Diagnostic, Edit, FileId, Fix, Severity};
