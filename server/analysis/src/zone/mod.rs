//! BIND master files: lexer, parser, per-type data validation and zone checks.

pub mod check;
pub mod index;
pub mod lexer;
pub mod parser;
pub mod rdata;
pub mod strings;
pub mod ttl;

pub use parser::{ParseInput, ParsedZone, parse_zone};
