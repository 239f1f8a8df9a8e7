//! `txt/` rules: hazards inside the text of mail-authentication records.

pub mod lookalike_character;
pub mod stray_quotes;
