//! DNS-as-code: octoDNS YAML, DNSControl `dnsconfig.js` and Terraform files, read with
//! tree-sitter and lowered into the same zones of records as zone files. Every token of
//! a record's data keeps its place in the host file (through the host's own escaping),
//! so every rule works unchanged and points at the right characters; edits made by
//! fixes are written back in the host's syntax.

pub mod dnscontrol;
pub mod literal;
pub mod octodns;
pub mod terraform;

use std::path::Path;
use std::sync::Arc;

use crate::config::Limits;
use crate::diagnostics::{Diagnostic, Edit, FileId};
use crate::mapped::MappedText;
use crate::model::{Format, HostRdata, Literal, LiteralStyle, OriginSource, Rdata, Record, Zone};
use crate::name::Name;
use crate::rrtype::{RrClass, RrType};
use crate::rules::host as rules;
use crate::rules::zone as zone_rules;
use crate::source::SourceDb;
use crate::text::TextRange;
use crate::zone::lexer::{Lexer, TokenKind};
use crate::zone::rdata::{RdataCheck, RdataProblem};

/// The host format of a file, by its name and content; `None` for anything else
/// (unrelated YAML, JavaScript and Terraform files get no findings).
pub fn detect(path: &Path, text: &str) -> Option<Format> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "yaml" | "yml" => (octodns::looks_like(text) || octodns::main_config_zones(text).is_some()).then_some(Format::OctoDns),
        "js" | "cjs" | "mjs" => (name == "dnsconfig.js" || dnscontrol::looks_like(text)).then_some(Format::DnsControl),
        "tf" => terraform::looks_like(text).then_some(Format::Terraform),
        _ => None,
    }
}

/// What a host file lowers into.
#[derive(Default)]
pub struct Lowered {
    pub zones: Vec<Zone>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything lowering needs besides the text.
pub struct HostInput<'a> {
    pub file: FileId,
    pub path: &'a Path,
    pub text: &'a str,
    /// The zone name from configuration or the file name (octoDNS files name their zone).
    pub origin: Option<Name>,
    pub origin_source: OriginSource,
    pub limits: &'a Limits,
}

pub fn lower(format: Format, input: &HostInput<'_>) -> Lowered {
    match format {
        Format::OctoDns => octodns::lower(input),
        Format::DnsControl => dnscontrol::lower(input),
        Format::Terraform => terraform::lower(input),
        Format::Bind => Lowered::default(),
    }
}

/// The tree-sitter grammar a host format is read with.
fn language(format: Format) -> Option<tree_sitter::Language> {
    match format {
        Format::OctoDns => Some(tree_sitter_yaml::LANGUAGE.into()),
        Format::DnsControl => Some(tree_sitter_javascript::LANGUAGE.into()),
        Format::Terraform => Some(tree_sitter_hcl::LANGUAGE.into()),
        Format::Bind => None,
    }
}

/// A host file nests expressions deeper than `limits.max_nesting`.
pub fn nesting_limit(file: FileId, range: TextRange, limit: u32) -> Diagnostic {
    Diagnostic::new(
        &zone_rules::limit_exceeded::RULE,
        file,
        range,
        format!("this expression is nested more than {limit} deep and is not checked (raise `limits.max_nesting` in zonels.toml)"),
    )
}

/// Whether `text` parses without a syntax error in the grammar of `format` (a fixed
/// file must still be one its host tool reads).
pub fn parses_cleanly(format: Format, text: &str) -> bool {
    language(format).and_then(|l| parse(l, text)).is_some_and(|t| !t.root_node().has_error())
}

/// Parses `text` with a tree-sitter grammar. Parsing is bounded: deep or huge inputs
/// come back as a tree with errors, never a hang.
pub(crate) fn parse(language: tree_sitter::Language, text: &str) -> Option<tree_sitter::Tree> {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&language).ok()?;
    let started = std::time::Instant::now();
    let mut give_up = |_: &tree_sitter::ParseState| {
        if started.elapsed() > std::time::Duration::from_secs(10) {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut give_up);
    let bytes = text.as_bytes();
    parser.parse_with_options(&mut |i, _| bytes.get(i..).unwrap_or(&[]), None, Some(options))
}

pub(crate) fn range_of(node: tree_sitter::Node<'_>) -> TextRange {
    TextRange::from_usize(node.start_byte(), node.end_byte())
}

/// The first syntax error in a tree, reported once: the rest of the file is still read.
pub(crate) fn syntax_errors(tree: &tree_sitter::Tree, file: FileId, what: &str, out: &mut Vec<Diagnostic>) {
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    let mut budget = 1_000_000u32;
    while let Some(n) = stack.pop() {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            break;
        }
        if !n.has_error() {
            continue;
        }
        if n.is_error() || n.is_missing() {
            let msg = if n.is_missing() {
                format!("{what} syntax error: `{}` is missing here", n.kind())
            } else {
                format!("{what} syntax error: this cannot be parsed; the records in it are not checked")
            };
            out.push(Diagnostic::new(&zone_rules::syntax::RULE, file, range_of(n), msg));
            return;
        }
        let children: Vec<_> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
}

/// A string value read from a host file.
#[derive(Clone, Debug)]
pub struct HostStr {
    /// The decoded text.
    pub value: String,
    /// Where the text is (inside the quotes).
    pub range: TextRange,
    /// The literals the value was read from (none for a bare number).
    pub literals: Vec<Literal>,
    /// The decoded bytes with their map, as one piece.
    pub mapped: MappedText,
}

impl HostStr {
    /// Reads the literal at `range` (quotes included) in `style`.
    pub fn literal(text: &str, range: TextRange, style: LiteralStyle, escaped_semicolons: bool) -> Result<HostStr, literal::BadLiteral> {
        let mut mapped = MappedText::new();
        mapped.begin_piece(range);
        literal::decode(text, range, style, &mut mapped)?;
        let value = crate::util::lossy(&mapped.bytes).into_owned();
        let quotes = u32::from(!matches!(style, LiteralStyle::YamlPlain | LiteralStyle::HclHeredoc));
        let inner = TextRange::new(range.start + quotes, range.end.saturating_sub(quotes).max(range.start + quotes));
        Ok(HostStr { value, range: inner, literals: vec![Literal { range, style, sole: true, escaped_semicolons }], mapped })
    }

    /// A number or bare word (`10`, `300`) taken as written.
    pub fn bare(text: &str, range: TextRange) -> HostStr {
        let mut mapped = MappedText::new();
        mapped.begin_piece(range);
        mapped.push_verbatim(&text.as_bytes()[range.as_usize()], range.start);
        HostStr { value: text[range.as_usize()].to_string(), range, literals: Vec::new(), mapped }
    }

    /// Text that is not in the file (a separator, a builder's fixed part), standing for
    /// `range` (findings on it point there; it is never edited in place).
    pub fn synthetic(value: &str, range: TextRange) -> HostStr {
        let mut mapped = MappedText::new();
        mapped.begin_piece(range);
        mapped.push_mapped(value.as_bytes(), range);
        HostStr { value: value.to_string(), range, literals: Vec::new(), mapped }
    }

    /// Several values joined (`"a" + "b"`, a list joined by a builder).
    pub fn concat(parts: Vec<HostStr>) -> HostStr {
        if parts.len() == 1 {
            return parts.into_iter().next().unwrap_or_else(|| HostStr::synthetic("", TextRange::default()));
        }
        let mut mapped = MappedText::new();
        let first = parts.first().map(|p| p.outer()).unwrap_or_default();
        let last = parts.last().map(|p| p.outer()).unwrap_or_default();
        mapped.begin_piece(first.cover(last));
        let mut value = String::new();
        let mut literals = Vec::new();
        for p in &parts {
            value.push_str(&p.value);
            mapped.append(&p.mapped);
            literals.extend(p.literals.iter().map(|l| Literal { sole: false, ..l.clone() }));
        }
        HostStr { value, range: first.cover(last), literals, mapped }
    }

    /// Bytes `start..end` of the value, with their map (a word of a space-separated
    /// value, one string of several).
    pub fn slice(&self, start: usize, end: usize) -> HostStr {
        let m = &self.mapped;
        let end = end.min(m.bytes.len());
        let start = start.min(end);
        let mut out = MappedText::new();
        let whole = if start < end { m.src_range(start as u32, end as u32) } else { TextRange::at(m.src_start(start as u32)) };
        out.begin_piece(whole);
        for i in start..end {
            let src = TextRange::new(m.src_start(i as u32), m.src_end_of(i as u32));
            if m.is_verbatim(i as u32, i as u32 + 1) {
                out.push_verbatim(&m.bytes[i..i + 1], src.start);
            } else {
                out.push_escaped(m.bytes[i], src);
            }
        }
        let value = crate::util::lossy(&out.bytes).into_owned();
        let literals = self.literals.iter().map(|l| Literal { sole: false, ..l.clone() }).collect();
        HostStr { value, range: whole, literals, mapped: out }
    }

    /// The value split at runs of blanks (an MX value `10 mail.example.com`).
    pub fn words(&self) -> Vec<HostStr> {
        let b = self.mapped.bytes.as_slice();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i > start {
                out.push(self.slice(start, i));
            }
        }
        out
    }

    /// A value written as zone-file character-strings (`"v=spf1 …" "…"`), as Cloudflare
    /// and Google Cloud DNS take TXT content: the strings, each mapped; `None` when the
    /// value is not quoted.
    pub fn quoted_strings(&self) -> Option<Vec<HostStr>> {
        let b = self.mapped.bytes.as_slice();
        let trimmed = self.value.trim();
        if !(trimmed.starts_with('"') && trimmed.ends_with('"') && trimmed.len() >= 2) {
            return None;
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            if b[i] != b'"' {
                return None;
            }
            let start = i + 1;
            let mut j = start;
            let mut decoded = Vec::new();
            while j < b.len() && b[j] != b'"' {
                if b[j] == b'\\' && j + 1 < b.len() {
                    j += 1;
                }
                decoded.push(j);
                j += 1;
            }
            if j >= b.len() {
                return None;
            }
            // Escapes inside the string: map each kept byte.
            let mut piece = self.slice(start, j);
            if decoded.len() != j - start {
                let mut m = MappedText::new();
                m.begin_piece(piece.range);
                for &k in &decoded {
                    let src = TextRange::new(self.mapped.src_start(k as u32), self.mapped.src_end_of(k as u32));
                    m.push_escaped(b[k], src);
                }
                piece.value = crate::util::lossy(&m.bytes).into_owned();
                piece.mapped = m;
            }
            out.push(piece);
            i = j + 1;
        }
        Some(out)
    }

    /// The whole literal (quotes included), or the value's range.
    pub fn outer(&self) -> TextRange {
        match self.literals.as_slice() {
            [] => self.range,
            [l] => l.range,
            [a, .., b] => a.range.cover(b.range),
        }
    }

    /// The same value, owned by a literal elsewhere (a constant defined once, used here):
    /// findings point at the definition, where the text is.
    pub fn shared(mut self) -> HostStr {
        for l in &mut self.literals {
            l.sole = false;
        }
        self
    }
}

/// One field of a record's data.
pub enum Field {
    /// A single token (a name, a number): its text and where it is.
    Token(HostStr),
    /// Character-strings: one per host string.
    Strings(Vec<HostStr>),
}

/// A record as a host file states it, before lowering.
pub struct RecordSpec {
    pub owner: Name,
    pub owner_span: Option<TextRange>,
    pub ttl: u32,
    pub ttl_span: Option<TextRange>,
    pub rtype: RrType,
    pub type_span: TextRange,
    /// The whole record in the host file.
    pub span: TextRange,
    pub data: Vec<Field>,
}

/// How names in record data are read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// Relative to the zone unless they end in a dot (zone files, DNSControl).
    Relative,
    /// Always absolute, dot or no dot (octoDNS requires the dot; providers' APIs).
    Absolute,
}

/// Types whose data fields at these positions are domain names.
fn name_fields(t: RrType) -> &'static [usize] {
    match t {
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME => &[0],
        RrType::MX => &[1],
        RrType::SRV => &[3],
        _ => &[],
    }
}

/// Lowers one record: writes its data in presentation format, checks it like a zone
/// file's (problems reported on the host tokens), and maps every token back.
pub fn build_record(file: FileId, origin: &Name, spec: RecordSpec, names: Names, out: &mut Vec<Diagnostic>) -> Record {
    let mut text = String::new();
    let mut tokens = Vec::new();
    let mut strings = MappedText::new();
    let mut literals = Vec::new();
    let name_idx = name_fields(spec.rtype);
    let mut field_no = 0;
    for field in &spec.data {
        match field {
            Field::Token(t) => {
                if !text.is_empty() {
                    text.push(' ');
                }
                let mut v = t.value.clone();
                if names == Names::Absolute && name_idx.contains(&field_no) && !v.ends_with('.') && !v.is_empty() && v != "@" {
                    v.push('.');
                }
                // A token must stay one token: anything that would split it is quoted.
                if v.is_empty() || v.bytes().any(|b| b <= b' ' || matches!(b, b'"' | b';' | b'(' | b')' | b'\\')) {
                    v = crate::mail::value::render_strings(v.as_bytes());
                }
                text.push_str(&v);
                tokens.push(t.range);
                field_no += 1;
            }
            Field::Strings(parts) => {
                for p in parts {
                    // The zone-file form splits long strings at 255 octets, as the host
                    // tools do on publishing; the value itself stays one piece.
                    let bytes = p.mapped.bytes.as_slice();
                    let mut start = 0;
                    loop {
                        let mut end = (start + 255).min(bytes.len());
                        while end < bytes.len() && end > start && (bytes[end] & 0xC0) == 0x80 {
                            end -= 1;
                        }
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text.push_str(&crate::mail::value::render_strings(&bytes[start..end]));
                        tokens.push(if bytes.is_empty() { p.range } else { p.mapped.src_range(start as u32, end as u32) });
                        if end >= bytes.len() {
                            break;
                        }
                        start = end;
                    }
                    strings.begin_piece(p.outer());
                    strings.append(&p.mapped);
                    literals.extend(p.literals.iter().cloned());
                    field_no += 1;
                }
            }
        }
    }
    let lexed: Vec<_> = Lexer::new(&text).filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Quoted)).collect();
    let whole = spec.span;
    let mut check = RdataCheck::new(&text, &lexed, Some(origin), TextRange::new(0, text.len() as u32));
    let bad = check.check(spec.rtype).is_err();
    // Problems point at the host token the zone-file token came from.
    let host_range = |r: TextRange| -> TextRange {
        lexed
            .iter()
            .position(|t| t.range.start <= r.start && r.start < t.range.end.max(t.range.start + 1))
            .and_then(|i| tokens.get(i).copied())
            .unwrap_or(whole)
    };
    for p in check.problems {
        let d = match p {
            RdataProblem::Bad { range, message } => Diagnostic::new(&zone_rules::bad_rdata::RULE, file, host_range(range), message),
            RdataProblem::Syntax { range, message } => Diagnostic::new(&zone_rules::syntax::RULE, file, host_range(range), message),
            RdataProblem::NameTooLong { range, message } => {
                Diagnostic::new(&zone_rules::name_too_long::RULE, file, host_range(range), message)
            }
            RdataProblem::StringTooLong { token, .. } => {
                Diagnostic::new(&zone_rules::bad_rdata::RULE, file, host_range(token.range), "a character-string longer than 255 octets")
            }
            RdataProblem::MissingTrailingDot { range, name, becomes } => {
                let r = host_range(range);
                zone_rules::missing_trailing_dot::diagnostic(file, r, &name, &becomes)
            }
        };
        out.push(d.for_record(whole.start));
    }
    Record {
        file,
        span: whole,
        owner: spec.owner,
        owner_span: spec.owner_span.into(),
        ttl: spec.ttl,
        ttl_span: spec.ttl_span.into(),
        class: RrClass::IN,
        rtype: spec.rtype,
        type_span: spec.type_span,
        rdata: Rdata::Host(Arc::new(HostRdata { text, tokens, strings, literals })),
        origin: Some(origin.clone()),
        bad_rdata: bad,
    }
}

/// A zone read from a host file.
pub fn zone(
    file: FileId,
    format: Format,
    apex: Name,
    origin_source: OriginSource,
    records: Vec<Record>,
    insert_at: Option<TextRange>,
) -> Zone {
    Zone {
        file,
        apex,
        origin_source,
        class: RrClass::IN,
        records,
        included: Vec::new(),
        includes: Vec::new(),
        ttl_defaults: Vec::new(),
        format,
        insert_at,
    }
}

/// `host/unsupported-construct`: something zonels cannot evaluate without running it.
pub fn unsupported(file: FileId, range: TextRange, what: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new(
        &rules::unsupported_construct::RULE,
        file,
        range,
        format!("not checked: {what} (zonels reads host files without running them)"),
    )
}

/// The owner name of a record written relative to `origin` (`@` and `''` for the
/// apex). With [`Names::Absolute`], a full name written without its dot
/// (`www.example.com` in the zone `example.com`, as Terraform providers take them) is
/// that name.
pub fn owner_name(rel: &str, origin: &Name, names: Names) -> Result<Name, crate::name::NameError> {
    if rel.is_empty() || rel == "@" {
        return Ok(origin.clone());
    }
    if rel.ends_with('.') {
        return Name::parse_absolute(rel);
    }
    if names == Names::Absolute
        && let Ok(n) = Name::parse_absolute(rel)
        && n.is_in(origin)
    {
        return Ok(n);
    }
    Name::parse_in(rel, Some(origin))
}

/// A record added to a host-format zone, in its syntax, where zonels knows how.
pub fn insert_record(zone: &Zone, sources: &SourceDb, owner: &Name, rtype: &str, value: &[u8]) -> Option<Edit> {
    let at = zone.insert_at?;
    let text = sources.text(zone.file);
    match zone.format {
        Format::OctoDns => octodns::insert_record(zone, text, at, owner, rtype, value),
        Format::DnsControl => dnscontrol::insert_record(zone, text, at, owner, rtype, value),
        _ => None,
    }
}
