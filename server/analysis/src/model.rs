//! The model every source format lowers into: zones of records, each record with its
//! source spans.

use std::sync::Arc;

use crate::diagnostics::FileId;
use crate::mapped::MappedText;
use crate::name::Name;
use crate::rrtype::{RrClass, RrType};
use crate::text::{OptRange, TextRange};

/// Where a record's data text lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rdata {
    /// Presentation-format tokens in the record's file, `start..end` from the first to the
    /// last data token (comments and parentheses in between included).
    Span(TextRange),
    /// Text produced by `$GENERATE`; diagnostics point at the directive. (A thin
    /// pointer: a record's data is then two words, not three.)
    Generated(Arc<String>),
    /// Data read from a host format (octoDNS, DNSControl, Terraform), rewritten in
    /// presentation format, with every token mapped back into the host file.
    Host(Arc<HostRdata>),
}

/// Record data lowered from a host format.
#[derive(Debug, PartialEq, Eq)]
pub struct HostRdata {
    /// The data in presentation format, as a zone file would write it.
    pub text: String,
    /// The host-file range of each data token of `text`, in order.
    pub tokens: Vec<TextRange>,
    /// The character-strings (TXT and the like), decoded and joined, mapped into the host
    /// file through its escaping; one piece per host string.
    pub strings: MappedText,
    /// The host literals the strings were read from, for writing edits back: an edit is
    /// made inside the literal that holds it.
    pub literals: Vec<Literal>,
}

/// A string literal in a host file, and how text is written into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    /// The whole literal, quotes included.
    pub range: TextRange,
    pub style: LiteralStyle,
    /// The piece is this literal alone (not a concatenation or an interpolation), so the
    /// literal can be rewritten whole.
    pub sole: bool,
    /// octoDNS: `;` in TXT values must be written `\;`.
    pub escaped_semicolons: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiteralStyle {
    YamlPlain,
    YamlSingle,
    YamlDouble,
    JsSingle,
    JsDouble,
    JsTemplate,
    HclQuoted,
    HclHeredoc,
}

/// The source format a zone was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Bind,
    OctoDns,
    DnsControl,
    Terraform,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Bind => "zone file",
            Format::OctoDns => "octoDNS",
            Format::DnsControl => "DNSControl",
            Format::Terraform => "Terraform",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Record {
    pub file: FileId,
    /// From the first to the last token of the record.
    pub span: TextRange,
    pub owner: Name,
    /// `None` when the owner is inherited from the previous record or generated.
    pub owner_span: OptRange,
    pub ttl: u32,
    pub ttl_span: OptRange,
    pub class: RrClass,
    pub rtype: RrType,
    pub type_span: TextRange,
    pub rdata: Rdata,
    /// The origin in effect for the record: relative names in its data are under it.
    pub origin: Option<Name>,
    /// The data did not parse for its type; semantic checks skip it.
    pub bad_rdata: bool,
}

impl Record {
    /// The data text of a record in presentation format (from the file, generated, or
    /// rewritten from a host format).
    pub fn rdata_text<'a>(&'a self, file_text: &'a str) -> &'a str {
        match &self.rdata {
            Rdata::Span(r) => file_text.get(r.as_usize()).unwrap_or(""),
            Rdata::Generated(s) => s,
            Rdata::Host(h) => &h.text,
        }
    }

    /// Range to point at for a finding about the whole data.
    pub fn rdata_range(&self) -> TextRange {
        match &self.rdata {
            Rdata::Span(r) => *r,
            Rdata::Generated(_) => self.span,
            Rdata::Host(h) => match (h.tokens.first(), h.tokens.last()) {
                (Some(a), Some(b)) => a.cover(*b),
                _ => self.span,
            },
        }
    }

    /// The record is written out in a zone file (not generated, not from a host format),
    /// so zone-file edits such as deleting its lines apply.
    pub fn is_zone_text(&self) -> bool {
        matches!(self.rdata, Rdata::Span(_))
    }

    pub fn host(&self) -> Option<&HostRdata> {
        match &self.rdata {
            Rdata::Host(h) => Some(h),
            _ => None,
        }
    }

    /// Range to point at for a finding about the owner name.
    pub fn owner_range(&self) -> TextRange {
        self.owner_span.get().unwrap_or(TextRange::at(self.span.start).cover(self.type_span))
    }

    pub fn is_generated(&self) -> bool {
        matches!(self.rdata, Rdata::Generated(_))
    }
}

/// Where the zone's origin came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginSource {
    Directive,
    Config,
    FileName,
    /// None known; relative names could not be completed.
    Unknown,
}

/// A zone as read from one top-level file and the files it includes.
#[derive(Debug)]
pub struct Zone {
    pub file: FileId,
    /// The apex: the SOA owner if there is an SOA, else the initial origin.
    pub apex: Name,
    pub origin_source: OriginSource,
    pub class: RrClass,
    pub records: Vec<Record>,
    /// Files this zone pulls in with `$INCLUDE`, transitively.
    pub included: Vec<FileId>,
    /// `$INCLUDE` directives, for navigation.
    pub includes: Vec<IncludeLink>,
    /// `$TTL` directives in parse order: (records before it, the default TTL from then on).
    pub ttl_defaults: Vec<(u32, Option<u32>)>,
    pub format: Format,
    /// Host formats: where new records for this zone are written (the end of a
    /// DNSControl `D()` call's arguments, say); `None` when zonels does not add records.
    pub insert_at: Option<TextRange>,
}

#[derive(Clone, Debug)]
pub struct IncludeLink {
    pub file: FileId,
    /// The path token of the directive.
    pub range: TextRange,
    pub target: FileId,
}
