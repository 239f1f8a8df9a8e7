//! Editor features over an analysed workspace: hover, completion, inlay hints,
//! symbols, navigation, folding, semantic tokens and formatting. Pure functions of the
//! analysis; the language server converts their results to protocol types.

pub mod complete;
pub mod format;
pub mod hover;
pub mod inlay;
pub mod navigate;
pub mod tokens;

use crate::analysis::DnsInputs;
use crate::config::Config;
use crate::diagnostics::FileId;
use crate::dns::Answers;
use crate::mail::value::TxtValue;
use crate::mail::{Kind, classify};
use crate::model::{Record, Zone};
use crate::source::SourceDb;

/// An analysed workspace: what every feature reads.
pub struct World {
    pub sources: SourceDb,
    pub zones: Vec<Zone>,
    pub config: Config,
    pub snapshot: Answers,
    pub live: Answers,
}

impl World {
    /// Whether `file` is written in zone-file syntax (not a YAML, JavaScript or Terraform
    /// host file, whose own editor support handles its syntax).
    pub fn is_zone_text(&self, file: FileId) -> bool {
        !crate::analysis::is_host_candidate(&self.sources.get(file).path)
    }

    pub fn dns(&self) -> DnsInputs<'_> {
        DnsInputs { snapshot: &self.snapshot, live: &self.live }
    }

    /// Records written in `file` (its own zone's, or those a zone includes from it).
    pub fn records_in(&self, file: FileId) -> impl Iterator<Item = (usize, usize, &Record)> + '_ {
        self.zones
            .iter()
            .enumerate()
            .flat_map(move |(zi, z)| z.records.iter().enumerate().filter(move |(_, r)| r.file == file).map(move |(ri, r)| (zi, ri, r)))
    }

    /// The record of `file` whose span holds `offset` (touching its end counts).
    pub fn record_at(&self, file: FileId, offset: u32) -> Option<(usize, usize, &Record)> {
        self.records_in(file).find(|(_, _, r)| r.span.touches(offset))
    }
}

/// A TXT record's value and what it is, for features that look inside it.
pub struct TxtInfo {
    pub value: TxtValue,
    pub kind: Kind,
}

pub fn txt_info(world: &World, r: &Record) -> Option<TxtInfo> {
    if !(r.rtype == crate::rrtype::RrType::TXT || r.rtype == crate::rrtype::RrType::SPF) || r.bad_rdata {
        return None;
    }
    let value = TxtValue::of_record(r, &world.sources);
    let kind = classify(&r.owner, value.bytes());
    Some(TxtInfo { value, kind })
}
