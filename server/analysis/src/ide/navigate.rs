//! Document symbols, go to definition, references and folding ranges.

use super::{World, txt_info};
use crate::diagnostics::FileId;
use crate::mail::Kind;
use crate::name::Name;
use crate::records::spf::{Mechanism, Modifier};
use crate::rrtype::RrType;
use crate::text::TextRange;
use crate::zone::index::DataTokens;
use crate::zone::lexer::{Lexer, TokenKind};

#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub detail: String,
    pub range: TextRange,
    pub selection: TextRange,
    /// RRsets of the name: (type, range).
    pub children: Vec<(String, TextRange)>,
}

/// One symbol per owner name (in order of appearance) with its RRsets.
pub fn symbols(world: &World, file: FileId) -> Vec<Symbol> {
    let mut out: Vec<(Name, Symbol)> = Vec::new();
    for (zi, _, r) in world.records_in(file) {
        let apex = &world.zones[zi].apex;
        let sym = match out.iter_mut().find(|(n, _)| *n == r.owner) {
            Some((_, s)) => s,
            None => {
                let name = if r.owner.is_in(apex) && !apex.is_root() { r.owner.relative_to(apex) } else { r.owner.to_string() };
                out.push((
                    r.owner.clone(),
                    Symbol { name, detail: String::new(), range: r.span, selection: r.owner_range(), children: Vec::new() },
                ));
                &mut out.last_mut().expect("just pushed").1
            }
        };
        sym.range = sym.range.cover(r.span);
        let t = r.rtype.to_string();
        match sym.children.iter_mut().find(|(c, _)| *c == t) {
            Some((_, range)) => *range = range.cover(r.span),
            None => sym.children.push((t, r.span)),
        }
    }
    out.into_iter()
        .map(|(_, mut s)| {
            s.detail = s.children.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(", ");
            s
        })
        .collect()
}

/// The name under the cursor: an owner, a target in record data, or an SPF domain.
fn name_at(world: &World, file: FileId, offset: u32) -> Option<(Name, TextRange)> {
    let (_, _, r) = world.record_at(file, offset)?;
    if let Some(s) = r.owner_span.get().filter(|s| s.touches(offset)) {
        return Some((r.owner.clone(), s));
    }
    if let Some(info) = txt_info(world, r) {
        let val = info.value.mapped.val_at(offset)?;
        if let Kind::Spf(s) = &info.kind {
            let t = s.terms.iter().find(|t| t.range.start <= val && val <= t.range.end)?;
            let spec = match &t.kind {
                crate::records::spf::TermKind::Directive { mechanism, .. } => mechanism.domain(),
                crate::records::spf::TermKind::Modifier { modifier: Modifier::Redirect(d), .. } => Some(d),
                _ => None,
            }?;
            let n = Name::parse_absolute(&spec.literal_name()?).ok()?;
            return Some((n, info.value.src(spec.range.clone())));
        }
        return None;
    }
    let data = DataTokens::of(r, world.sources.text(r.file));
    let i = data.toks.iter().position(|t| t.range.touches(offset))?;
    let idx = match r.rtype {
        RrType::MX | RrType::KX | RrType::AFSDB => 1,
        RrType::SRV => 3,
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME => 0,
        _ => return None,
    };
    if i != idx {
        return None;
    }
    Some((data.name(i, r.origin.as_ref())?, data.range(i)))
}

/// Go to definition: an `$INCLUDE`'s file, or where the name under the cursor is defined
/// in the workspace (its first record; for an SPF `include:`, its SPF record).
pub fn definition(world: &World, file: FileId, offset: u32) -> Vec<(FileId, TextRange)> {
    for z in &world.zones {
        for link in &z.includes {
            if link.file == file && link.range.touches(offset) {
                return vec![(link.target, TextRange::default())];
            }
        }
    }
    let Some((name, _)) = name_at(world, file, offset) else { return Vec::new() };
    let records: Vec<&crate::model::Record> = world.zones.iter().flat_map(|z| &z.records).filter(|r| r.owner == name).collect();
    let spf = records.iter().find(|r| txt_info(world, r).is_some_and(|i| matches!(i.kind, Kind::Spf(_))));
    match spf.or(records.first()) {
        Some(r) => vec![(r.file, r.owner_span.get().unwrap_or(r.span))],
        None => Vec::new(),
    }
}

/// Every place that names the name under the cursor: owners and targets.
pub fn references(world: &World, file: FileId, offset: u32) -> Vec<(FileId, TextRange)> {
    let Some((name, _)) = name_at(world, file, offset) else { return Vec::new() };
    let mut out = Vec::new();
    for z in &world.zones {
        for r in &z.records {
            if r.owner == name
                && let Some(s) = r.owner_span.get()
            {
                out.push((r.file, s));
            }
            if let Some(info) = txt_info(world, r) {
                if let Kind::Spf(s) = &info.kind {
                    for t in &s.terms {
                        let spec = match (&t.kind, t.mechanism()) {
                            (_, Some(m @ (Mechanism::Include(_) | Mechanism::A { .. } | Mechanism::Mx { .. } | Mechanism::Exists(_)))) => {
                                m.domain()
                            }
                            (crate::records::spf::TermKind::Modifier { modifier: Modifier::Redirect(d), .. }, _) => Some(d),
                            _ => None,
                        };
                        if let Some(spec) =
                            spec.filter(|d| d.literal_name().is_some_and(|n| Name::parse_absolute(&n).is_ok_and(|n| n == name)))
                        {
                            out.push((r.file, info.value.src(spec.range.clone())));
                        }
                    }
                }
                continue;
            }
            let idx = match r.rtype {
                RrType::MX => 1,
                RrType::SRV => 3,
                RrType::CNAME | RrType::NS | RrType::PTR => 0,
                _ => continue,
            };
            let data = DataTokens::of(r, world.sources.text(r.file));
            if data.name(idx, r.origin.as_ref()).is_some_and(|n| n == name) {
                out.push((r.file, data.range(idx)));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Folding ranges (first line, last line, is a comment block): multi-line records and
/// runs of comment lines.
pub fn folding(world: &World, file: FileId) -> Vec<(u32, u32, bool)> {
    if !world.is_zone_text(file) {
        return Vec::new();
    }
    let src = world.sources.get(file);
    let idx = src.line_index();
    let mut out = Vec::new();
    let mut last_span = None;
    for (_, _, r) in world.records_in(file) {
        if last_span == Some(r.span) {
            continue;
        }
        last_span = Some(r.span);
        let (a, b) = (idx.line_of(r.span.start), idx.line_of(r.span.end));
        if b > a {
            out.push((a, b, false));
        }
    }
    let mut run: Option<(u32, u32)> = None;
    for line in 0..idx.line_count() as u32 {
        let lr = idx.line_range(&src.text, line);
        let is_comment = Lexer::with_range(&src.text, lr).filter(|t| t.kind != TokenKind::Whitespace).all(|t| t.kind == TokenKind::Comment)
            && Lexer::with_range(&src.text, lr).any(|t| t.kind == TokenKind::Comment);
        match (is_comment, run) {
            (true, Some((s, _))) => run = Some((s, line)),
            (true, None) => run = Some((line, line)),
            (false, Some((s, e))) => {
                if e > s {
                    out.push((s, e, true));
                }
                run = None;
            }
            (false, None) => {}
        }
    }
    if let Some((s, e)) = run.filter(|(s, e)| e > s) {
        out.push((s, e, true));
    }
    out.sort();
    out
}
