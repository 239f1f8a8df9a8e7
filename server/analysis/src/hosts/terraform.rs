//! Terraform DNS resources: `aws_route53_record`, `cloudflare_record` /
//! `cloudflare_dns_record`, `google_dns_record_set`, and the `azurerm_dns_*_record`
//! kinds, with zone names taken from the zone resources they reference (or literal
//! names). Literal strings, heredocs, `locals`, variable defaults and interpolations of
//! those are evaluated; anything else is reported as `host/unsupported-construct`.

use rustc_hash::FxHashMap;
use tree_sitter::Node;

use super::{Field, HostInput, HostStr, Lowered, Names, RecordSpec, build_record, range_of, unsupported};
use crate::diagnostics::{Diagnostic, FileId};
use crate::mapped::MappedText;
use crate::model::{Format, Literal, LiteralStyle, Record};
use crate::name::Name;
use crate::rrtype::RrType;
use crate::rules::host::route53_unsplit_txt;
use crate::text::TextRange;

pub const RESOURCES: &[&str] = &[
    "aws_route53_record",
    "cloudflare_record",
    "cloudflare_dns_record",
    "google_dns_record_set",
    "azurerm_dns_txt_record",
    "azurerm_dns_mx_record",
    "azurerm_dns_cname_record",
    "azurerm_dns_a_record",
    "azurerm_dns_aaaa_record",
    "azurerm_dns_ns_record",
];

/// Zone resources, and the attribute holding the zone's name.
const ZONES: &[(&str, &[&str])] = &[
    ("aws_route53_zone", &["name"]),
    ("cloudflare_zone", &["zone", "name"]),
    ("google_dns_managed_zone", &["dns_name"]),
    ("azurerm_dns_zone", &["name"]),
];

pub fn looks_like(text: &str) -> bool {
    RESOURCES.iter().any(|r| text.contains(&format!("\"{r}\"")))
}

#[derive(Clone)]
enum Val {
    Str(HostStr),
    List(Vec<Val>),
    /// A reference to a zone resource: its name.
    Zone(HostStr),
    Unknown,
}

impl Val {
    fn str(&self) -> Option<&HostStr> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A block's attributes and nested blocks.
struct Block<'t> {
    node: Node<'t>,
    attrs: Vec<(&'t str, Node<'t>)>,
    blocks: Vec<(&'t str, Node<'t>)>,
}

struct Eval<'t> {
    text: &'t str,
    file: FileId,
    locals: FxHashMap<&'t str, Node<'t>>,
    vars: FxHashMap<&'t str, Node<'t>>,
    /// `type.name` (and `data.type.name`) of zone resources → their name expression.
    zones: FxHashMap<String, Node<'t>>,
    diags: Vec<Diagnostic>,
    depth: u32,
    max_depth: u32,
    /// The nesting limit has been reported (once per file).
    too_deep: bool,
}

fn block<'t>(text: &'t str, n: Node<'t>) -> Block<'t> {
    let mut attrs = Vec::new();
    let mut blocks = Vec::new();
    let body = {
        let mut c = n.walk();
        n.named_children(&mut c).find(|c| c.kind() == "body")
    };
    if let Some(body) = body {
        let mut c = body.walk();
        for item in body.named_children(&mut c) {
            let Some(id) = item.named_child(0).filter(|i| i.kind() == "identifier") else { continue };
            let name = &text[id.byte_range()];
            match item.kind() {
                "attribute" => {
                    if let Some(e) = item.named_child(1) {
                        attrs.push((name, e));
                    }
                }
                "block" => blocks.push((name, item)),
                _ => {}
            }
        }
    }
    Block { node: n, attrs, blocks }
}

impl<'t> Block<'t> {
    fn attr(&self, name: &str) -> Option<Node<'t>> {
        self.attrs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
}

/// The string labels of a block (`resource "type" "name"`).
fn labels<'t>(text: &'t str, n: Node<'t>) -> Vec<&'t str> {
    let mut c = n.walk();
    n.named_children(&mut c).filter(|x| x.kind() == "string_lit").map(|x| text[x.byte_range()].trim_matches('"')).collect()
}

impl<'t> Eval<'t> {
    fn skip(&mut self, n: Node<'t>, what: impl std::fmt::Display) {
        self.diags.push(unsupported(self.file, range_of(n), what));
    }

    fn eval(&mut self, n: Node<'t>) -> Val {
        if self.depth > self.max_depth {
            if !std::mem::replace(&mut self.too_deep, true) {
                self.diags.push(super::nesting_limit(self.file, range_of(n), self.max_depth));
            }
            return Val::Unknown;
        }
        self.depth += 1;
        let v = self.eval_inner(n);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, n: Node<'t>) -> Val {
        let r = range_of(n);
        match n.kind() {
            "expression" => {
                let mut c = n.walk();
                let kids: Vec<Node<'t>> = n.named_children(&mut c).filter(|k| k.kind() != "comment").collect();
                match kids.as_slice() {
                    [one] => self.eval(*one),
                    [first, rest @ ..] if first.kind() == "variable_expr" => self.reference(n, *first, rest),
                    _ => {
                        self.skip(n, "an expression zonels does not evaluate");
                        Val::Unknown
                    }
                }
            }
            "literal_value" => match n.named_child(0) {
                Some(c) => self.eval(c),
                None => Val::Unknown,
            },
            "string_lit" => match HostStr::literal(self.text, r, LiteralStyle::HclQuoted, false) {
                Ok(s) => Val::Str(s),
                Err(e) => {
                    self.diags.push(Diagnostic::new(&crate::rules::zone::syntax::RULE, self.file, e.range, e.message));
                    Val::Unknown
                }
            },
            "numeric_lit" | "bool_lit" => Val::Str(HostStr::bare(self.text, r)),
            "template_expr" => match n.named_child(0) {
                Some(c) => self.eval(c),
                None => Val::Unknown,
            },
            "quoted_template" => self.template(n),
            "heredoc_template" => self.heredoc(n),
            "collection_value" => match n.named_child(0) {
                Some(t) if t.kind() == "tuple" => {
                    let mut c = t.walk();
                    let items: Vec<Node<'t>> = t.named_children(&mut c).filter(|x| x.kind() == "expression").collect();
                    Val::List(items.into_iter().map(|i| self.eval(i)).collect())
                }
                _ => {
                    self.skip(n, "an object value");
                    Val::Unknown
                }
            },
            "function_call" => self.call(n),
            "variable_expr" => self.reference(n, n, &[]),
            other => {
                self.skip(n, format!("a `{}` expression", other.replace('_', " ")));
                Val::Unknown
            }
        }
    }

    /// `local.x`, `var.x`, `aws_route53_zone.main.zone_id`, `data.aws_route53_zone.z.name`.
    fn reference(&mut self, whole: Node<'t>, first: Node<'t>, rest: &[Node<'t>]) -> Val {
        let head = &self.text[first.byte_range()];
        let mut path = vec![head];
        for a in rest {
            if a.kind() != "get_attr" {
                self.skip(whole, "an index or splat expression");
                return Val::Unknown;
            }
            match a.named_child(0) {
                Some(id) => path.push(&self.text[id.byte_range()]),
                None => return Val::Unknown,
            }
        }
        match path.as_slice() {
            ["local", name] => match self.locals.get(name).copied() {
                Some(e) => match self.eval(e) {
                    Val::Str(s) => Val::Str(s.shared()),
                    other => other,
                },
                None => {
                    self.skip(whole, format!("`local.{name}`, which no `locals` block here defines"));
                    Val::Unknown
                }
            },
            ["var", name] => match self.vars.get(name).copied() {
                Some(e) => match self.eval(e) {
                    Val::Str(s) => Val::Str(s.shared()),
                    other => other,
                },
                None => {
                    self.skip(whole, format!("`var.{name}`, which has no default here"));
                    Val::Unknown
                }
            },
            _ => {
                // A zone resource's id or name.
                let (key, attr) = match path.as_slice() {
                    ["data", t, n, attr] => (format!("data.{t}.{n}"), *attr),
                    [t, n, attr] => (format!("{t}.{n}"), *attr),
                    _ => {
                        self.skip(whole, format!("`{}`", path.join(".")));
                        return Val::Unknown;
                    }
                };
                match self.zones.get(&key).copied() {
                    Some(e) => match self.eval(e) {
                        Val::Str(s) => {
                            let s = s.shared();
                            // `id`/`zone_id` stand for the zone; `name`/`dns_name`/`zone` are its name.
                            if matches!(attr, "id" | "zone_id" | "name_servers") { Val::Zone(s) } else { Val::Str(s) }
                        }
                        _ => Val::Unknown,
                    },
                    None => {
                        self.skip(whole, format!("`{}`, which is not a zone defined here", path.join(".")));
                        Val::Unknown
                    }
                }
            }
        }
    }

    /// Interpolations and directives of a template, in order.
    fn holes(n: Node<'t>) -> Vec<Node<'t>> {
        let mut c = n.walk();
        n.named_children(&mut c).filter(|k| matches!(k.kind(), "template_interpolation" | "template_directive")).collect()
    }

    /// Appends the parts of template text `range` to `parts`: stretches of literal text
    /// (decoded in `style`; the text between the grammar's tokens counts, spaces too) and
    /// the values of the interpolations in it. `false` when an interpolation cannot be
    /// evaluated (it has been reported).
    fn template_parts(&mut self, range: TextRange, holes: &[Node<'t>], style: LiteralStyle, parts: &mut Vec<HostStr>) -> bool {
        let mut at = range.start as usize;
        let end = range.end as usize;
        let text = self.text;
        let literal = |from: usize, to: usize, parts: &mut Vec<HostStr>| {
            let r = TextRange::from_usize(from, to);
            let mut m = MappedText::new();
            m.begin_piece(r);
            if super::literal::decode(text, r, style, &mut m).is_err() {
                return false;
            }
            let value = crate::util::lossy(&m.bytes).into_owned();
            parts.push(HostStr { value, range: r, literals: Vec::new(), mapped: m });
            true
        };
        let begin = at;
        for &h in holes.iter().filter(|h| h.start_byte() >= begin && h.end_byte() <= end) {
            if h.start_byte() > at && !literal(at, h.start_byte(), parts) {
                return false;
            }
            if h.kind() == "template_directive" {
                self.skip(h, "a template directive (`%{ … }`)");
                return false;
            }
            let Some(e) = h.named_children(&mut h.walk()).find(|x| x.kind() == "expression") else {
                return false;
            };
            match self.eval(e) {
                Val::Str(s) | Val::Zone(s) => parts.push(s.shared()),
                _ => return false,
            }
            at = h.end_byte();
        }
        at >= end || literal(at, end, parts)
    }

    fn template(&mut self, n: Node<'t>) -> Val {
        let r = range_of(n);
        let holes = Self::holes(n);
        if holes.is_empty() {
            return match HostStr::literal(self.text, r, LiteralStyle::HclQuoted, false) {
                Ok(s) => Val::Str(s),
                Err(_) => Val::Unknown,
            };
        }
        let inner = TextRange::new(r.start + 1, r.end.saturating_sub(1).max(r.start + 1));
        let mut parts = Vec::new();
        if !self.template_parts(inner, &holes, LiteralStyle::HclQuoted, &mut parts) {
            return Val::Unknown;
        }
        let mut s = HostStr::concat(parts);
        s.literals.push(Literal { range: r, style: LiteralStyle::HclQuoted, sole: false, escaped_semicolons: false });
        Val::Str(s)
    }

    fn heredoc(&mut self, n: Node<'t>) -> Val {
        let text = self.text;
        let start = n.start_byte();
        let header_end = text[start..].find('\n').map(|i| start + i + 1);
        let (Some(body_start), Some(ident)) =
            (header_end, n.named_children(&mut n.walk()).filter(|x| x.kind() == "heredoc_identifier").last())
        else {
            return Val::Unknown;
        };
        let holes = Self::holes(n);
        let strip = text[start..].starts_with("<<-");
        let body_end = text[..ident.start_byte()].rfind('\n').map_or(body_start, |i| i + 1).max(body_start);
        let body = &text[body_start..body_end];
        let indent = if strip {
            body.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start_matches([' ', '\t']).len()).min().unwrap_or(0)
        } else {
            0
        };
        let range = TextRange::from_usize(body_start, body_end);
        let mut parts = Vec::new();
        let mut at = body_start;
        for line in body.split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            let cut = indent.min(content.len() - content.trim_start_matches([' ', '\t']).len());
            let line_range = TextRange::from_usize(at + cut, at + content.len());
            if !self.template_parts(line_range, &holes, LiteralStyle::HclHeredoc, &mut parts) {
                return Val::Unknown;
            }
            if line.ends_with('\n') {
                let nl = (at + content.len()) as u32;
                let mut m = MappedText::new();
                m.begin_piece(TextRange::new(nl, nl + 1));
                m.push_verbatim(b"\n", nl);
                parts.push(HostStr { value: "\n".into(), range: TextRange::new(nl, nl + 1), literals: Vec::new(), mapped: m });
            }
            at += line.len();
        }
        let mut s = if parts.is_empty() { HostStr::synthetic("", range) } else { HostStr::concat(parts) };
        s.range = range;
        s.literals = vec![Literal { range, style: LiteralStyle::HclHeredoc, sole: false, escaped_semicolons: false }];
        Val::Str(s)
    }

    /// The few functions whose result zonels works out: `join`, `trimspace`, `chomp`.
    fn call(&mut self, n: Node<'t>) -> Val {
        let name = n.named_child(0).map(|i| &self.text[i.byte_range()]).unwrap_or("");
        let args: Vec<Node<'t>> = {
            let mut c = n.walk();
            let fa = n.named_children(&mut c).find(|x| x.kind() == "function_arguments");
            match fa {
                Some(fa) => {
                    let mut c2 = fa.walk();
                    fa.named_children(&mut c2).filter(|x| x.kind() == "expression").collect()
                }
                None => Vec::new(),
            }
        };
        match (name, args.as_slice()) {
            ("join", [sep, list]) => {
                let (Val::Str(sep), Val::List(items)) = (self.eval(*sep), self.eval(*list)) else {
                    self.skip(n, "a `join` of values that are not constants");
                    return Val::Unknown;
                };
                let mut parts = Vec::new();
                for (i, it) in items.into_iter().enumerate() {
                    let Val::Str(s) = it else { return Val::Unknown };
                    if i > 0 {
                        parts.push(HostStr::synthetic(&sep.value, sep.outer()));
                    }
                    parts.push(s);
                }
                Val::Str(HostStr::concat(parts))
            }
            ("trimspace" | "chomp", [one]) => match self.eval(*one) {
                Val::Str(s) => {
                    let v = s.value.as_bytes();
                    let end = if name == "chomp" {
                        v.len() - v.iter().rev().take_while(|b| matches!(b, b'\n' | b'\r')).count()
                    } else {
                        v.len() - v.iter().rev().take_while(|b| b.is_ascii_whitespace()).count()
                    };
                    let start = if name == "chomp" { 0 } else { v.iter().take_while(|b| b.is_ascii_whitespace()).count().min(end) };
                    Val::Str(s.slice(start, end))
                }
                _ => Val::Unknown,
            },
            _ => {
                self.skip(n, format!("`{name}()`"));
                Val::Unknown
            }
        }
    }
}

struct Out {
    /// Records by zone apex, in order of first appearance.
    zones: Vec<(Name, Vec<Record>)>,
}

impl Out {
    fn push(&mut self, apex: &Name, r: Record) {
        match self.zones.iter_mut().find(|(a, _)| a == apex) {
            Some((_, v)) => v.push(r),
            None => self.zones.push((apex.clone(), vec![r])),
        }
    }
}

pub fn lower(input: &HostInput<'_>) -> Lowered {
    let mut lowered = Lowered::default();
    let Some(tree) = super::language(Format::Terraform).and_then(|l| super::parse(l, input.text)) else { return lowered };
    let text = input.text;
    let mut ev = Eval {
        text,
        file: input.file,
        locals: FxHashMap::default(),
        vars: FxHashMap::default(),
        zones: FxHashMap::default(),
        diags: Vec::new(),
        depth: 0,
        max_depth: input.limits.max_nesting,
        too_deep: false,
    };
    super::syntax_errors(&tree, input.file, "Terraform", &mut ev.diags);
    let root = tree.root_node();
    let mut top: Vec<Node<'_>> = Vec::new();
    {
        let mut c = root.walk();
        for b in root.named_children(&mut c) {
            if b.kind() == "body" {
                let mut c2 = b.walk();
                top.extend(b.named_children(&mut c2).filter(|x| x.kind() == "block"));
            }
        }
    }
    // First the definitions: locals, variables, zones.
    let mut resources = Vec::new();
    for b in &top {
        let kind = b.named_child(0).map(|i| &text[i.byte_range()]).unwrap_or("");
        let labels = labels(text, *b);
        let blk = block(text, *b);
        match (kind, labels.as_slice()) {
            ("locals", []) => {
                for (k, v) in &blk.attrs {
                    ev.locals.insert(k, *v);
                }
            }
            ("variable", [name]) => {
                if let Some(d) = blk.attr("default") {
                    ev.vars.insert(name, d);
                }
            }
            ("resource" | "data", [t, name]) => {
                if let Some((_, attrs)) = ZONES.iter().find(|(z, _)| z == t)
                    && let Some(e) = attrs.iter().find_map(|a| blk.attr(a))
                {
                    let key = if kind == "data" { format!("data.{t}.{name}") } else { format!("{t}.{name}") };
                    ev.zones.insert(key, e);
                }
                if kind == "resource" && RESOURCES.contains(t) {
                    resources.push((*t, blk));
                }
            }
            _ => {}
        }
    }
    let mut out = Out { zones: Vec::new() };
    let known_zones: Vec<Name> = {
        let exprs: Vec<Node<'_>> = ev.zones.values().copied().collect();
        exprs
            .into_iter()
            .filter_map(|e| match ev.eval(e) {
                Val::Str(s) => Name::parse_absolute(s.value.trim_end_matches('.')).ok(),
                _ => None,
            })
            .collect()
    };
    for (t, blk) in resources {
        if out.zones.iter().map(|(_, v)| v.len()).sum::<usize>() >= input.limits.max_records_per_zone {
            break;
        }
        resource(&mut ev, t, &blk, &known_zones, &mut out);
    }
    lowered.diagnostics = ev.diags;
    for (apex, records) in out.zones {
        lowered.zones.push(super::zone(input.file, Format::Terraform, apex, crate::model::OriginSource::Directive, records, None));
    }
    lowered
}

/// The zone a record belongs to: its zone reference, else a zone defined in the file
/// that its (full) name is in.
fn zone_for(zone: Option<Val>, name: &HostStr, known: &[Name]) -> Option<Name> {
    if let Some(Val::Zone(z) | Val::Str(z)) = zone
        && let Ok(n) = Name::parse_absolute(z.value.trim_end_matches('.'))
    {
        return Some(n);
    }
    let full = Name::parse_absolute(name.value.trim_end_matches('.')).ok()?;
    known.iter().filter(|z| full.is_in(z)).max_by_key(|z| z.label_count()).cloned()
}

fn resource<'t>(ev: &mut Eval<'t>, t: &str, blk: &Block<'t>, known: &[Name], out: &mut Out) {
    let text = ev.text;
    let node = blk.node;
    let get = |ev: &mut Eval<'t>, k: &str| blk.attr(k).map(|e| ev.eval(e));
    let str_attr = |ev: &mut Eval<'t>, k: &str| match get(ev, k) {
        Some(Val::Str(s)) => Some(s),
        _ => None,
    };
    // The record type.
    let (rtype, type_span) = match t {
        "azurerm_dns_txt_record" => (Some(RrType::TXT), label_range(text, node)),
        "azurerm_dns_mx_record" => (Some(RrType::MX), label_range(text, node)),
        "azurerm_dns_cname_record" => (Some(RrType::CNAME), label_range(text, node)),
        "azurerm_dns_a_record" => (Some(RrType::A), label_range(text, node)),
        "azurerm_dns_aaaa_record" => (Some(RrType::AAAA), label_range(text, node)),
        "azurerm_dns_ns_record" => (Some(RrType::NS), label_range(text, node)),
        _ => match str_attr(ev, "type") {
            Some(s) => (RrType::from_mnemonic(&s.value.to_ascii_uppercase()), s.range),
            None => return ev.skip(node, format!("a `{t}` whose type is not a constant")),
        },
    };
    let Some(rtype) = rtype else { return };
    let Some(name) = str_attr(ev, "name") else {
        return ev.skip(node, format!("a `{t}` whose name is not a constant"));
    };
    let zone_ref = match t {
        "google_dns_record_set" => get(ev, "managed_zone"),
        t if t.starts_with("azurerm_") => get(ev, "zone_name"),
        _ => get(ev, "zone_id"),
    };
    let Some(apex) = zone_for(zone_ref, &name, known) else {
        return ev.skip(
            node,
            format!("a `{t}` whose zone zonels cannot tell (reference a zone resource defined here, or use a full record name)"),
        );
    };
    let owner = match super::owner_name(name.value.trim(), &apex, Names::Absolute) {
        Ok(n) if name.value.is_empty() || name.value == "@" => n,
        Ok(n) => n,
        Err(e) => {
            ev.diags.push(Diagnostic::new(
                &crate::rules::zone::bad_rdata::RULE,
                ev.file,
                name.range,
                format!("record name `{}`: {e}", name.value),
            ));
            return;
        }
    };
    let ttl = str_attr(ev, "ttl");
    let ttl_value = ttl.as_ref().and_then(|t| t.value.parse::<u32>().ok()).unwrap_or(300);
    let ttl_span = ttl.as_ref().map(|t| t.range);
    // The values: one record each.
    let mut values: Vec<(HostStr, Option<HostStr>)> = Vec::new();
    match t {
        "aws_route53_record" => {
            if blk.blocks.iter().any(|(k, _)| *k == "alias") {
                return;
            }
            match get(ev, "records") {
                Some(Val::List(items)) => values.extend(items.into_iter().filter_map(|v| v.str().cloned()).map(|s| (s, None))),
                Some(_) => return ev.skip(node, "`records` that are not a list of constants"),
                None => {}
            }
        }
        "cloudflare_record" | "cloudflare_dns_record" => {
            let v = str_attr(ev, "content").or_else(|| str_attr(ev, "value"));
            let prio = str_attr(ev, "priority");
            match v {
                Some(v) => values.push((v, prio)),
                None if blk.blocks.iter().any(|(k, _)| *k == "data") || blk.attr("data").is_some() => {
                    return ev.skip(node, "a record given as a `data` block");
                }
                None => return ev.skip(node, "a record whose content is not a constant"),
            }
        }
        "google_dns_record_set" => match get(ev, "rrdatas") {
            Some(Val::List(items)) => values.extend(items.into_iter().filter_map(|v| v.str().cloned()).map(|s| (s, None))),
            _ => return ev.skip(node, "`rrdatas` that are not a list of constants"),
        },
        "azurerm_dns_cname_record" => match str_attr(ev, "record") {
            Some(v) => values.push((v, None)),
            None => return ev.skip(node, "a `record` that is not a constant"),
        },
        "azurerm_dns_a_record" | "azurerm_dns_aaaa_record" | "azurerm_dns_ns_record" => match get(ev, "records") {
            Some(Val::List(items)) => values.extend(items.into_iter().filter_map(|v| v.str().cloned()).map(|s| (s, None))),
            _ => return ev.skip(node, "`records` that are not a list of constants"),
        },
        _ => {
            // azurerm TXT and MX: one nested `record` block per value.
            for (k, b) in &blk.blocks {
                if *k != "record" {
                    continue;
                }
                let rb = block(text, *b);
                let f = |ev: &mut Eval<'t>, a: &str| rb.attr(a).map(|e| ev.eval(e)).and_then(|v| v.str().cloned());
                if rtype == RrType::MX {
                    match (f(ev, "preference"), f(ev, "exchange")) {
                        (Some(p), Some(x)) => values.push((x, Some(p))),
                        _ => ev.skip(*b, "an MX `record` whose fields are not constants"),
                    }
                } else if let Some(v) = f(ev, "value") {
                    values.push((v, None));
                } else {
                    ev.skip(*b, "a `record` whose value is not a constant");
                }
            }
        }
    }
    let route53 = t == "aws_route53_record";
    for (v, prio) in values {
        let data = match rtype {
            RrType::TXT | RrType::SPF => txt_pieces(ev, t, &v),
            RrType::MX | RrType::SRV if prio.is_some() => {
                let mut f = vec![Field::Token(prio.unwrap_or_else(|| HostStr::synthetic("0", v.range)))];
                f.extend(v.words().into_iter().map(Field::Token));
                f
            }
            RrType::CAA => {
                let w = v.words();
                match w.as_slice() {
                    [flags, tag, value @ ..] if !value.is_empty() => {
                        let joined = v.slice(value[0].mapped.src_start(0).saturating_sub(v.mapped.src_start(0)) as usize, v.value.len());
                        let strings = joined.quoted_strings().unwrap_or_else(|| vec![joined.clone()]);
                        vec![Field::Token(flags.clone()), Field::Token(tag.clone()), Field::Strings(strings)]
                    }
                    _ => v.words().into_iter().map(Field::Token).collect(),
                }
            }
            _ => v.words().into_iter().map(Field::Token).collect(),
        };
        if data.is_empty() {
            continue;
        }
        let spec = RecordSpec {
            owner: owner.clone(),
            owner_span: Some(name.range),
            ttl: ttl_value,
            ttl_span,
            rtype,
            type_span,
            span: v.outer(),
            data,
        };
        let rec = build_record(ev.file, &apex, spec, Names::Absolute, &mut ev.diags);
        if route53 && matches!(rtype, RrType::TXT | RrType::SPF) {
            route53_lengths(ev, &rec);
        }
        out.push(&apex, rec);
    }
}

/// The second label of a resource block (`resource "type" "name"`), to point at.
fn label_range(text: &str, n: Node<'_>) -> TextRange {
    let _ = text;
    let mut c = n.walk();
    let x = n.named_children(&mut c).find(|x| x.kind() == "string_lit");
    x.map(range_of).unwrap_or_else(|| range_of(n))
}

/// A TXT value as the provider reads it: Route 53 splits at `""`; Cloudflare and Google
/// take zone-file quoted strings (Google splits unquoted values at blanks); Azure takes
/// the value as one string.
fn txt_pieces(ev: &mut Eval<'_>, t: &str, v: &HostStr) -> Vec<Field> {
    let _ = ev;
    match t {
        "aws_route53_record" => {
            let b = v.mapped.bytes.as_slice();
            let mut pieces = Vec::new();
            let mut start = 0;
            let mut i = 0;
            while i + 1 < b.len() {
                if b[i] == b'"' && b[i + 1] == b'"' {
                    pieces.push(v.slice(start, i));
                    i += 2;
                    start = i;
                    continue;
                }
                i += 1;
            }
            if pieces.is_empty() {
                return vec![Field::Strings(vec![v.clone()])];
            }
            pieces.push(v.slice(start, b.len()));
            vec![Field::Strings(pieces)]
        }
        "google_dns_record_set" => match v.quoted_strings() {
            Some(s) => vec![Field::Strings(s)],
            None => vec![Field::Strings(v.words())],
        },
        "cloudflare_record" | "cloudflare_dns_record" => match v.quoted_strings() {
            Some(s) => vec![Field::Strings(s)],
            None => vec![Field::Strings(vec![v.clone()])],
        },
        _ => vec![Field::Strings(vec![v.clone()])],
    }
}

/// `host/route53-unsplit-txt`: a string over 255 octets in a Route 53 value.
fn route53_lengths(ev: &mut Eval<'_>, rec: &Record) {
    let Some(h) = rec.host() else { return };
    let m = &h.strings;
    let n = m.bytes.len() as u32;
    for (i, &(start, _)) in m.pieces().iter().enumerate() {
        let end = m.pieces().get(i + 1).map_or(n, |p| p.0);
        let len = (end - start) as usize;
        if len <= 255 {
            continue;
        }
        // Where `\"\"` goes: every 255 octets, at verbatim offsets inside the literal.
        let mut splits = Vec::new();
        let mut at = start + 255;
        while at < end {
            let mut cut = at;
            while cut > start && (m.bytes[cut as usize] & 0xC0) == 0x80 {
                cut -= 1;
            }
            if !m.is_verbatim(cut - 1, cut + 1) {
                splits.clear();
                break;
            }
            splits.push(m.src_start(cut));
            at = cut + 255;
        }
        let in_literal = h.literals.iter().any(|l| splits.iter().all(|s| l.range.start < *s && *s < l.range.end));
        if !in_literal {
            splits.clear();
        }
        ev.diags.push(route53_unsplit_txt::diagnostic(ev.file, m.src_range(start, end), len, &splits, rec.span.start));
    }
}
