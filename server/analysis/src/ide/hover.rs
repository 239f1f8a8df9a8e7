//! Hover: what the thing under the cursor means — an SPF term and what it costs (with
//! the include tree it pulls in), a DKIM key's type and size, a DMARC tag and its
//! effective value, an RR type and its RFC, a TTL in words, an owner's absolute name.

use super::{World, txt_info};
use crate::analysis::with_dns;
use crate::diagnostics::FileId;
use crate::mail::Kind;
use crate::mail::spf_tree;
use crate::records::dkim_key::KeyVerdict;
use crate::records::dmarc::{self, tag_spec};
use crate::records::spf::{Mechanism, Modifier, Qualifier, SpfRecord, TermKind};
use crate::rrtype::RrType;
use crate::text::TextRange;
use crate::zone::index::DataTokens;
use crate::zone::lexer::{Lexer, TokenKind};
use crate::zone::ttl::{humanize, parse_ttl};

pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

pub fn hover(world: &World, file: FileId, offset: u32) -> Option<Hover> {
    if let Some(h) = directive(world, file, offset) {
        return Some(h);
    }
    let (_, _, rec) = world.record_at(file, offset)?;
    if let Some(s) = rec.owner_span.get().filter(|s| s.touches(offset)) {
        let count = world.zones.iter().flat_map(|z| &z.records).filter(|r| r.owner == rec.owner).count();
        return Some(Hover {
            range: s,
            markdown: format!("**{}**\n\nabsolute name; {count} record{} at this name", rec.owner, if count == 1 { "" } else { "s" }),
        });
    }
    if let Some(s) = rec.ttl_span.get().filter(|s| s.touches(offset)) {
        return Some(Hover {
            range: s,
            markdown: format!("TTL **{}** seconds = **{}**: how long resolvers cache this record", rec.ttl, humanize(rec.ttl)),
        });
    }
    if rec.type_span.touches(offset) {
        return Some(Hover { range: rec.type_span, markdown: rr_type_doc(rec.rtype) });
    }
    if let Some(info) = txt_info(world, rec) {
        let val = info.value.mapped.val_at(offset).or_else(|| offset.checked_sub(1).and_then(|o| info.value.mapped.val_at(o)))?;
        let range_of = |r: std::ops::Range<u32>| info.value.src(r);
        return match &info.kind {
            Kind::Spf(s) => spf_hover(world, &rec.owner.to_string(), s, info.value.bytes(), val)
                .map(|(r, md)| Hover { range: range_of(r), markdown: md }),
            Kind::Dkim(d) => {
                let t = d.tags.iter().find(|t| t.range.start <= val && val <= t.range.end.max(t.range.start))?;
                let md = dkim_tag_doc(t.name, t.value, d);
                Some(Hover { range: range_of(t.range.clone()), markdown: md })
            }
            Kind::Dmarc(d) => {
                let t = d.tags.iter().find(|t| t.range.start <= val && val <= t.range.end)?;
                Some(Hover { range: range_of(t.range.clone()), markdown: dmarc_tag_doc(t.name, d) })
            }
            _ => None,
        };
    }
    // Names and timers in other data.
    let data = DataTokens::of(rec, world.sources.text(rec.file));
    let i = data.toks.iter().position(|t| t.range.touches(offset))?;
    let text = data.get(i)?;
    if rec.rtype == RrType::SOA && i >= 3 {
        let what = ["refresh", "retry", "expire", "minimum (negative caching) TTL"][i - 3..].first()?;
        let secs = parse_ttl(text).ok()?;
        return Some(Hover { range: data.range(i), markdown: format!("SOA {what}: **{secs}** seconds = **{}**", humanize(secs)) });
    }
    let n = data.name(i, rec.origin.as_ref())?;
    if text.contains('.') || text == "@" || matches!(rec.rtype, RrType::MX | RrType::NS | RrType::CNAME | RrType::PTR | RrType::SRV) {
        return Some(Hover { range: data.range(i), markdown: format!("**{n}**") });
    }
    None
}

fn directive(world: &World, file: FileId, offset: u32) -> Option<Hover> {
    if !world.is_zone_text(file) {
        return None;
    }
    let src = world.sources.get(file);
    let idx = src.line_index();
    let line = idx.line_of(offset);
    let lr = idx.line_range(&src.text, line);
    let toks: Vec<_> = Lexer::with_range(&src.text, lr).filter(|t| t.kind == TokenKind::Word).collect();
    let first = toks.first()?;
    let kw = first.text(&src.text).to_ascii_uppercase();
    if !kw.starts_with('$') {
        return None;
    }
    let tok = toks.iter().find(|t| t.range.touches(offset))?;
    if tok.range == first.range {
        let doc = match kw.as_str() {
            "$ORIGIN" => "`$ORIGIN name` — relative names after this line are completed with `name` (RFC 1035 §5.1)",
            "$TTL" => "`$TTL ttl` — the default TTL of records that give none (RFC 2308 §4)",
            "$INCLUDE" => {
                "`$INCLUDE file [origin]` — reads another file here, relative to this one; zonels never reads outside the workspace (RFC 1035 §5.1)"
            }
            "$GENERATE" => "`$GENERATE start-stop[/step] lhs [ttl] [class] type rhs` — BIND: one record per number, `$` replaced by it",
            _ => return None,
        };
        return Some(Hover { range: tok.range, markdown: doc.into() });
    }
    if kw == "$TTL" {
        let secs = parse_ttl(tok.text(&src.text)).ok()?;
        return Some(Hover { range: tok.range, markdown: format!("default TTL **{secs}** seconds = **{}**", humanize(secs)) });
    }
    None
}

pub fn rr_type_doc(t: RrType) -> String {
    match t.info() {
        Some(i) => format!("**{}** (type {}) — {}\n\n{}", i.mnemonic, i.code, i.description, i.rfc),
        None => format!("**{t}** — an RR type without a registered mnemonic (RFC 3597 generic syntax)"),
    }
}

fn qualifier_doc(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Pass => "`+` pass: matching senders are authorised",
        Qualifier::Fail => "`-` fail: matching senders are not authorised; receivers may reject",
        Qualifier::SoftFail => "`~` softfail: probably not authorised; receivers usually accept but mark",
        Qualifier::Neutral => "`?` neutral: no statement",
    }
}

fn mechanism_doc(m: &Mechanism) -> &'static str {
    match m {
        Mechanism::All => "matches every sender: the result for everyone not matched earlier",
        Mechanism::Include(_) => "evaluates the target's SPF record; matches if it passes (RFC 7208 §5.2)",
        Mechanism::A { .. } => "matches the addresses of the name's A/AAAA records (RFC 7208 §5.3)",
        Mechanism::Mx { .. } => "matches the addresses of the name's mail exchangers (RFC 7208 §5.4)",
        Mechanism::Ptr(_) => "matches when the sender's reverse DNS name is under the target — slow and discouraged (RFC 7208 §5.5)",
        Mechanism::Ip4 { .. } => "matches an IPv4 network (RFC 7208 §5.6)",
        Mechanism::Ip6 { .. } => "matches an IPv6 network (RFC 7208 §5.6)",
        Mechanism::Exists(_) => "matches if the (usually macro-built) name has an A record (RFC 7208 §5.7)",
    }
}

/// Hover inside an SPF record: the term under `val`.
fn spf_hover(world: &World, domain: &str, s: &SpfRecord, value: &[u8], val: u32) -> Option<(std::ops::Range<u32>, String)> {
    let (tree, _) = with_dns(&world.zones, &world.sources, world.dns(), |d| spf_tree::build(d, domain, s, value));
    if val <= s.version.end {
        let bound = if tree.lower_bound() { "at least " } else { "" };
        return Some((
            s.version.clone(),
            format!(
                "**SPF record** of `{}`: {bound}{}/10 DNS lookups, {}/2 void\n\n```text\n{}```",
                domain.trim_end_matches('.'),
                tree.total(),
                tree.void_total(),
                spf_tree::render(&tree)
            ),
        ));
    }
    let (i, t) = s.terms.iter().enumerate().find(|(_, t)| t.range.start <= val && val <= t.range.end)?;
    let node = tree.nodes.iter().find(|n| n.term == i);
    let text = crate::util::lossy(&value[t.range.start as usize..t.range.end as usize]).into_owned();
    let md = match &t.kind {
        TermKind::Directive { qualifier, mechanism, .. } => {
            let mut md = format!("**`{text}`** — {}\n\n{}", mechanism_doc(mechanism), qualifier_doc(*qualifier));
            if let Some(n) = node.filter(|n| n.cost > 0) {
                let sub = n.child.as_ref().map_or(0, |c| c.total());
                md.push_str(&format!("\n\nCosts **{}** DNS lookup{}", n.cost + sub, if n.cost + sub == 1 { "" } else { "s" }));
                if n.void {
                    md.push_str(" (void: the lookup finds nothing)");
                }
                if let Some(c) = &n.child {
                    md.push_str(&format!("\n\n```text\n{}```", spf_tree::render(c)));
                }
            } else {
                md.push_str("\n\nCosts no DNS lookup");
            }
            md
        }
        TermKind::Modifier { modifier, .. } => match modifier {
            Modifier::Redirect(_) => {
                let mut md = format!("**`{text}`** — when nothing matched, use the target's SPF policy instead (RFC 7208 §6.1)");
                if let Some(c) = node.and_then(|n| n.child.as_ref()) {
                    md.push_str(&format!("\n\nCosts **{}** DNS lookups\n\n```text\n{}```", 1 + c.total(), spf_tree::render(c)));
                }
                md
            }
            Modifier::Exp(_) => format!(
                "**`{text}`** — the name whose TXT record explains a `fail` to the sender (RFC 7208 §6.2); costs no lookup toward the limit"
            ),
            Modifier::Unknown { name, .. } => format!("**`{name}=`** — an unknown modifier; receivers ignore it (RFC 7208 §6)"),
        },
        TermKind::Invalid => return None,
    };
    Some((t.range.clone(), md))
}

fn dkim_tag_doc(name: &str, value: &str, d: &crate::records::dkim::DkimRecord) -> String {
    match name {
        "p" => {
            let verdict = match &d.key {
                Some(KeyVerdict::Rsa { bits, pkcs1 }) => {
                    let form = if *pkcs1 { ", as a bare RSAPublicKey" } else { "" };
                    let judgement = if *bits < 1024 {
                        "too short: verifiers reject it (RFC 8301)"
                    } else if *bits < 2048 {
                        "acceptable, but 2048 is recommended (RFC 8301)"
                    } else {
                        "good"
                    };
                    format!("**RSA {bits} bits**{form} — {judgement}")
                }
                Some(KeyVerdict::Ed25519) => "**ed25519** (RFC 8463) — good".into(),
                Some(KeyVerdict::Ed25519Spki { .. }) => "**ed25519**, wrapped in an SPKI — verifiers need the raw 32 octets".into(),
                Some(KeyVerdict::Revoked) => "**revoked** (empty `p=`)".into(),
                Some(KeyVerdict::BadEncoding(e)) => format!("**not valid base64**: {e}"),
                Some(KeyVerdict::Bad(e)) => format!("**not a usable key**: {e}"),
                Some(KeyVerdict::Unchecked) | None => "public key".into(),
            };
            format!("`p=` public key — {verdict}")
        }
        "v" => "`v=` version: `DKIM1`, first if present".into(),
        "k" => format!("`k=` key type: `{value}` (`rsa` or `ed25519`; default `rsa`)"),
        "h" => format!("`h=` acceptable hash algorithms: `{value}` (only `sha256` is allowed by RFC 8301)"),
        "s" => format!("`s=` service types: `{value}` (`*` or `email`)"),
        "t" => format!("`t=` flags: `{value}` (`y` testing mode: signatures count for nothing; `s` strict: no subdomains)"),
        "n" => "`n=` notes for humans; ignored by verifiers".into(),
        _ => format!("`{name}=` is not a DKIM key tag; verifiers ignore it"),
    }
}

fn dmarc_tag_doc(name: &str, d: &dmarc::DmarcRecord) -> String {
    match tag_spec(name) {
        Some(spec) => {
            let effective = match name {
                "sp" => d.subdomain_policy().map(|p| p.as_str().to_string()),
                "np" => d.policy_value("np").or_else(|| d.subdomain_policy()).map(|p| p.as_str().to_string()),
                _ => d.tag(name).map(|t| t.value.to_string()),
            };
            let mut md = format!("**`{name}=`** — {}", spec.meaning);
            if let Some(e) = effective {
                md.push_str(&format!("\n\nEffective value: `{e}`"));
            }
            if !spec.default.is_empty() {
                md.push_str(&format!(" (default: {})", spec.default));
            }
            if spec.removed_in_9989 {
                md.push_str("\n\nRemoved by RFC 9989; receivers following it ignore the tag.");
            }
            md
        }
        None => format!("`{name}=` is not a DMARC tag; receivers ignore it"),
    }
}
