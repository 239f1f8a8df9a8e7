//! The zones of a workspace as one namespace: which zone is authoritative for a name,
//! and what records it has there.

use rustc_hash::FxHashMap;

use crate::model::{Record, Zone};
use crate::name::NameRef;
use crate::rrtype::RrType;
use crate::source::SourceDb;
use crate::zone::index::ZoneIndex;

pub struct WorkspaceZones<'a> {
    pub zones: &'a [Zone],
    pub indexes: &'a [ZoneIndex<'a>],
    pub sources: &'a SourceDb,
    /// Apex → the first zone with that apex (later ones with the same apex are copies:
    /// checked on their own, but not used to answer for the name).
    apexes: FxHashMap<&'a str, usize>,
    /// The one zone, when there is one apex: a name is looked up without hashing it.
    only: Option<usize>,
}

/// What the workspace says about a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// A workspace zone is authoritative and the name has records (or children).
    Exists,
    /// A workspace zone is authoritative and the name does not exist: NXDOMAIN.
    NxDomain,
    /// No workspace zone is authoritative for the name.
    Outside,
}

impl<'a> WorkspaceZones<'a> {
    pub fn new(zones: &'a [Zone], indexes: &'a [ZoneIndex<'a>], sources: &'a SourceDb) -> Self {
        let mut apexes = FxHashMap::default();
        for (i, z) in zones.iter().enumerate() {
            if z.apex.is_root() {
                continue;
            }
            apexes.entry(z.apex.as_str()).or_insert(i);
        }
        let only = if apexes.len() == 1 { apexes.values().next().copied() } else { None };
        WorkspaceZones { zones, indexes, sources, apexes, only }
    }

    pub fn is_primary(&self, zi: usize) -> bool {
        let apex = self.zones[zi].apex.as_str();
        self.apexes.get(apex).is_none_or(|&p| p == zi) || self.zones[zi].apex.is_root()
    }

    /// The workspace zone authoritative for `name`: the closest enclosing apex, unless
    /// the name lies below a delegation in it.
    pub fn zone_of<'n>(&self, name: impl Into<NameRef<'n>>) -> Option<usize> {
        let name = name.into();
        let zi = match self.only {
            Some(zi) => Some(zi).filter(|&zi| name.is_in(self.zones[zi].apex.name_ref())),
            None => name.suffixes().find_map(|suffix| self.apexes.get(suffix).copied()),
        }?;
        let apex = &self.zones[zi].apex;
        if self.indexes[zi].below_delegation(name, apex) || self.indexes[zi].is_delegation(name, apex) {
            return None;
        }
        Some(zi)
    }

    /// The records of type `t` at `name`, from the authoritative workspace zone.
    pub fn rrset<'n>(&self, name: impl Into<NameRef<'n>>, t: RrType) -> Vec<&'a Record> {
        let name = name.into();
        match self.zone_of(name) {
            Some(zi) => self.indexes[zi].rrset(name.as_str(), t).filter(|r| !r.bad_rdata).collect(),
            None => Vec::new(),
        }
    }

    pub fn presence<'n>(&self, name: impl Into<NameRef<'n>>) -> Presence {
        let name = name.into();
        let Some(zi) = self.zone_of(name) else { return Presence::Outside };
        if self.indexes[zi].has_name(name.as_str()) || self.indexes[zi].has_descendants(name.as_str()) {
            Presence::Exists
        } else {
            Presence::NxDomain
        }
    }
}
