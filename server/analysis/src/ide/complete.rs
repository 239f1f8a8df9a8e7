//! Completion: RR types, classes and directives in record fields; inside TXT strings,
//! SPF mechanisms (and the include targets the workspace and zonels.lock know), DKIM and
//! DMARC tags and their values.

use super::World;
use crate::diagnostics::FileId;
use crate::rrtype::RR_TYPES;
use crate::text::TextRange;
use crate::zone::lexer::{Lexer, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Keyword,
    TypeName,
    Value,
    Property,
    Reference,
    Snippet,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: String,
    pub documentation: String,
    /// Text to insert in place of `replace` (the label when `None`).
    pub insert: Option<String>,
    pub replace: TextRange,
}

const COMMON_TYPES: &[&str] = &["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA", "PTR", "SOA", "HTTPS", "TLSA", "DS"];

/// Well-known providers' SPF include names.
const PROVIDER_INCLUDES: &[(&str, &str)] = &[
    ("_spf.google.com", "Google Workspace"),
    ("spf.protection.outlook.com", "Microsoft 365"),
    ("amazonses.com", "Amazon SES"),
    ("sendgrid.net", "SendGrid"),
    ("mailgun.org", "Mailgun"),
    ("servers.mcsv.net", "Mailchimp"),
    ("spf.mandrillapp.com", "Mandrill"),
    ("_spf.salesforce.com", "Salesforce"),
    ("spf.mtasv.net", "Postmark"),
    ("_spf.mlsend.com", "MailerLite"),
];

const SPF_TERMS: &[(&str, &str)] = &[
    ("include:", "authorise what another domain's SPF record authorises (1 lookup + its own)"),
    ("a", "the addresses of this name (1 lookup)"),
    ("mx", "the addresses of this name's mail exchangers (1 lookup)"),
    ("ip4:", "an IPv4 address or network (no lookup)"),
    ("ip6:", "an IPv6 address or network (no lookup)"),
    ("exists:", "match if a (macro-built) name exists (1 lookup)"),
    ("redirect=", "use another domain's policy when nothing matched (1 lookup)"),
    ("exp=", "where the explanation for a fail is"),
    ("-all", "fail everything not matched: the strict ending"),
    ("~all", "soft-fail everything not matched"),
    ("ptr", "reverse DNS match — SHOULD NOT be used (RFC 7208 §5.5)"),
];

const DKIM_TAGS: &[(&str, &str, &[&str])] = &[
    ("v", "version, first if present", &["DKIM1"]),
    ("k", "key type", &["rsa", "ed25519"]),
    ("p", "public key (base64)", &[]),
    ("h", "acceptable hash algorithms", &["sha256"]),
    ("s", "service types", &["email", "*"]),
    ("t", "flags: y testing, s strict", &["s", "y"]),
    ("n", "notes", &[]),
];

pub fn complete(world: &World, file: FileId, offset: u32) -> Vec<Item> {
    if !world.is_zone_text(file) {
        return Vec::new();
    }
    let src = world.sources.get(file);
    let text: &str = &src.text;
    let idx = src.line_index();
    let line = idx.line_of(offset);
    let lr = idx.line_range(text, line);
    let before = TextRange::new(lr.start, offset.min(lr.end));
    let toks: Vec<_> = Lexer::with_range(text, before).collect();
    // Inside a string (an open quote before the cursor)?
    if let Some(q) = toks.iter().rev().find(|t| t.kind == TokenKind::Quoted).filter(|t| t.unterminated || t.range.end > offset) {
        let content_start = q.range.start + 1;
        let prefix = &text[content_start as usize..offset as usize];
        let owner = record_owner(world, file, offset, &toks, text);
        return in_string(world, owner.as_deref().unwrap_or(""), prefix, offset);
    }
    let words: Vec<_> = toks.iter().filter(|t| t.kind == TokenKind::Word).collect();
    let at_word_end = toks.last().is_some_and(|t| t.kind == TokenKind::Word && t.range.end == offset);
    let current = if at_word_end { words.last().map(|t| t.range) } else { None };
    let replace = current.unwrap_or(TextRange::at(offset));
    let typed = current.map_or("", |r| &text[r.as_usize()]);
    let blank_start = text.as_bytes().get(lr.start as usize).is_some_and(|b| *b == b' ' || *b == b'\t');
    // Fields already complete before the current word.
    let done = words.len() - usize::from(current.is_some());
    if !blank_start && done == 0 {
        if typed.starts_with('$') || typed.is_empty() {
            return ["$ORIGIN", "$TTL", "$INCLUDE", "$GENERATE"]
                .iter()
                .map(|d| Item {
                    label: d.to_string(),
                    kind: ItemKind::Keyword,
                    detail: "directive".into(),
                    documentation: String::new(),
                    insert: Some(format!("{d} ")),
                    replace,
                })
                .collect();
        }
        return Vec::new();
    }
    // After the owner (or at a blank line start): TTL, class, type.
    let field_words = &words[usize::from(!blank_start)..done];
    let has_type = field_words.iter().any(|w| {
        crate::rrtype::RrType::from_mnemonic(w.text(text)).is_some() && crate::rrtype::RrClass::from_mnemonic(w.text(text)).is_none()
    });
    if has_type {
        return Vec::new();
    }
    let mut items = Vec::new();
    if !field_words.iter().any(|w| crate::rrtype::RrClass::from_mnemonic(w.text(text)).is_some()) {
        items.push(Item {
            label: "IN".into(),
            kind: ItemKind::Keyword,
            detail: "class: the Internet".into(),
            documentation: String::new(),
            insert: None,
            replace,
        });
    }
    let upper = typed.to_ascii_uppercase();
    let mut seen = Vec::new();
    for m in COMMON_TYPES.iter().copied().chain(RR_TYPES.iter().filter(|t| !t.meta).map(|t| t.mnemonic)) {
        if seen.contains(&m) || !m.starts_with(&upper) {
            continue;
        }
        seen.push(m);
        let info = crate::rrtype::RrType::from_mnemonic(m).and_then(|t| t.info());
        items.push(Item {
            label: m.to_string(),
            kind: ItemKind::TypeName,
            detail: info.map_or(String::new(), |i| i.description.to_string()),
            documentation: info.map_or(String::new(), |i| i.rfc.to_string()),
            insert: None,
            replace,
        });
    }
    items
}

/// The owner of the record being written at `offset`: this line's first word, or the
/// record the line continues.
fn record_owner(world: &World, file: FileId, offset: u32, toks: &[crate::zone::lexer::Token], text: &str) -> Option<String> {
    if let Some((_, _, r)) = world.record_at(file, offset) {
        return Some(r.owner.to_string());
    }
    let first = toks.first()?;
    if first.kind == TokenKind::Word {
        return Some(first.text(text).to_ascii_lowercase());
    }
    world.records_in(file).filter(|(_, _, r)| r.span.start < offset).last().map(|(_, _, r)| r.owner.to_string())
}

fn in_string(world: &World, owner: &str, prefix: &str, offset: u32) -> Vec<Item> {
    let first_label = owner.split('.').next().unwrap_or("");
    let second_label = owner.split('.').nth(1).unwrap_or("");
    let word_start = prefix.rfind([' ', ';']).map_or(0, |i| i + 1);
    let word = &prefix[word_start..];
    let word = word.trim_start();
    let replace = TextRange::new(offset - word.len() as u32, offset);
    let lower = prefix.to_ascii_lowercase();
    let item = |label: &str, kind, detail: &str, insert: Option<String>| Item {
        label: label.to_string(),
        kind,
        detail: detail.to_string(),
        documentation: String::new(),
        insert,
        replace,
    };
    if prefix.trim().is_empty() {
        let template = if first_label == "_dmarc" {
            ("v=DMARC1; p=none; rua=mailto:", "a DMARC record (monitoring)")
        } else if second_label == "_domainkey" {
            ("v=DKIM1; k=rsa; p=", "a DKIM key record")
        } else if first_label == "_mta-sts" {
            ("v=STSv1; id=", "an MTA-STS record")
        } else if first_label == "_smtp" {
            ("v=TLSRPTv1; rua=mailto:", "a TLS-RPT record")
        } else {
            ("v=spf1 ", "an SPF record")
        };
        return vec![item(template.0, ItemKind::Snippet, template.1, None)];
    }
    if lower.starts_with("v=spf1") {
        if let Some(rest) = word.strip_prefix("include:").or_else(|| word.strip_prefix("redirect=")) {
            let head = &word[..word.len() - rest.len()];
            let mut targets: Vec<(String, String)> = Vec::new();
            for z in &world.zones {
                for r in &z.records {
                    if r.owner.labels().next().is_some_and(|l| l.starts_with('_')) && crate::rrtype::RrType::TXT == r.rtype {
                        let v = crate::mail::value::TxtValue::of_record(r, &world.sources);
                        if crate::records::spf::is_spf(v.bytes()) {
                            targets.push((r.owner.display_short().to_string(), "in this workspace".into()));
                        }
                    }
                }
            }
            for (name, t) in world.snapshot.entries.keys() {
                if *t == crate::dns::QType::Txt {
                    targets.push((name.trim_end_matches('.').to_string(), "in zonels.lock".into()));
                }
            }
            for (n, who) in PROVIDER_INCLUDES {
                targets.push((n.to_string(), who.to_string()));
            }
            let mut seen = Vec::new();
            return targets
                .into_iter()
                .filter(|(n, _)| {
                    let fresh = !seen.contains(n);
                    seen.push(n.clone());
                    fresh && n.starts_with(rest)
                })
                .map(|(n, d)| item(&format!("{head}{n}"), ItemKind::Reference, &d, None))
                .collect();
        }
        return SPF_TERMS
            .iter()
            .filter(|(t, _)| t.starts_with(word.trim_start_matches(['+', '-', '~', '?'])))
            .map(|(t, d)| item(t, ItemKind::Keyword, d, None))
            .collect();
    }
    let tags: Vec<(&str, &str, Vec<&str>)> = if first_label == "_dmarc" || lower.starts_with("v=dmarc1") {
        crate::records::dmarc::TAGS.iter().map(|t| (t.name, t.meaning, t.values.to_vec())).collect()
    } else if second_label == "_domainkey" || lower.starts_with("v=dkim1") {
        DKIM_TAGS.iter().map(|(n, m, v)| (*n, *m, v.to_vec())).collect()
    } else {
        return Vec::new();
    };
    match word.split_once('=') {
        Some((tag, partial)) => {
            let Some((_, _, values)) = tags.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(tag)) else { return Vec::new() };
            let head = &word[..word.len() - partial.len()];
            values.iter().filter(|v| v.starts_with(partial)).map(|v| item(&format!("{head}{v}"), ItemKind::Value, tag, None)).collect()
        }
        None => tags
            .iter()
            .filter(|(n, _, _)| n.starts_with(word))
            .map(|(n, m, _)| item(&format!("{n}="), ItemKind::Property, m, None))
            .collect(),
    }
}
