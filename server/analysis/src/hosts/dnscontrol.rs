//! DNSControl `dnsconfig.js`: `D(name, registrar, …)` domains and `D_EXTEND`, record
//! functions (`A AAAA CNAME MX TXT NS SRV CAA PTR`) with `TTL()`, and the
//! `SPF_BUILDER`, `DMARC_BUILDER` and `DKIM_BUILDER` helpers, evaluated statically:
//! string literals, concatenations, template strings, and `var`/`const`/`let`
//! constants (strings, numbers, arrays, objects, records). Anything else is skipped and
//! reported as `host/unsupported-construct`.

use rustc_hash::FxHashMap;
use tree_sitter::Node;

use super::{Field, HostInput, HostStr, Lowered, Names, RecordSpec, build_record, range_of, unsupported};
use crate::diagnostics::{Diagnostic, Edit, FileId};
use crate::model::{Format, LiteralStyle, Record, Zone};
use crate::name::Name;
use crate::rrtype::RrType;
use crate::text::TextRange;

/// The records `SPF_BUILDER` publishes for `terms` (its `parts`, `v=spf1` first) at
/// `label` of `domain`: one record, or with an `overflow` pattern (`_spf%d`) and a record longer
/// than `max`, a chain in which each record ends with `include:` of the next and the
/// last term (as DNSControl's spflib splits it). Each record's pieces, spaces between.
fn spf_chain(label: HostStr, terms: Vec<HostStr>, overflow: Option<HostStr>, max: usize, domain: &Name) -> Vec<(HostStr, Vec<HostStr>)> {
    let spaced = |ts: &[HostStr]| -> Vec<HostStr> {
        let mut out: Vec<HostStr> = Vec::new();
        for t in ts {
            if let Some(prev) = out.last() {
                // The space DNSControl puts between parts stands for the comma.
                let end = prev.outer().end;
                out.push(HostStr::synthetic(" ", TextRange::new(end, t.outer().start.max(end))));
            }
            out.push(t.clone());
        }
        out
    };
    let text_len = |ts: &[HostStr]| ts.iter().map(|t| t.value.len()).sum::<usize>() + ts.len().saturating_sub(1);
    let (Some(pattern), Some((head, body))) = (overflow, terms.split_first()) else { return vec![(label, spaced(&terms))] };
    let mut out = Vec::new();
    let mut this_label = label;
    let mut rest: Vec<HostStr> = body.to_vec();
    for next in 1..=64 {
        let whole: Vec<HostStr> = std::iter::once(head.clone()).chain(rest.iter().cloned()).collect();
        let Some(last) = rest.last().cloned() else { break };
        if text_len(&whole) <= max {
            out.push((this_label, spaced(&whole)));
            return out;
        }
        let next_name = pattern.value.replacen("%d", &next.to_string(), 1);
        // DNSControl names the next record `<pattern>.<domain>`.
        let include = HostStr::synthetic(&format!("include:{next_name}.{}", domain.to_string().trim_end_matches('.')), pattern.outer());
        let tail_len = 1 + include.value.len() + 1 + last.value.len();
        let mut len = head.value.len();
        let mut taken = 0;
        while taken < rest.len() && len + 1 + rest[taken].value.len() + tail_len <= max {
            len += 1 + rest[taken].value.len();
            taken += 1;
        }
        if taken == 0 {
            // The first part alone is too long: DNSControl publishes the record whole.
            out.push((this_label, spaced(&whole)));
            return out;
        }
        let mut record = vec![head.clone()];
        record.extend(rest[..taken].iter().cloned());
        record.push(include);
        record.push(last);
        out.push((this_label, spaced(&record)));
        rest.drain(..taken);
        this_label = HostStr::synthetic(&next_name, pattern.outer());
    }
    out
}

/// DNSControl's default TTL.
const DEFAULT_TTL: u32 = 300;

pub fn looks_like(text: &str) -> bool {
    text.contains("D(") && (text.contains("NewRegistrar") || text.contains("NewDnsProvider") || text.contains("DnsProvider("))
}

/// Functions that configure a domain without adding records: read past quietly.
const QUIET: &[&str] = &[
    "DnsProvider",
    "DefaultTTL",
    "NO_PURGE",
    "PURGE",
    "IGNORE",
    "IGNORE_NAME",
    "IGNORE_TARGET",
    "AUTODNSSEC_ON",
    "AUTODNSSEC_OFF",
    "DISABLE_IGNORE_SAFETY_CHECK",
    "NAMESERVER",
    "NAMESERVER_TTL",
    "DOMAIN_ELSEWHERE",
    "DOMAIN_ELSEWHERE_AUTO",
    "INCLUDE",
    "ALIAS",
    "CF_REDIRECT",
    "CF_TEMP_REDIRECT",
    "CF_WORKER_ROUTE",
    "URL",
    "URL301",
    "FRAME",
];

/// A value of the small language zonels evaluates.
#[derive(Clone)]
enum Val<'t> {
    Str(HostStr),
    Num(HostStr),
    Arr(Vec<Val<'t>>, TextRange),
    Obj(Vec<(String, TextRange, Val<'t>)>, TextRange),
    /// A call (a record function or a modifier), kept as its node.
    Call(Node<'t>),
    Undefined(TextRange),
}

impl Val<'_> {
    fn range(&self) -> TextRange {
        match self {
            Val::Str(s) | Val::Num(s) => s.outer(),
            Val::Arr(_, r) | Val::Obj(_, r) | Val::Undefined(r) => *r,
            Val::Call(n) => range_of(*n),
        }
    }

    fn as_str(&self) -> Option<HostStr> {
        match self {
            Val::Str(s) | Val::Num(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&Val<'_>> {
        match self {
            Val::Obj(pairs, _) => pairs.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    fn key_range(&self, key: &str) -> Option<TextRange> {
        match self {
            Val::Obj(pairs, _) => pairs.iter().find(|(k, _, _)| k == key).map(|(_, r, v)| r.cover(v.range())),
            _ => None,
        }
    }
}

struct Eval<'t> {
    text: &'t str,
    file: FileId,
    consts: FxHashMap<&'t str, Val<'t>>,
    diags: Vec<Diagnostic>,
    /// Records per domain (by apex), with the insertion point of its `D()`.
    domains: Vec<(Name, Vec<Record>, Option<TextRange>)>,
    limit: usize,
    max_depth: u32,
    /// The nesting limit has been reported (once per file).
    too_deep: bool,
}

impl<'t> Eval<'t> {
    fn node_text(&self, n: Node<'t>) -> &'t str {
        &self.text[n.byte_range()]
    }

    fn skip(&mut self, n: Node<'t>, what: impl std::fmt::Display) {
        self.diags.push(unsupported(self.file, range_of(n), what));
    }

    fn eval(&mut self, n: Node<'t>, depth: u32) -> Val<'t> {
        let r = range_of(n);
        if depth > self.max_depth {
            if !std::mem::replace(&mut self.too_deep, true) {
                self.diags.push(super::nesting_limit(self.file, r, self.max_depth));
            }
            return Val::Undefined(r);
        }
        match n.kind() {
            "string" => {
                let style = if self.text.as_bytes()[n.start_byte()] == b'\'' { LiteralStyle::JsSingle } else { LiteralStyle::JsDouble };
                match HostStr::literal(self.text, r, style, false) {
                    Ok(s) => Val::Str(s),
                    Err(e) => {
                        self.diags.push(Diagnostic::new(&crate::rules::zone::syntax::RULE, self.file, e.range, e.message));
                        Val::Undefined(r)
                    }
                }
            }
            "template_string" => {
                let mut cursor = n.walk();
                let subs: Vec<Node<'t>> = n.named_children(&mut cursor).filter(|c| c.kind() == "template_substitution").collect();
                if subs.is_empty() {
                    return match HostStr::literal(self.text, r, LiteralStyle::JsTemplate, false) {
                        Ok(s) => Val::Str(s),
                        Err(_) => Val::Undefined(r),
                    };
                }
                // `a ${b} c`: the literal parts and the substituted constants, in order.
                let mut parts = Vec::new();
                let mut at = n.start_byte() + 1;
                for sub in subs.iter().copied().chain(std::iter::once(n)) {
                    let end = if sub.id() == n.id() { n.end_byte() - 1 } else { sub.start_byte() };
                    if end > at {
                        let piece = TextRange::from_usize(at - 1, end + 1);
                        // Decode the stretch as if it were its own template literal.
                        let mut m = crate::mapped::MappedText::new();
                        m.begin_piece(piece);
                        let lit_text = format!("`{}`", &self.text[at..end]);
                        let mut tmp = crate::mapped::MappedText::new();
                        if super::literal::decode(&lit_text, TextRange::new(0, lit_text.len() as u32), LiteralStyle::JsTemplate, &mut tmp)
                            .is_err()
                        {
                            return Val::Undefined(r);
                        }
                        let value = crate::util::lossy(&tmp.bytes).into_owned();
                        if value == self.text[at..end] {
                            m.push_verbatim(value.as_bytes(), at as u32);
                        } else {
                            m.push_mapped(value.as_bytes(), TextRange::from_usize(at, end));
                        }
                        parts.push(HostStr { value, range: TextRange::from_usize(at, end), literals: Vec::new(), mapped: m });
                    }
                    if sub.id() == n.id() {
                        break;
                    }
                    let inner = sub.named_child(0);
                    match inner.map(|i| self.eval(i, depth + 1)) {
                        Some(Val::Str(s)) | Some(Val::Num(s)) => parts.push(s.shared()),
                        _ => {
                            self.skip(sub, "a template substitution that is not a constant");
                            return Val::Undefined(r);
                        }
                    }
                    at = sub.end_byte();
                }
                let mut s = HostStr::concat(parts);
                s.literals.push(crate::model::Literal {
                    range: r,
                    style: LiteralStyle::JsTemplate,
                    sole: false,
                    escaped_semicolons: false,
                });
                Val::Str(s)
            }
            "number" => Val::Num(HostStr::bare(self.text, r)),
            "parenthesized_expression" => match n.named_child(0) {
                Some(c) => self.eval(c, depth + 1),
                None => Val::Undefined(r),
            },
            "binary_expression" => {
                let op = n.child_by_field_name("operator").map(|o| self.node_text(o)).unwrap_or("");
                let (Some(a), Some(b)) = (n.child_by_field_name("left"), n.child_by_field_name("right")) else { return Val::Undefined(r) };
                if op != "+" {
                    self.skip(n, format!("the `{op}` operator"));
                    return Val::Undefined(r);
                }
                match (self.eval(a, depth + 1), self.eval(b, depth + 1)) {
                    (Val::Str(x) | Val::Num(x), Val::Str(y) | Val::Num(y)) => Val::Str(HostStr::concat(vec![x, y])),
                    _ => Val::Undefined(r),
                }
            }
            "identifier" => {
                let name = self.node_text(n);
                match self.consts.get(name) {
                    Some(v) => match v.clone() {
                        Val::Str(s) => Val::Str(s.shared()),
                        other => other,
                    },
                    None if name == "END" || name == "undefined" => Val::Undefined(r),
                    None => {
                        self.skip(n, format!("`{name}` is not a constant zonels can read"));
                        Val::Undefined(r)
                    }
                }
            }
            "array" => {
                let mut cursor = n.walk();
                let items: Vec<Node<'t>> = n.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
                Val::Arr(items.into_iter().map(|c| self.eval(c, depth + 1)).collect(), r)
            }
            "object" => {
                let mut pairs = Vec::new();
                let mut cursor = n.walk();
                for p in n.named_children(&mut cursor).filter(|c| c.kind() == "pair") {
                    let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value")) else { continue };
                    let key = self.node_text(k).trim_matches(['"', '\'']).to_string();
                    let val = self.eval(v, depth + 1);
                    pairs.push((key, range_of(k), val));
                }
                Val::Obj(pairs, r)
            }
            "call_expression" => Val::Call(n),
            "true" | "false" => Val::Str(HostStr::bare(self.text, r)),
            "comment" => Val::Undefined(r),
            other => {
                self.skip(n, format!("a `{}` expression", other.replace('_', " ")));
                Val::Undefined(r)
            }
        }
    }

    fn callee(&self, call: Node<'t>) -> &'t str {
        call.child_by_field_name("function").map(|f| self.node_text(f)).unwrap_or("")
    }

    fn args(&mut self, call: Node<'t>, depth: u32) -> Vec<Val<'t>> {
        let Some(a) = call.child_by_field_name("arguments") else { return Vec::new() };
        let mut cursor = a.walk();
        let nodes: Vec<Node<'t>> = a.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
        nodes.into_iter().map(|c| self.eval(c, depth + 1)).collect()
    }

    /// A top-level statement.
    fn statement(&mut self, s: Node<'t>) {
        match s.kind() {
            "variable_declaration" | "lexical_declaration" => {
                let mut cursor = s.walk();
                let decls: Vec<Node<'t>> = s.named_children(&mut cursor).filter(|c| c.kind() == "variable_declarator").collect();
                for d in decls {
                    let (Some(name), Some(value)) = (d.child_by_field_name("name"), d.child_by_field_name("value")) else { continue };
                    if name.kind() != "identifier" {
                        continue;
                    }
                    // Registrars and providers are handles, not records.
                    if value.kind() == "call_expression" && matches!(self.callee(value), "NewRegistrar" | "NewDnsProvider") {
                        self.consts.insert(self.node_text(name), Val::Undefined(range_of(value)));
                        continue;
                    }
                    let v = self.eval(value, 0);
                    self.consts.insert(self.node_text(name), v);
                }
            }
            "expression_statement" => {
                let Some(e) = s.named_child(0) else { return };
                if e.kind() != "call_expression" {
                    return;
                }
                match self.callee(e) {
                    "D" => self.domain(e, false),
                    "D_EXTEND" => self.domain(e, true),
                    "require" | "require_glob" => self.skip(e, "a `require`d file"),
                    _ => {}
                }
            }
            "comment" | "function_declaration" | "empty_statement" => {}
            "for_statement" | "for_in_statement" | "while_statement" | "do_statement" => self.skip(s, "a loop"),
            _ => {}
        }
    }

    fn domain(&mut self, call: Node<'t>, extend: bool) {
        let args_node = call.child_by_field_name("arguments");
        let args = self.args(call, 0);
        let Some(name) = args.first().and_then(Val::as_str) else {
            self.skip(call, "a domain whose name is not a constant");
            return;
        };
        let Ok(mut apex) = Name::parse_absolute(name.value.trim_end_matches('.')) else {
            self.diags.push(Diagnostic::new(
                &crate::rules::zone::bad_rdata::RULE,
                self.file,
                name.range,
                format!("`{}` is not a domain name", name.value),
            ));
            return;
        };
        // `D_EXTEND("sub.example.com")` adds to the domain it is under; labels are then
        // relative to the subdomain.
        let origin = apex.clone();
        let mut slot = None;
        if extend {
            slot = self.domains.iter().position(|(a, _, _)| origin.is_in(a));
            match slot {
                Some(i) => apex = self.domains[i].0.clone(),
                None => {
                    self.skip(call, format!("`D_EXTEND` of `{}`, which no `D()` above defines", name.value));
                    return;
                }
            }
        }
        let start = if extend { 1 } else { 2 };
        let mut default_ttl = DEFAULT_TTL;
        for a in args.iter().skip(start) {
            if let Val::Call(c) = a
                && self.callee(*c) == "DefaultTTL"
                && let Some(v) = self.args(*c, 1).first().and_then(Val::as_str).and_then(|s| ttl_value(&s.value))
            {
                default_ttl = v;
            }
        }
        let mut records = Vec::new();
        for a in args.iter().skip(start) {
            self.modifier(a, &origin, &apex, default_ttl, &mut records, 0);
        }
        let insert_at = if extend { None } else { args_node.and_then(|a| insertion_point(self.text, a)) };
        match slot {
            Some(i) => self.domains[i].1.extend(records),
            None => self.domains.push((apex, records, insert_at)),
        }
    }

    /// One argument of `D()`: a record, an array of them, or a domain modifier.
    fn modifier(&mut self, v: &Val<'t>, origin: &Name, apex: &Name, default_ttl: u32, out: &mut Vec<Record>, depth: u32) {
        if depth > self.max_depth || out.len() >= self.limit {
            return;
        }
        match v {
            Val::Arr(items, _) => {
                for i in items {
                    self.modifier(i, origin, apex, default_ttl, out, depth + 1);
                }
            }
            Val::Call(c) => {
                let f = self.callee(*c);
                if QUIET.contains(&f) {
                    return;
                }
                let args = self.args(*c, depth + 1);
                match f {
                    "SPF_BUILDER" => self.spf_builder(*c, &args, origin, apex, default_ttl, out),
                    "DMARC_BUILDER" => self.dmarc_builder(*c, &args, origin, apex, default_ttl, out),
                    "DKIM_BUILDER" => self.dkim_builder(*c, &args, origin, apex, default_ttl, out),
                    _ => match RrType::from_mnemonic(f) {
                        Some(t) => self.record(*c, t, &args, origin, apex, default_ttl, out),
                        None => self.skip(*c, format!("`{f}()`, a function zonels does not know")),
                    },
                }
            }
            _ => {}
        }
    }

    /// `TTL(n)` among a record's modifiers.
    fn ttl_of(&mut self, args: &[Val<'t>]) -> Option<(u32, TextRange)> {
        args.iter().find_map(|a| match a {
            Val::Call(c) if self.callee(*c) == "TTL" => {
                let v = self.args(*c, 1).first().and_then(Val::as_str)?;
                Some((ttl_value(&v.value)?, v.range))
            }
            _ => None,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        call: Node<'t>,
        t: RrType,
        label: &HostStr,
        origin: &Name,
        apex: &Name,
        ttl: (u32, Option<TextRange>),
        data: Vec<Field>,
        out: &mut Vec<Record>,
    ) {
        let owner = match super::owner_name(&label.value, origin, Names::Relative) {
            Ok(n) => n,
            Err(e) => {
                self.diags.push(Diagnostic::new(
                    &crate::rules::zone::bad_rdata::RULE,
                    self.file,
                    label.range,
                    format!("record name `{}`: {e}", label.value),
                ));
                return;
            }
        };
        let type_span = call.child_by_field_name("function").map(range_of).unwrap_or_else(|| range_of(call));
        let spec = RecordSpec {
            owner,
            owner_span: Some(label.range),
            ttl: ttl.0,
            ttl_span: ttl.1,
            rtype: t,
            type_span,
            span: range_of(call),
            data,
        };
        out.push(build_record(self.file, origin, spec, Names::Relative, &mut self.diags));
        let _ = apex;
    }

    #[allow(clippy::too_many_arguments)]
    fn record(&mut self, call: Node<'t>, t: RrType, args: &[Val<'t>], origin: &Name, apex: &Name, default_ttl: u32, out: &mut Vec<Record>) {
        let Some(label) = args.first().and_then(Val::as_str) else {
            self.skip(call, format!("a {t} record whose name is not a constant"));
            return;
        };
        let ttl = self.ttl_of(args).map_or((default_ttl, None), |(v, r)| (v, Some(r)));
        let rest = &args[1..];
        let strings = |v: &Val<'t>| -> Option<Vec<HostStr>> {
            match v {
                Val::Str(s) => Some(vec![s.clone()]),
                Val::Arr(items, _) => items.iter().map(Val::as_str).collect(),
                _ => None,
            }
        };
        let token = |i: usize| rest.get(i).and_then(Val::as_str);
        // A value computed by a function: say which; one already reported (an unknown
        // name) is not reported twice.
        if let Some(v) = rest.first().filter(|v| !matches!(v, Val::Str(_) | Val::Num(_) | Val::Arr(..))) {
            match v {
                Val::Call(c) => {
                    let f = self.callee(*c);
                    self.skip(*c, format!("the {t} value `{f}()` computes"));
                }
                Val::Undefined(_) => {}
                _ => self.skip(call, format!("a {t} value that is not a string")),
            }
            return;
        }
        let data = match t {
            RrType::TXT | RrType::SPF => match rest.first().and_then(strings) {
                Some(parts) if !parts.is_empty() => vec![Field::Strings(parts)],
                _ => {
                    self.skip(call, "a TXT value that is not a string or a list of strings");
                    return;
                }
            },
            RrType::MX => match (token(0), token(1)) {
                (Some(p), Some(x)) => vec![Field::Token(p), Field::Token(x)],
                _ => return self.skip(call, "an MX record whose fields are not constants"),
            },
            RrType::SRV => match (token(0), token(1), token(2), token(3)) {
                (Some(a), Some(b), Some(c), Some(d)) => vec![Field::Token(a), Field::Token(b), Field::Token(c), Field::Token(d)],
                _ => return self.skip(call, "an SRV record whose fields are not constants"),
            },
            RrType::CAA => {
                let critical = rest.iter().any(|a| matches!(a, Val::Call(c) if self.callee(*c) == "CAA_CRITICAL"));
                match (token(0), token(1)) {
                    (Some(tag), Some(value)) => {
                        let flags = HostStr::synthetic(if critical { "128" } else { "0" }, range_of(call));
                        vec![Field::Token(flags), Field::Token(tag), Field::Strings(vec![value])]
                    }
                    _ => return self.skip(call, "a CAA record whose fields are not constants"),
                }
            }
            _ => match token(0) {
                Some(v) => vec![Field::Token(v)],
                None => return self.skip(call, format!("a {t} record whose value is not a constant")),
            },
        };
        self.push(call, t, &label, origin, apex, ttl, data, out);
    }

    #[allow(clippy::too_many_arguments)]
    fn spf_builder(&mut self, call: Node<'t>, args: &[Val<'t>], origin: &Name, apex: &Name, default_ttl: u32, out: &mut Vec<Record>) {
        let Some(opts) = args.first().filter(|a| matches!(a, Val::Obj(..))) else {
            return self.skip(call, "`SPF_BUILDER` without an object of options");
        };
        if opts.get("flatten").is_some() {
            self.skip(call, "`SPF_BUILDER` flattening, done when DNSControl runs (the record is checked as written)");
        }
        let label = opts.get("label").and_then(Val::as_str).unwrap_or_else(|| HostStr::synthetic("@", range_of(call)));
        let Some(Val::Arr(parts, _)) = opts.get("parts") else {
            return self.skip(call, "`SPF_BUILDER` without a constant `parts` list");
        };
        let mut terms = Vec::new();
        for p in parts {
            let Some(s) = p.as_str() else {
                return self.skip(call, "an `SPF_BUILDER` part that is not a constant");
            };
            terms.push(s);
        }
        let ttl =
            opts.get("ttl").and_then(Val::as_str).and_then(|s| Some((ttl_value(&s.value)?, Some(s.range)))).unwrap_or((default_ttl, None));
        // What DNSControl publishes: the record at `label`, and with `overflow` (formerly
        // `split`) a chain of records when it is longer than `txtMaxSize`.
        let max = opts.get("txtMaxSize").and_then(Val::as_str).and_then(|s| s.value.parse::<usize>().ok()).unwrap_or(255);
        let overflow = opts.get("overflow").or_else(|| opts.get("split")).and_then(Val::as_str);
        for (name, pieces) in spf_chain(label, terms, overflow, max, origin) {
            let value = HostStr::concat(pieces);
            self.push(call, RrType::TXT, &name, origin, apex, ttl, vec![Field::Strings(vec![value])], out);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn dmarc_builder(&mut self, call: Node<'t>, args: &[Val<'t>], origin: &Name, apex: &Name, default_ttl: u32, out: &mut Vec<Record>) {
        let Some(opts) = args.first().filter(|a| matches!(a, Val::Obj(..))) else {
            return self.skip(call, "`DMARC_BUILDER` without an object of options");
        };
        let whole = range_of(call);
        let mut parts = vec![HostStr::synthetic("v=DMARC1", whole)];
        // DNSControl's order and spelling of the tags it writes.
        let tags: &[(&str, &str)] = &[
            ("policy", "p"),
            ("subdomainPolicy", "sp"),
            ("alignmentDKIM", "adkim"),
            ("alignmentSPF", "aspf"),
            ("percent", "pct"),
            ("rua", "rua"),
            ("ruf", "ruf"),
            ("failureOptions", "fo"),
            ("failureFormat", "rf"),
            ("reportInterval", "ri"),
        ];
        for (opt, tag) in tags {
            let Some(v) = opts.get(opt) else { continue };
            let at = opts.key_range(opt).unwrap_or(whole);
            let value = match v {
                Val::Arr(items, _) => {
                    let mut xs = Vec::new();
                    for (i, it) in items.iter().enumerate() {
                        let Some(s) = it.as_str() else { return self.skip(call, format!("a `{opt}` entry that is not a constant")) };
                        if i > 0 {
                            xs.push(HostStr::synthetic(",", s.outer()));
                        }
                        xs.push(s);
                    }
                    if xs.is_empty() {
                        continue;
                    }
                    HostStr::concat(xs)
                }
                other => match other.as_str() {
                    // `alignmentSPF: "strict"` is written `aspf=s`.
                    Some(s) if matches!(*tag, "adkim" | "aspf") && matches!(s.value.as_str(), "strict" | "relaxed") => {
                        HostStr::synthetic(&s.value[..1], s.range)
                    }
                    Some(s) => s,
                    None => {
                        self.skip(call, format!("a `{opt}` option that is not a constant"));
                        continue;
                    }
                },
            };
            parts.push(HostStr::synthetic("; ", at));
            parts.push(HostStr::synthetic(&format!("{tag}="), at));
            parts.push(value);
        }
        let label = opts.get("label").and_then(Val::as_str);
        let label = match label {
            Some(l) if l.value != "@" => HostStr::synthetic(&format!("_dmarc.{}", l.value), l.range),
            _ => HostStr::synthetic("_dmarc", whole),
        };
        let ttl =
            opts.get("ttl").and_then(Val::as_str).and_then(|s| Some((ttl_value(&s.value)?, Some(s.range)))).unwrap_or((default_ttl, None));
        self.push(call, RrType::TXT, &label, origin, apex, ttl, vec![Field::Strings(vec![HostStr::concat(parts)])], out);
    }

    #[allow(clippy::too_many_arguments)]
    fn dkim_builder(&mut self, call: Node<'t>, args: &[Val<'t>], origin: &Name, apex: &Name, default_ttl: u32, out: &mut Vec<Record>) {
        let Some(opts) = args.first().filter(|a| matches!(a, Val::Obj(..))) else {
            return self.skip(call, "`DKIM_BUILDER` without an object of options");
        };
        let whole = range_of(call);
        let (Some(selector), Some(pubkey)) = (opts.get("selector").and_then(Val::as_str), opts.get("pubkey").and_then(Val::as_str)) else {
            return self.skip(call, "`DKIM_BUILDER` without constant `selector` and `pubkey`");
        };
        let mut parts = vec![HostStr::synthetic("v=DKIM1", whole)];
        for (opt, tag) in [("hashtypes", "h"), ("keytype", "k"), ("servicetypes", "s"), ("flags", "t"), ("notes", "n")] {
            let Some(v) = opts.get(opt) else { continue };
            let at = opts.key_range(opt).unwrap_or(whole);
            let value = match v {
                Val::Arr(items, _) => {
                    let mut xs = Vec::new();
                    for (i, it) in items.iter().enumerate() {
                        let Some(s) = it.as_str() else { continue };
                        if i > 0 {
                            xs.push(HostStr::synthetic(":", s.outer()));
                        }
                        xs.push(s);
                    }
                    if xs.is_empty() {
                        continue;
                    }
                    HostStr::concat(xs)
                }
                other => match other.as_str() {
                    Some(s) => s,
                    None => continue,
                },
            };
            parts.push(HostStr::synthetic("; ", at));
            parts.push(HostStr::synthetic(&format!("{tag}="), at));
            parts.push(value);
        }
        let at = opts.key_range("pubkey").unwrap_or(whole);
        parts.push(HostStr::synthetic("; ", at));
        parts.push(HostStr::synthetic("p=", at));
        parts.push(pubkey);
        let label = match opts.get("label").and_then(Val::as_str) {
            Some(l) if l.value != "@" => HostStr::synthetic(&format!("{}._domainkey.{}", selector.value, l.value), selector.range),
            _ => HostStr::synthetic(&format!("{}._domainkey", selector.value), selector.range),
        };
        let ttl =
            opts.get("ttl").and_then(Val::as_str).and_then(|s| Some((ttl_value(&s.value)?, Some(s.range)))).unwrap_or((default_ttl, None));
        self.push(call, RrType::TXT, &label, origin, apex, ttl, vec![Field::Strings(vec![HostStr::concat(parts)])], out);
    }
}

/// `300`, or DNSControl's `"5m"`, `"1h"`, `"1d"` strings.
fn ttl_value(s: &str) -> Option<u32> {
    let s = s.trim_matches(['"', '\'']);
    s.parse().ok().or_else(|| crate::zone::ttl::parse_ttl(s).ok())
}

/// Where a record added to a `D()` goes: before a closing `END`, else after the last
/// argument.
fn insertion_point(text: &str, args: Node<'_>) -> Option<TextRange> {
    let mut cursor = args.walk();
    let last = args.named_children(&mut cursor).filter(|c| c.kind() != "comment").last()?;
    if &text[last.byte_range()] == "END" {
        return Some(TextRange::at(last.start_byte() as u32));
    }
    Some(TextRange::at(last.end_byte() as u32))
}

pub fn lower(input: &HostInput<'_>) -> Lowered {
    let mut out = Lowered::default();
    let Some(tree) = super::language(Format::DnsControl).and_then(|l| super::parse(l, input.text)) else { return out };
    let mut ev = Eval {
        text: input.text,
        file: input.file,
        consts: FxHashMap::default(),
        diags: Vec::new(),
        domains: Vec::new(),
        limit: input.limits.max_records_per_zone,
        max_depth: input.limits.max_nesting,
        too_deep: false,
    };
    super::syntax_errors(&tree, input.file, "JavaScript", &mut ev.diags);
    let root = tree.root_node();
    let mut cursor = root.walk();
    let statements: Vec<Node<'_>> = root.named_children(&mut cursor).collect();
    for s in statements {
        ev.statement(s);
    }
    out.diagnostics = ev.diags;
    for (apex, records, insert_at) in ev.domains {
        out.zones.push(super::zone(input.file, Format::DnsControl, apex, crate::model::OriginSource::Directive, records, insert_at));
    }
    out
}

/// A record function added to the domain's `D()` call.
pub fn insert_record(zone: &Zone, text: &str, at: TextRange, owner: &Name, rtype: &str, value: &[u8]) -> Option<Edit> {
    let label = if owner == &zone.apex { "@".to_string() } else { owner.relative_to(&zone.apex) };
    let lit = crate::model::Literal { range: at, style: LiteralStyle::JsDouble, sole: true, escaped_semicolons: false };
    let rendered = super::literal::render(&lit, value)?;
    let label = super::literal::render(&lit, label.as_bytes())?;
    let call = format!("{rtype}({label}, {rendered})");
    // The indentation of the line the insertion point is on.
    let line_start = text[..at.start as usize].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let before_end = text[at.start as usize..].starts_with("END");
    let new = if before_end { format!("{call},\n{indent}") } else { format!(",\n{indent}{call}") };
    Some(Edit::insert(zone.file, at.start, new))
}
