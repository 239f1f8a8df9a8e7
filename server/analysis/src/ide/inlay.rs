//! Inlay hints: the lookup cost of each DNS-querying SPF term and `n/10 lookups` at the
//! end of the record, `RSA 2048`/`ed25519` after a DKIM key, and numeric TTLs in words.

use super::{World, txt_info};
use crate::analysis::with_dns;
use crate::diagnostics::FileId;
use crate::mail::{Kind, spf_tree};
use crate::records::dkim_key::KeyVerdict;
use crate::text::TextRange;
use crate::zone::lexer::{Lexer, TokenKind};
use crate::zone::ttl::{humanize, parse_ttl};

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub lookups: bool,
    pub keys: bool,
    pub ttls: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { lookups: true, keys: true, ttls: true }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub offset: u32,
    pub label: String,
}

pub fn hints(world: &World, file: FileId, range: TextRange, opts: Options) -> Vec<Hint> {
    let mut out = Vec::new();
    for (_, _, r) in world.records_in(file) {
        if !(r.span.intersects(range) || (range.is_empty() && r.span.touches(range.start))) {
            continue;
        }
        if opts.ttls
            && let Some(s) = r.ttl_span.get()
            && world.sources.text(file)[s.as_usize()].bytes().all(|b| b.is_ascii_digit())
            && r.ttl >= 60
        {
            out.push(Hint { offset: s.end, label: humanize(r.ttl) });
        }
        let Some(info) = txt_info(world, r) else { continue };
        if info.value.generated {
            continue;
        }
        match &info.kind {
            Kind::Spf(s) if opts.lookups && s.is_valid() => {
                let (tree, _) =
                    with_dns(&world.zones, &world.sources, world.dns(), |d| spf_tree::build(d, r.owner.as_str(), s, info.value.bytes()));
                for n in &tree.nodes {
                    if n.cost == 0 {
                        continue;
                    }
                    let cost = n.cost + n.child.as_ref().map_or(0, |c| c.total());
                    let open = n.child.as_ref().is_some_and(|c| c.incomplete()) || n.unknown;
                    let label = format!("{}{cost} lookup{}", if open { "≥" } else { "" }, if cost == 1 { "" } else { "s" });
                    out.push(Hint { offset: info.value.src(n.range.clone()).end, label });
                }
                let bound = if tree.lower_bound() { "≥" } else { "" };
                out.push(Hint { offset: info.value.whole().end, label: format!("{bound}{}/10 lookups", tree.total()) });
            }
            Kind::Dkim(d) if opts.keys => {
                if let Some(p) = d.tags.get("p") {
                    let label = match &d.key {
                        Some(KeyVerdict::Rsa { bits, .. }) => format!("RSA {bits}"),
                        Some(KeyVerdict::Ed25519) => "ed25519".into(),
                        Some(KeyVerdict::Revoked) => "revoked".into(),
                        _ => continue,
                    };
                    out.push(Hint { offset: info.value.src(p.value_range.clone()).end, label });
                }
            }
            _ => {}
        }
    }
    // `$TTL` values.
    if opts.ttls && world.is_zone_text(file) {
        let text = world.sources.text(file);
        let idx = world.sources.get(file).line_index();
        let first = idx.line_of(range.start);
        let last = idx.line_of(range.end);
        for line in first..=last {
            let lr = idx.line_range(text, line);
            let words: Vec<_> = Lexer::with_range(text, lr).filter(|t| t.kind == TokenKind::Word).take(2).collect();
            if words.len() == 2
                && words[0].text(text).eq_ignore_ascii_case("$TTL")
                && words[1].text(text).bytes().all(|b| b.is_ascii_digit())
                && let Ok(v) = parse_ttl(words[1].text(text))
            {
                out.push(Hint { offset: words[1].range.end, label: humanize(v) });
            }
        }
    }
    out.sort_by_key(|h| h.offset);
    out
}
