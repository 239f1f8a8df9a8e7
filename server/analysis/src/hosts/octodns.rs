//! octoDNS zone files (the YAML provider's `config/<zone>.yaml`): a mapping from
//! relative names (`''` for the apex) to a record or a list of records, each with a
//! `type`, a `value` or `values`, and optionally a `ttl` and `octodns` settings.

use rustc_hash::FxHashMap;
use tree_sitter::Node;

use super::{Field, HostInput, HostStr, Lowered, Names, RecordSpec, build_record, range_of, unsupported};
use crate::diagnostics::{Diagnostic, Edit};
use crate::mapped::MappedText;
use crate::model::{Format, LiteralStyle, Zone};
use crate::name::Name;
use crate::rrtype::RrType;
use crate::rules::host::octodns_unescaped_semicolon;
use crate::text::TextRange;

/// octoDNS's default TTL.
const DEFAULT_TTL: u32 = 3600;

const RECORD_TYPES: &[&str] = &[
    "A", "AAAA", "ALIAS", "CAA", "CNAME", "DNAME", "DS", "LOC", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP", "TLSA", "TXT", "URLFWD",
];

/// A YAML file whose records have an octoDNS `type:`.
pub fn looks_like(text: &str) -> bool {
    text.lines().take(20_000).any(|l| {
        let l = l.trim_start();
        let l = l.strip_prefix("- ").unwrap_or(l).trim_start();
        l.strip_prefix("type:").is_some_and(|v| {
            let v = v.split('#').next().unwrap_or("").trim().trim_matches(['\'', '"']);
            RECORD_TYPES.iter().any(|t| t.eq_ignore_ascii_case(v))
        })
    })
}

/// The zones an octoDNS main configuration lists (a YAML file with `providers:` and
/// `zones:` at its top level), names as written (`example.com.`); `None` for any other file.
pub fn main_config_zones(text: &str) -> Option<Vec<&str>> {
    let mut providers = false;
    let mut in_zones = None::<Vec<&str>>;
    let mut zones = None;
    let mut indent = None;
    for line in text.lines().take(100_000) {
        let body = line.split(" #").next().unwrap_or("").trim_end();
        if body.trim_start().is_empty() || body.trim_start().starts_with('#') || body == "---" {
            continue;
        }
        let depth = body.len() - body.trim_start().len();
        if depth == 0 {
            if let Some(z) = in_zones.take() {
                zones = Some(z);
            }
            match body.strip_suffix(':').map(str::trim) {
                Some("providers") => providers = true,
                Some("zones") => in_zones = Some(Vec::new()),
                _ => {}
            }
            continue;
        }
        if let Some(list) = in_zones.as_mut() {
            let level = *indent.get_or_insert(depth);
            if depth == level
                && let Some((key, _)) = body.trim_start().split_once(':')
            {
                list.push(key.trim().trim_matches(['\'', '"']));
            }
        }
    }
    if let Some(z) = in_zones {
        zones = Some(z);
    }
    zones.filter(|_| providers)
}

struct Reader<'a> {
    text: &'a str,
    file: crate::diagnostics::FileId,
    anchors: FxHashMap<&'a str, Node<'a>>,
    alias_steps: u32,
    /// Aliases followed per file, all told (an alias bomb stops here).
    max_alias_steps: u32,
    diags: Vec<Diagnostic>,
}

/// A YAML node seen through wrappers, anchors and aliases.
enum Y<'a> {
    Map(Vec<(Node<'a>, Node<'a>)>),
    Seq(Vec<Node<'a>>),
    Scalar(Node<'a>),
    Null,
}

impl<'a> Reader<'a> {
    fn collect_anchors(&mut self, root: Node<'a>) {
        let mut stack = vec![root];
        let mut cursor = root.walk();
        while let Some(n) = stack.pop() {
            for c in n.children(&mut cursor) {
                if c.kind() == "anchor" {
                    if let Some(name) = c.child_by_field_name("name").or_else(|| c.named_child(0)) {
                        self.anchors.insert(&self.text[name.byte_range()], n);
                    } else if let Some(name) = self.text.get(c.start_byte() + 1..c.end_byte()) {
                        self.anchors.insert(name, n);
                    }
                }
                stack.push(c);
            }
        }
    }

    /// The node a value node stands for.
    fn view(&mut self, mut n: Node<'a>) -> Y<'a> {
        loop {
            match n.kind() {
                "block_node" | "flow_node" | "document" | "stream" => {
                    // The content child: skip anchors, tags and comments.
                    let mut cursor = n.walk();
                    let inner = n.named_children(&mut cursor).find(|c| !matches!(c.kind(), "anchor" | "tag" | "comment"));
                    match inner {
                        Some(i) => n = i,
                        None => return Y::Null,
                    }
                }
                "alias" => {
                    self.alias_steps += 1;
                    if self.alias_steps > self.max_alias_steps {
                        if self.alias_steps == self.max_alias_steps + 1 {
                            self.diags.push(Diagnostic::new(
                                &crate::rules::zone::limit_exceeded::RULE,
                                self.file,
                                range_of(n),
                                format!(
                                    "more than {} YAML aliases expanded in this file; this one and the rest are not followed (raise `limits.max_yaml_aliases` in zonels.toml)",
                                    self.max_alias_steps
                                ),
                            ));
                        }
                        return Y::Null;
                    }
                    let name = self.text[n.byte_range()].trim_start_matches('*');
                    match self.anchors.get(name) {
                        Some(&target) if target.id() != n.id() => n = target,
                        _ => return Y::Null,
                    }
                }
                "block_mapping" | "flow_mapping" => {
                    let mut pairs = Vec::new();
                    let mut cursor = n.walk();
                    for p in n.named_children(&mut cursor) {
                        if !matches!(p.kind(), "block_mapping_pair" | "flow_pair") {
                            continue;
                        }
                        let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value")) else { continue };
                        // `<<: *base` merges another mapping's pairs.
                        if self.scalar_text(k).as_deref() == Some("<<") {
                            if let Y::Map(more) = self.view(v) {
                                pairs.extend(more);
                            }
                            continue;
                        }
                        pairs.push((k, v));
                    }
                    return Y::Map(pairs);
                }
                "block_sequence" | "flow_sequence" => {
                    let mut cursor = n.walk();
                    let items = n
                        .named_children(&mut cursor)
                        .filter_map(|c| match c.kind() {
                            "block_sequence_item" => c.named_children(&mut c.walk()).find(|x| x.kind() != "comment"),
                            "comment" => None,
                            _ => Some(c),
                        })
                        .collect();
                    return Y::Seq(items);
                }
                "plain_scalar" | "single_quote_scalar" | "double_quote_scalar" | "block_scalar" => return Y::Scalar(n),
                _ => return Y::Null,
            }
        }
    }

    fn scalar(&mut self, n: Node<'a>, semicolons: bool) -> Option<HostStr> {
        let Y::Scalar(s) = self.view(n) else { return None };
        let style = match s.kind() {
            "plain_scalar" => LiteralStyle::YamlPlain,
            "single_quote_scalar" => LiteralStyle::YamlSingle,
            "double_quote_scalar" => LiteralStyle::YamlDouble,
            _ => {
                self.diags.push(unsupported(self.file, range_of(s), "a block scalar (`|` or `>`)"));
                return None;
            }
        };
        match HostStr::literal(self.text, range_of(s), style, semicolons) {
            Ok(h) => Some(h),
            Err(e) => {
                self.diags.push(Diagnostic::new(&crate::rules::zone::syntax::RULE, self.file, e.range, e.message));
                None
            }
        }
    }

    fn scalar_text(&mut self, n: Node<'a>) -> Option<String> {
        self.scalar(n, false).map(|h| h.value)
    }

    fn get(&mut self, pairs: &[(Node<'a>, Node<'a>)], key: &str) -> Option<Node<'a>> {
        pairs.iter().find(|(k, _)| self.scalar_text(*k).as_deref() == Some(key)).map(|(_, v)| *v)
    }
}

pub fn lower(input: &HostInput<'_>) -> Lowered {
    if main_config_zones(input.text).is_some() && !looks_like(input.text) {
        // The main configuration: its zone list names the zone files; no records.
        return Lowered::default();
    }
    let mut out = Lowered::default();
    let Some(tree) = super::language(Format::OctoDns).and_then(|l| super::parse(l, input.text)) else { return out };
    let mut r = Reader {
        text: input.text,
        file: input.file,
        anchors: FxHashMap::default(),
        alias_steps: 0,
        max_alias_steps: input.limits.max_yaml_aliases,
        diags: Vec::new(),
    };
    super::syntax_errors(&tree, input.file, "YAML", &mut r.diags);
    let root = tree.root_node();
    r.collect_anchors(root);
    let Some(apex) = input.origin.clone() else {
        let at = TextRange::new(0, input.text.find('\n').unwrap_or(input.text.len()) as u32);
        out.diagnostics.push(crate::rules::zone::unknown_origin::diagnostic(input.file, at));
        out.diagnostics.append(&mut r.diags);
        return out;
    };
    // The first document's top-level mapping: name → record(s).
    let mut cursor = root.walk();
    let doc = root.named_children(&mut cursor).find(|c| c.kind() == "document");
    let top = doc.map(|d| r.view(d));
    let mut records = Vec::new();
    let mut insert_at = None;
    if let Some(Y::Map(names)) = top {
        let block = doc.and_then(|d| d.named_child(0)).is_some_and(|b| b.named_child(0).is_some_and(|m| m.kind() == "block_mapping"));
        if block {
            insert_at = Some(TextRange::at(input.text.len() as u32));
        }
        for (k, v) in names {
            if records.len() >= input.limits.max_records_per_zone {
                break;
            }
            let Some(key) = r.scalar(k, false) else { continue };
            let owner = match super::owner_name(&key.value, &apex, Names::Relative) {
                Ok(n) => n,
                Err(e) => {
                    r.diags.push(Diagnostic::new(
                        &crate::rules::zone::bad_rdata::RULE,
                        input.file,
                        key.range,
                        format!("record name `{}`: {e}", key.value),
                    ));
                    continue;
                }
            };
            let groups = match r.view(v) {
                Y::Map(_) => vec![v],
                Y::Seq(items) => items,
                _ => continue,
            };
            for g in groups {
                read_record(&mut r, &apex, &owner, &key, g, &mut records);
            }
        }
    }
    out.diagnostics.append(&mut r.diags);
    out.zones.push(super::zone(input.file, Format::OctoDns, apex, input.origin_source, records, insert_at));
    out
}

fn read_record<'a>(r: &mut Reader<'a>, apex: &Name, owner: &Name, key: &HostStr, node: Node<'a>, out: &mut Vec<crate::model::Record>) {
    let Y::Map(pairs) = r.view(node) else { return };
    let Some(type_node) = r.get(&pairs, "type") else { return };
    let Some(type_str) = r.scalar(type_node, false) else { return };
    let settings = r.get(&pairs, "octodns").map(|n| r.view(n));
    let mut lenient = false;
    if let Some(Y::Map(s)) = settings {
        if r.get(&s, "ignored").and_then(|n| r.scalar_text(n)).is_some_and(|v| v == "true") {
            return;
        }
        lenient = r.get(&s, "lenient").and_then(|n| r.scalar_text(n)).is_some_and(|v| v == "true");
    }
    let Some(rtype) = RrType::from_mnemonic(&type_str.value.to_ascii_uppercase()) else {
        if !type_str.value.eq_ignore_ascii_case("ALIAS") && !type_str.value.eq_ignore_ascii_case("URLFWD") {
            r.diags.push(Diagnostic::new(
                &crate::rules::zone::unknown_type::RULE,
                r.file,
                type_str.range,
                format!("`{}` is not a record type octoDNS knows", type_str.value),
            ));
        }
        return;
    };
    let ttl = r.get(&pairs, "ttl").and_then(|n| r.scalar(n, false));
    let ttl_value = match &ttl {
        Some(t) => match t.value.parse::<u32>() {
            Ok(v) => v,
            Err(_) => {
                r.diags.push(Diagnostic::new(
                    &crate::rules::zone::bad_ttl::RULE,
                    r.file,
                    t.range,
                    format!("`ttl: {}` is not a number of seconds", t.value),
                ));
                DEFAULT_TTL
            }
        },
        None => DEFAULT_TTL,
    };
    let values: Vec<Node<'a>> = match (r.get(&pairs, "values"), r.get(&pairs, "value")) {
        (Some(vs), _) => match r.view(vs) {
            Y::Seq(items) => items,
            Y::Null => Vec::new(),
            _ => vec![vs],
        },
        (None, Some(v)) => vec![v],
        (None, None) => Vec::new(),
    };
    for v in values {
        let span = range_of(v);
        let data = match rtype {
            RrType::TXT | RrType::SPF => {
                if !matches!(r.view(v), Y::Scalar(_)) {
                    r.diags.push(Diagnostic::new(
                        &crate::rules::zone::bad_rdata::RULE,
                        r.file,
                        span,
                        format!("a {rtype} value must be a string; octoDNS rejects this one"),
                    ));
                    continue;
                }
                let Some(s) = r.scalar(v, true) else { continue };
                if let (Some(lit), false) = (s.literals.first(), lenient) {
                    let raw = &r.text[lit.range.as_usize()];
                    octodns_unescaped_semicolon::check(r.file, lit, raw, span.start, &mut r.diags);
                }
                vec![Field::Strings(vec![unescape_semicolons(s)])]
            }
            RrType::MX => {
                let Y::Map(f) = r.view(v) else { continue };
                let pref = r.get(&f, "preference").or_else(|| r.get(&f, "priority")).and_then(|n| r.scalar(n, false));
                let exch = r.get(&f, "exchange").or_else(|| r.get(&f, "value")).and_then(|n| r.scalar(n, false));
                let (Some(p), Some(e)) = (pref, exch) else { continue };
                vec![Field::Token(p), Field::Token(e)]
            }
            RrType::SRV => {
                let Y::Map(f) = r.view(v) else { continue };
                let mut fields = Vec::new();
                for k in ["priority", "weight", "port", "target"] {
                    match r.get(&f, k).and_then(|n| r.scalar(n, false)) {
                        Some(s) => fields.push(Field::Token(s)),
                        None => break,
                    }
                }
                if fields.len() < 4 {
                    continue;
                }
                fields
            }
            RrType::CAA => {
                let Y::Map(f) = r.view(v) else { continue };
                let flags = r.get(&f, "flags").and_then(|n| r.scalar(n, false));
                let tag = r.get(&f, "tag").and_then(|n| r.scalar(n, false));
                let value = r.get(&f, "value").and_then(|n| r.scalar(n, false));
                let (Some(tag), Some(value)) = (tag, value) else { continue };
                let flags = flags.unwrap_or_else(|| HostStr::synthetic("0", TextRange::at(span.start)));
                vec![Field::Token(flags), Field::Token(tag), Field::Strings(vec![value])]
            }
            _ => match r.view(v) {
                Y::Scalar(_) => match r.scalar(v, false) {
                    Some(s) => vec![Field::Token(s)],
                    None => continue,
                },
                _ => {
                    r.diags.push(unsupported(r.file, span, format!("the fields of this {rtype} value")));
                    continue;
                }
            },
        };
        if data.is_empty() {
            continue;
        }
        let spec = RecordSpec {
            owner: owner.clone(),
            owner_span: Some(key.range),
            ttl: ttl_value,
            ttl_span: ttl.as_ref().map(|t| t.range),
            rtype,
            type_span: type_str.range,
            span,
            data,
        };
        out.push(build_record(r.file, apex, spec, Names::Absolute, &mut r.diags));
    }
}

/// octoDNS's own escaping on top of YAML's: `\;` stands for `;`.
fn unescape_semicolons(s: HostStr) -> HostStr {
    let m = &s.mapped;
    if !m.bytes.windows(2).any(|w| w == b"\\;") {
        return s;
    }
    let mut out = MappedText::new();
    out.begin_piece(m.pieces().first().map_or(s.range, |p| p.1));
    let b = &m.bytes;
    let mut i = 0;
    while i < b.len() {
        let (byte, n) = if b[i] == b'\\' && b.get(i + 1) == Some(&b';') { (b';', 2) } else { (b[i], 1) };
        let src = TextRange::new(m.src_start(i as u32), m.src_end_of((i + n - 1) as u32));
        if n == 1 && m.is_verbatim(i as u32, i as u32 + 1) {
            out.push_verbatim(&[byte], src.start);
        } else {
            out.push_escaped(byte, src);
        }
        i += n;
    }
    let value = crate::util::lossy(&out.bytes).into_owned();
    HostStr { value, mapped: out, ..s }
}

/// A new record at the end of the file, when its name has none yet (a second mapping
/// key of the same name would be a YAML error).
pub fn insert_record(zone: &Zone, text: &str, at: TextRange, owner: &Name, rtype: &str, value: &[u8]) -> Option<Edit> {
    if zone.records.iter().any(|r| &r.owner == owner) {
        return None;
    }
    let rel = if owner == &zone.apex { String::new() } else { owner.relative_to(&zone.apex) };
    let key = if rel.is_empty() || rel.starts_with(['*', '&', '!', '\'', '"']) { format!("'{rel}'") } else { rel };
    let lit = crate::model::Literal { range: at, style: LiteralStyle::YamlPlain, sole: true, escaped_semicolons: true };
    let rendered = super::literal::render(&lit, value)?;
    let prefix = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
    Some(Edit::insert(zone.file, at.start, format!("{prefix}{key}:\n  type: {rtype}\n  value: {rendered}\n")))
}
