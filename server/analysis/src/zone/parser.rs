//! Error-recovering parser for master files: directives, owner inheritance, TTL and
//! class in either order, `( … )` continuation, `$INCLUDE` and `$GENERATE`.
//!
//! Parsing never fails. Each logical record that cannot be read becomes a finding and
//! parsing resumes at the next one; an unclosed `(` is reported at the parenthesis and
//! parsing resumes on the line after it, so one slip does not swallow the file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::lexer::{Lexer, Token, TokenKind};
use super::rdata::{RdataCheck, RdataProblem, missing_trailing_dot};
use super::strings;
use super::ttl::{TtlError, parse_ttl};
use crate::config::Limits;
use crate::diagnostics::{Diagnostic, FileId};
use crate::model::{IncludeLink, OriginSource, Rdata, Record, Zone};
use crate::name::{Name, NameError};
use crate::rrtype::{RrClass, RrType};
use crate::rules::zone as rules;
use crate::source::{SourceLoader, resolve_include_path};
use crate::text::{OptRange, TextRange};

pub struct ParseInput<'a> {
    pub file: FileId,
    /// The file's path (for resolving relative `$INCLUDE`s).
    pub path: &'a Path,
    pub text: &'a str,
    /// The origin from configuration or the file name, used until a `$ORIGIN`.
    pub origin: Option<Name>,
    pub origin_source: OriginSource,
    /// Workspace root: `$INCLUDE` never reads outside it.
    pub root: &'a Path,
    pub loader: &'a dyn SourceLoader,
    pub limits: &'a Limits,
}

pub struct ParsedZone {
    pub zone: Zone,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn parse_zone(input: ParseInput<'_>) -> ParsedZone {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let p = match parse_in_chunks(&input, cores, CHUNK_MIN) {
        Some(p) => p,
        None => {
            let mut p = Parser::new(&input);
            let mut st = FileState { file: input.file, path: input.path.to_path_buf(), origin: input.origin.clone(), owner: None };
            p.parse_file(&mut st, input.text, 0);
            p
        }
    };

    let apex = p
        .records
        .iter()
        .find(|r| r.rtype == RrType::SOA)
        .map(|r| r.owner.clone())
        .or_else(|| p.initial_origin.clone())
        .unwrap_or_else(Name::root);
    let origin_source = if p.initial_origin.is_some() { p.origin_source } else { OriginSource::Unknown };
    ParsedZone {
        zone: Zone {
            file: input.file,
            apex,
            origin_source,
            class: p.class.unwrap_or(RrClass::IN),
            records: p.records,
            included: p.included,
            includes: p.includes,
            ttl_defaults: p.ttl_defaults,
            format: crate::model::Format::Bind,
            insert_at: None,
        },
        diagnostics: p.diags,
    }
}

/// Below this many bytes after its directives, a zone file is parsed on one thread.
const CHUNK_MIN: usize = 1 << 20;

/// Parses a large zone file on all cores: the part up to its last directive (and its
/// first record) in order, then the rest, which only records follow, in chunks that
/// start at a line with an owner name, each from the state the first part left.
///
/// `None` when the result could differ from reading the file in one go (a chunk ends
/// inside parentheses, a chunk's first lines inherit an owner, the record limit is
/// reached, or no `$TTL` fixes the TTL of records without one): the caller then parses
/// the file in order.
fn parse_in_chunks<'a>(input: &ParseInput<'a>, cores: usize, chunk_min: usize) -> Option<Parser<'a>> {
    let text = input.text;
    let bytes = text.as_bytes();
    if cores < 2 || bytes.len() < 2 * chunk_min {
        return None;
    }
    // Directives stand at the start of a line; the first part ends after the last one.
    let last_directive = memchr::memrchr_iter(b'$', bytes).find(|&i| i == 0 || bytes[i - 1] == b'\n').unwrap_or(0);
    if bytes.len() - last_directive < 2 * chunk_min {
        // Not worth it, and the first part would be most of the file, read twice.
        return None;
    }
    let mut p = Parser::new(input);
    let mut st = FileState { file: input.file, path: input.path.to_path_buf(), origin: input.origin.clone(), owner: None };
    p.stop_after = Some(last_directive);
    let mut lx = Lexer::new(text);
    p.parse_from(&mut st, text, &mut lx, 0);
    p.stop_after = None;
    let start = Lexer::position(&lx);
    let rest = bytes.len() - start;
    // More chunks than cores, taken in turn by the next free core: chunks of the same
    // size do not take the same time, and the last one to finish holds everyone up.
    let chunks = (cores * 4).min(rest / chunk_min);
    if p.resynced || p.limit_reported || p.default_ttl.is_none() || p.class.is_none() || st.origin.is_none() || chunks < 2 {
        return None;
    }
    // Chunks start at a line that begins with an owner name.
    let mut bounds = vec![start];
    for k in 1..chunks {
        let mut at = (start + rest * k / chunks).max(*bounds.last()?);
        let split = loop {
            let nl = at + memchr::memchr(b'\n', &bytes[at..])?;
            let next = nl + 1;
            match bytes.get(next) {
                None => return None,
                Some(b' ' | b'\t' | b'\r' | b'\n' | b';' | b'(' | b')' | b'"' | b'$') => at = next,
                Some(_) => break next,
            }
        };
        if split > *bounds.last()? {
            bounds.push(split);
        }
    }
    bounds.push(bytes.len());
    if bounds.len() < 3 {
        return None; // one chunk: nothing to share
    }
    // Every chunk but the last writes its records straight into the array they end in,
    // each into a stretch with room for one record per line (a record takes a line at
    // least); the stretches are closed up after. Copying the chunks' own arrays into a
    // new one touched as much fresh memory again as the records take (80 MB for a
    // million). The last chunk fills an array of its own, copied in at the end: the
    // room the others leave unused is then never written past the records' end.
    let caps: Vec<usize> = bounds.windows(2).map(|w| line_ends(&bytes[w[0]..w[1]]) + 1).collect();
    let pre = p.records.len();
    p.records.reserve_exact(caps.iter().sum());
    let base = p.records.as_mut_ptr();
    let mut slot_at = Vec::with_capacity(caps.len());
    let mut at = pre;
    for cap in &caps[..caps.len() - 1] {
        slot_at.push(at);
        at += cap;
    }
    // SAFETY: the stretches lie one after another in the capacity reserved above, past
    // the records already there; `p.records` is neither read nor grown until they are
    // closed up below.
    let slot = |k: usize| Slot { at: unsafe { SlotPtr(std::ptr::NonNull::new_unchecked(base.add(slot_at[k]))) }, len: 0, cap: caps[k] };
    p.slot = Some(slot(0));
    // Each later chunk starts from the state the first part left, but not knowing the
    // owner in effect (a record there that inherits one makes the read fall back).
    let later: Vec<std::sync::Mutex<Parser<'a>>> = (1..caps.len())
        .map(|k| {
            let mut c = Parser::new_sized(input, 0);
            c.default_ttl = p.default_ttl;
            c.last_ttl = p.last_ttl;
            c.class = p.class;
            c.first_record_seen = p.first_record_seen;
            c.initial_origin = p.initial_origin.clone();
            c.origin_source = p.origin_source;
            c.owner_unknown = true;
            if k + 1 < caps.len() {
                c.slot = Some(slot(k));
            } else {
                c.records.reserve_exact(caps[k]);
            }
            std::sync::Mutex::new(c)
        })
        .collect();
    let _t = crate::timing::phase("parse chunks");
    let next = std::sync::atomic::AtomicUsize::new(0);
    let origin = st.origin.clone();
    let take_chunks = || {
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(chunk) = later.get(k) else { break };
            let (from, to) = (bounds[k + 1], bounds[k + 2]);
            let _t = crate::timing::phase("parse chunk");
            let mut c = chunk.lock().unwrap_or_else(|e| e.into_inner());
            let mut cst = FileState { file: input.file, path: PathBuf::new(), origin: origin.clone(), owner: None };
            c.parse_lexed(&mut cst, text, Lexer::with_range(text, TextRange::from_usize(from, to)), 0);
        }
    };
    std::thread::scope(|s| {
        let workers: Vec<_> = (1..cores).map(|_| s.spawn(take_chunks)).collect();
        // This thread reads on from the first part, then takes chunks too.
        {
            let _t = crate::timing::phase("parse chunk");
            p.parse_lexed(&mut st, text, Lexer::with_range(text, TextRange::from_usize(bounds[0], bounds[1])), 0);
        }
        take_chunks();
        for w in workers {
            w.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
    });
    drop(_t);
    let _t = crate::timing::phase("parse join");
    let mut later: Vec<Parser<'a>> = later.into_iter().map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner())).collect();
    // Closed up before anything else, so that the records are in `p.records` (and
    // dropped with it) whatever is decided below.
    let slots = std::iter::once(&mut p.slot).chain(later.iter_mut().map(|c| &mut c.slot)).map_while(Option::take);
    let mut filled = pre;
    for (k, s) in slots.enumerate() {
        // SAFETY: the stretch's first `s.len` records were written by its parser and are
        // moved to the end of those before it (to the left: `filled <= slot_at[k]`);
        // then `p.records` owns them. `copy` allows the overlap.
        debug_assert!(filled <= slot_at[k]);
        unsafe { std::ptr::copy(s.at.0.as_ptr(), base.add(filled), s.len) };
        filled += s.len;
    }
    // SAFETY: the first `filled` records are initialised: the first part's, then each
    // stretch's, in order.
    unsafe { p.records.set_len(filled) };
    if let Some(last) = later.last_mut() {
        p.records.append(&mut last.records);
    }
    if p.resynced || later.iter().any(|c| c.resynced) {
        return None;
    }
    let total = p.records.len();
    if total > input.limits.max_records_per_zone || p.limit_reported || later.iter().any(|c| c.limit_reported) {
        return None;
    }
    for c in &mut later {
        p.diags.append(&mut c.diags);
    }
    Some(p)
}

/// The line ends in `bytes`: counted per place in 64-byte rows into bytes, which the
/// compiler turns into vector compares (a plain filtered count goes a byte at a time,
/// 25 ms for a 56 MB zone), and summed before a byte could overflow.
fn line_ends(bytes: &[u8]) -> usize {
    let mut n = 0;
    for block in bytes.chunks(255 * 64) {
        let mut counts = [0u8; 64];
        let mut rows = block.chunks_exact(64);
        for row in &mut rows {
            for (c, &b) in counts.iter_mut().zip(row) {
                *c += u8::from(b == b'\n');
            }
        }
        n += counts.iter().map(|&c| usize::from(c)).sum::<usize>() + rows.remainder().iter().filter(|&&b| b == b'\n').count();
    }
    n
}

/// A stretch of the records array of a file read in chunks, where one chunk's parser
/// puts its records (see [`parse_in_chunks`]): its first `len` of `cap` places are
/// written. The records in it are not dropped with it: they are moved out, into the
/// array (or leaked when a parser panics).
struct Slot {
    at: SlotPtr,
    len: usize,
    cap: usize,
}

struct SlotPtr(std::ptr::NonNull<Record>);

// SAFETY: a slot is written by the one parser that holds it, on whichever thread it runs.
unsafe impl Send for SlotPtr {}

impl Slot {
    /// Adds `r`; `Err` when the stretch is full.
    fn push(&mut self, r: Record) -> Result<(), Record> {
        if self.len == self.cap {
            return Err(r);
        }
        // SAFETY: `len < cap`: the place is in the stretch and not yet written.
        unsafe { self.at.0.as_ptr().add(self.len).write(r) };
        self.len += 1;
        Ok(())
    }
}

/// The parser's state at a record boundary: what the records and directives before it
/// left in effect.
pub struct Resume {
    pub origin: Option<Name>,
    pub owner: Option<Name>,
    pub default_ttl: Option<u32>,
    pub last_ttl: Option<u32>,
    pub class: Option<RrClass>,
}

/// Parses only `region` of the file (whole lines, after a record boundary), starting
/// from `resume`: how an editor re-reads the lines being typed without re-reading the
/// rest. Offsets stay those of the whole text. `None` when a `(` in the region is not
/// closed there: the record may go on past the region, so it cannot be read alone.
pub fn parse_region(input: ParseInput<'_>, region: TextRange, resume: Resume) -> Option<(Vec<Record>, Vec<Diagnostic>)> {
    let mut p = Parser::new(&input);
    p.default_ttl = resume.default_ttl;
    p.last_ttl = resume.last_ttl;
    p.class = resume.class;
    p.first_record_seen = true;
    let mut st = FileState { file: input.file, path: input.path.to_path_buf(), origin: resume.origin, owner: resume.owner };
    p.parse_lexed(&mut st, input.text, Lexer::with_range(input.text, region), 0);
    (!p.resynced).then_some((p.records, p.diags))
}

struct FileState {
    file: FileId,
    path: PathBuf,
    origin: Option<Name>,
    owner: Option<Name>,
}

struct Parser<'a> {
    root: &'a Path,
    loader: &'a dyn SourceLoader,
    limits: &'a Limits,
    records: Vec<Record>,
    /// Where the records go instead of `records` in a chunk of a file read in chunks.
    slot: Option<Slot>,
    diags: Vec<Diagnostic>,
    included: Vec<FileId>,
    includes: Vec<IncludeLink>,
    include_stack: Vec<PathBuf>,
    includes_total: usize,
    default_ttl: Option<u32>,
    last_ttl: Option<u32>,
    class: Option<RrClass>,
    first_record_seen: bool,
    unknown_origin_reported: bool,
    limit_reported: bool,
    origin_source: OriginSource,
    /// The origin in effect for the first record: the zone apex when there is no SOA.
    initial_origin: Option<Name>,
    ttl_defaults: Vec<(u32, Option<u32>)>,
    /// Stop at the first record boundary at or after this offset once a record is read
    /// (the first part of a chunked parse).
    stop_after: Option<usize>,
    /// A chunk parsed without knowing the owner in effect at its start.
    owner_unknown: bool,
    /// Input ended inside parentheses, or a record of a chunk needed the owner in
    /// effect before it: a chunked parse would differ from an in-order one.
    resynced: bool,
}

/// One logical record or directive: its data tokens and where it sits.
struct Line {
    toks: Vec<Token>,
    starts_blank: bool,
    /// From the first to the last non-trivia token (parentheses included).
    span: TextRange,
    broken: bool,
}

impl<'a> Parser<'a> {
    fn new(input: &ParseInput<'a>) -> Self {
        Self::new_sized(input, input.text.len() / 48)
    }

    /// A parser with room for `records` records.
    fn new_sized(input: &ParseInput<'a>, records: usize) -> Self {
        Parser {
            root: input.root,
            loader: input.loader,
            limits: input.limits,
            records: Vec::with_capacity(records),
            slot: None,
            diags: Vec::new(),
            included: Vec::new(),
            includes: Vec::new(),
            include_stack: vec![input.path.to_path_buf()],
            includes_total: 0,
            default_ttl: None,
            last_ttl: None,
            class: None,
            first_record_seen: false,
            unknown_origin_reported: false,
            limit_reported: false,
            origin_source: input.origin_source,
            initial_origin: input.origin.clone(),
            ttl_defaults: Vec::new(),
            stop_after: None,
            owner_unknown: false,
            resynced: false,
        }
    }

    fn record_count(&self) -> usize {
        self.slot.as_ref().map_or(self.records.len(), |s| s.len)
    }

    fn push_record(&mut self, r: Record) {
        match &mut self.slot {
            None => self.records.push(r),
            // A full stretch (a chunk with more records than lines) cannot happen; were
            // it to, the chunked read is abandoned like one that lost its place.
            Some(s) => {
                if s.push(r).is_err() {
                    self.resynced = true;
                }
            }
        }
    }

    fn parse_file(&mut self, st: &mut FileState, text: &str, depth: usize) {
        self.parse_lexed(st, text, Lexer::new(text), depth);
    }

    fn parse_lexed(&mut self, st: &mut FileState, text: &str, mut lx: Lexer<'_>, depth: usize) {
        self.parse_from(st, text, &mut lx, depth);
    }

    fn parse_from(&mut self, st: &mut FileState, text: &str, lx: &mut Lexer<'_>, depth: usize) {
        let mut line = Line { toks: Vec::with_capacity(16), starts_blank: false, span: TextRange::default(), broken: false };
        let mut rollbacks = 0;
        loop {
            if depth == 0
                && self.first_record_seen
                && let Some(stop) = self.stop_after
                && Lexer::position(lx) > stop
            {
                break;
            }
            match self.read_line(st.file, text, lx, &mut line, &mut rollbacks) {
                ReadLine::Eof => break,
                ReadLine::Empty => continue,
                ReadLine::Line => {}
            }
            if line.broken {
                // The record is dropped, but a written owner still becomes the current one
                // so the records after it are not misattributed.
                if !line.starts_blank
                    && let Some(t) = line.toks.first().filter(|t| t.kind == TokenKind::Word && !t.text(text).starts_with('$'))
                    && let Ok(n) = Name::parse_in(t.text(text), st.origin.as_ref())
                {
                    st.owner = Some(n);
                }
                continue;
            }
            if self.record_count() >= self.limits.max_records_per_zone {
                if !self.limit_reported {
                    self.limit_reported = true;
                    self.diags.push(Diagnostic::new(
                        &rules::limit_exceeded::RULE,
                        st.file,
                        line.span,
                        format!(
                            "the zone has more than {} records; the rest of it is not checked (raise `limits.max_records_per_zone` in zonels.toml)",
                            self.limits.max_records_per_zone
                        ),
                    ));
                }
                break;
            }
            let first = line.toks[0];
            if !line.starts_blank && first.kind == TokenKind::Word && text.as_bytes()[first.range.start as usize] == b'$' {
                self.directive(st, text, &line, depth);
            } else {
                self.record(st, text, &line);
            }
        }
    }

    /// Collects the tokens of the next logical line into `line`.
    fn read_line(&mut self, file: FileId, text: &str, lx: &mut Lexer<'_>, line: &mut Line, rollbacks: &mut u32) -> ReadLine {
        line.toks.clear();
        line.broken = false;
        line.starts_blank = false;
        let mut depth = 0u32;
        let mut first_paren: Option<TextRange> = None;
        let mut any = false;
        let mut start = None;
        let mut end = 0u32;
        let mut at_line_start = true;
        loop {
            let Some(tok) = lx.next() else {
                if depth > 0 {
                    self.resynced = true;
                    let open = first_paren.unwrap_or_default();
                    self.diags.push(Diagnostic::new(
                        &rules::syntax::RULE,
                        file,
                        open,
                        "unbalanced parentheses: this `(` is never closed; the record is skipped",
                    ));
                    // Resume on the line after the `(` so the rest of the file is still read.
                    if *rollbacks < 16 {
                        *rollbacks += 1;
                        let after =
                            memchr::memchr(b'\n', &text.as_bytes()[open.end as usize..]).map_or(text.len(), |i| open.end as usize + i + 1);
                        lx.set_position(after);
                        line.toks.clear();
                        return ReadLine::Empty;
                    }
                    return ReadLine::Eof;
                }
                if !any {
                    return ReadLine::Eof;
                }
                break;
            };
            match tok.kind {
                TokenKind::Whitespace => {
                    if at_line_start && !any && start.is_none() {
                        line.starts_blank = true;
                    }
                }
                TokenKind::Comment => {}
                TokenKind::Newline => {
                    if depth == 0 {
                        if any || start.is_some() {
                            break;
                        }
                        line.starts_blank = false;
                        at_line_start = true;
                        continue;
                    }
                }
                TokenKind::LParen => {
                    if depth == 0 {
                        first_paren = Some(tok.range);
                    }
                    depth = depth.saturating_add(1);
                    if depth > self.limits.max_paren_depth && !line.broken {
                        line.broken = true;
                        self.diags.push(Diagnostic::new(
                            &rules::limit_exceeded::RULE,
                            file,
                            tok.range,
                            format!(
                                "parentheses nested more than {} deep; the record is skipped (raise `limits.max_paren_depth` in zonels.toml)",
                                self.limits.max_paren_depth
                            ),
                        ));
                    }
                    start.get_or_insert(tok.range.start);
                    end = tok.range.end;
                }
                TokenKind::RParen => {
                    if depth == 0 {
                        if !line.broken {
                            self.diags.push(Diagnostic::new(
                                &rules::syntax::RULE,
                                file,
                                tok.range,
                                "unbalanced parentheses: `)` without a matching `(`",
                            ));
                        }
                        line.broken = true;
                    } else {
                        depth -= 1;
                    }
                    start.get_or_insert(tok.range.start);
                    end = tok.range.end;
                }
                TokenKind::Word | TokenKind::Quoted => {
                    if tok.unterminated && !line.broken {
                        line.broken = true;
                        let msg = if tok.kind == TokenKind::Quoted {
                            "unbalanced quotes: this string has no closing `\"` on its line; the record is skipped"
                        } else {
                            "a backslash at the end of a line escapes nothing; the record is skipped"
                        };
                        self.diags.push(Diagnostic::new(&rules::syntax::RULE, file, tok.range, msg));
                    }
                    if line.toks.len() < self.limits.max_tokens_per_record {
                        line.toks.push(tok);
                    } else if !line.broken {
                        line.broken = true;
                        self.diags.push(Diagnostic::new(
                            &rules::limit_exceeded::RULE,
                            file,
                            tok.range,
                            format!(
                                "record has more than {} fields; it is skipped (raise `limits.max_tokens_per_record` in zonels.toml)",
                                self.limits.max_tokens_per_record
                            ),
                        ));
                    }
                    any = true;
                    start.get_or_insert(tok.range.start);
                    end = tok.range.end;
                }
            }
            at_line_start = false;
        }
        if line.toks.is_empty() {
            // Only parentheses: `( )` on a line of its own.
            return ReadLine::Empty;
        }
        line.span = TextRange::new(start.unwrap_or(0), end);
        ReadLine::Line
    }

    fn syntax(&mut self, file: FileId, range: TextRange, msg: impl Into<String>) {
        self.diags.push(Diagnostic::new(&rules::syntax::RULE, file, range, msg));
    }

    fn report_unknown_origin(&mut self, file: FileId, range: TextRange) {
        if !self.unknown_origin_reported {
            self.unknown_origin_reported = true;
            self.diags.push(rules::unknown_origin::diagnostic(file, range));
        }
    }

    /// Parses a name in the current origin; reports and returns `None` on failure.
    fn name(&mut self, st: &FileState, text: &str, tok: &Token, what: &str) -> Option<Name> {
        if tok.kind == TokenKind::Quoted {
            self.syntax(st.file, tok.range, format!("{what} must not be a quoted string"));
            return None;
        }
        let t = tok.text(text);
        match Name::parse_in(t, st.origin.as_ref()) {
            Ok(n) => Some(n),
            Err(NameError::NoOrigin) => {
                self.report_unknown_origin(st.file, tok.range);
                Name::parse_in(t, Some(&Name::root())).ok()
            }
            Err(e @ (NameError::TooLong { .. } | NameError::LabelTooLong { .. })) => {
                self.diags.push(Diagnostic::new(&rules::name_too_long::RULE, st.file, tok.range, format!("{what} `{t}`: {e}")));
                None
            }
            Err(e) => {
                self.syntax(st.file, tok.range, format!("{what} `{t}` is not a valid domain name: {e}"));
                None
            }
        }
    }

    fn directive(&mut self, st: &mut FileState, text: &str, line: &Line, depth: usize) {
        let toks = &line.toks;
        let kw = toks[0].text(text);
        let file = st.file;
        if kw.eq_ignore_ascii_case("$ORIGIN") {
            let Some(arg) = toks.get(1) else {
                return self.syntax(file, toks[0].range, "`$ORIGIN` needs a domain name");
            };
            if let Some(extra) = toks.get(2) {
                return self.syntax(file, extra.range.cover(toks[toks.len() - 1].range), "unexpected text after the `$ORIGIN` name");
            }
            if let Some(n) = self.name(st, text, arg, "`$ORIGIN`") {
                if !self.first_record_seen && depth == 0 {
                    self.initial_origin = Some(n.clone());
                    self.origin_source = OriginSource::Directive;
                }
                st.origin = Some(n);
            }
        } else if kw.eq_ignore_ascii_case("$TTL") {
            let Some(arg) = toks.get(1) else {
                return self.syntax(file, toks[0].range, "`$TTL` needs a TTL value");
            };
            if let Some(extra) = toks.get(2) {
                return self.syntax(file, extra.range.cover(toks[toks.len() - 1].range), "unexpected text after the `$TTL` value");
            }
            match parse_ttl(arg.text(text)) {
                Ok(v) => self.default_ttl = Some(v),
                Err(e) => {
                    self.diags.push(rules::bad_ttl::diagnostic(file, arg.range, arg.text(text), &e));
                    if let TtlError::TooLarge(_) = e {
                        self.default_ttl = Some(0);
                    }
                }
            }
            self.ttl_defaults.push((self.record_count() as u32, self.default_ttl));
        } else if kw.eq_ignore_ascii_case("$INCLUDE") {
            self.include(st, text, line, depth);
        } else if kw.eq_ignore_ascii_case("$GENERATE") {
            self.generate(st, text, line);
        } else {
            self.syntax(file, toks[0].range, format!("unknown directive `{kw}`; expected `$ORIGIN`, `$TTL`, `$INCLUDE` or `$GENERATE`"));
        }
    }

    fn include(&mut self, st: &mut FileState, text: &str, line: &Line, depth: usize) {
        let toks = &line.toks;
        let file = st.file;
        let Some(path_tok) = toks.get(1) else {
            return self.syntax(file, toks[0].range, "`$INCLUDE` needs a file name");
        };
        if let Some(extra) = toks.get(3) {
            return self.syntax(file, extra.range.cover(toks[toks.len() - 1].range), "unexpected text after `$INCLUDE file [origin]`");
        }
        let mut raw = Vec::new();
        if let Err(e) = strings::decode(text, path_tok, &mut raw) {
            return self.syntax(file, e.range, e.message);
        }
        let target = crate::util::lossy(&raw).into_owned();
        let origin = match toks.get(2) {
            Some(t) => match self.name(st, text, t, "`$INCLUDE` origin") {
                Some(n) => Some(n),
                None => return,
            },
            None => st.origin.clone(),
        };
        let resolved = match resolve_include_path(self.root, &st.path, &target) {
            Ok(p) => p,
            Err(e) => {
                self.diags.push(rules::include_not_found::diagnostic(file, path_tok.range, &target, &e));
                return;
            }
        };
        if self.include_stack.contains(&resolved) {
            let chain: Vec<String> = self.include_stack.iter().chain(std::iter::once(&resolved)).map(|p| display_name(p)).collect();
            self.diags.push(rules::include_cycle::diagnostic(file, path_tok.range, &chain));
            return;
        }
        if depth + 1 > self.limits.max_include_depth {
            self.diags.push(Diagnostic::new(
                &rules::limit_exceeded::RULE,
                file,
                path_tok.range,
                format!(
                    "`$INCLUDE` nested more than {} deep; `{target}` is not read (raise `limits.max_include_depth` in zonels.toml)",
                    self.limits.max_include_depth
                ),
            ));
            return;
        }
        if self.includes_total >= self.limits.max_includes {
            self.diags.push(Diagnostic::new(
                &rules::limit_exceeded::RULE,
                file,
                path_tok.range,
                format!(
                    "the zone has more than {} `$INCLUDE`s; `{target}` is not read (raise `limits.max_includes` in zonels.toml)",
                    self.limits.max_includes
                ),
            ));
            return;
        }
        self.includes_total += 1;
        let (child, child_text): (FileId, Arc<str>) = match self.loader.load(&resolved) {
            Ok(v) => v,
            Err(e) => {
                self.diags.push(rules::include_not_found::diagnostic(file, path_tok.range, &target, &e));
                return;
            }
        };
        self.includes.push(IncludeLink { file, range: path_tok.range, target: child });
        if !self.included.contains(&child) {
            self.included.push(child);
        }
        let mut child_state = FileState { file: child, path: resolved.clone(), origin, owner: st.owner.clone() };
        self.include_stack.push(resolved);
        self.parse_file(&mut child_state, &child_text, depth + 1);
        self.include_stack.pop();
    }

    fn record(&mut self, st: &mut FileState, text: &str, line: &Line) {
        let toks = &line.toks;
        let file = st.file;
        let mut i = 0;
        let (owner, owner_span) = if line.starts_blank {
            match &st.owner {
                Some(o) => (o.clone(), None),
                None => {
                    self.resynced |= self.owner_unknown;
                    return self.syntax(
                        file,
                        toks[0].range,
                        "this record starts with white space, so it reuses the previous owner name, but there is none yet",
                    );
                }
            }
        } else {
            i = 1;
            let t = toks[0];
            let Some(n) = self.name(st, text, &t, "owner name") else {
                return;
            };
            if let Some(origin) = &st.origin
                && let Some(becomes) = missing_trailing_dot(t.text(text), origin)
            {
                self.diags.push(rules::missing_trailing_dot::diagnostic(file, t.range, t.text(text), &becomes).for_record(line.span.start));
            }
            st.owner = Some(n.clone());
            (n, Some(t.range))
        };

        let mut ttl: Option<(u32, TextRange)> = None;
        let mut class: Option<RrClass> = None;
        for _ in 0..2 {
            let Some(tok) = toks.get(i) else { break };
            if tok.kind != TokenKind::Word {
                break;
            }
            let t = tok.text(text);
            if let Some(c) = RrClass::from_mnemonic(t) {
                if class.is_some() {
                    return self.syntax(file, tok.range, format!("class `{t}` given twice"));
                }
                class = Some(c);
                i += 1;
                continue;
            }
            if t.as_bytes()[0].is_ascii_digit() {
                if ttl.is_some() {
                    return self.syntax(file, tok.range, format!("expected a record type, found `{t}`"));
                }
                match parse_ttl(t) {
                    Ok(v) => ttl = Some((v, tok.range)),
                    Err(e @ TtlError::TooLarge(_)) => {
                        self.diags.push(rules::bad_ttl::diagnostic(file, tok.range, t, &e).for_record(line.span.start));
                        ttl = Some((0, tok.range));
                    }
                    Err(e) => {
                        if t.bytes().all(|b| b.is_ascii_alphanumeric()) {
                            self.diags.push(rules::bad_ttl::diagnostic(file, tok.range, t, &e).for_record(line.span.start));
                        } else {
                            self.syntax(file, tok.range, format!("expected a TTL, class or record type, found `{t}`"));
                        }
                        return;
                    }
                }
                i += 1;
                continue;
            }
            break;
        }
        let Some(type_tok) = toks.get(i).copied() else {
            let at = toks.last().map_or(line.span, |t| TextRange::at(t.range.end));
            return self.syntax(file, at, "expected a record type");
        };
        let type_text = type_tok.text(text);
        let Some(rtype) = (type_tok.kind == TokenKind::Word).then(|| RrType::from_mnemonic(type_text)).flatten() else {
            self.diags.push(rules::unknown_type::diagnostic(file, type_tok.range, type_text).for_record(line.span.start));
            return;
        };
        if rtype.is_meta() {
            return self.syntax(file, type_tok.range, format!("`{type_text}` is a query type and cannot appear in a zone file"));
        }
        let class = class.unwrap_or(*self.class.get_or_insert(RrClass::IN));
        match self.class {
            Some(zc) if zc != class => {
                return self.syntax(file, type_tok.range, format!("record class {class} does not match the zone's class {zc}"));
            }
            None => self.class = Some(class),
            _ => {}
        }

        let rdata_toks = &toks[i + 1..];
        let rdata_span = match (rdata_toks.first(), rdata_toks.last()) {
            (Some(a), Some(b)) => a.range.cover(b.range),
            _ => TextRange::at(type_tok.range.end),
        };
        let mut check = RdataCheck::new(text, rdata_toks, st.origin.as_ref(), line.span);
        let bad = check.check(rtype).is_err();
        let problems = std::mem::take(&mut check.problems);
        self.report_rdata(file, text, line.span.start, &problems);

        let ttl_value = match ttl {
            Some((v, _)) => {
                self.last_ttl = Some(v);
                v
            }
            None => match self.default_ttl.or(self.last_ttl) {
                Some(v) => v,
                None => {
                    if !self.first_record_seen {
                        self.diags
                            .push(rules::missing_ttl::diagnostic(file, owner_span.unwrap_or(type_tok.range)).for_record(line.span.start));
                    }
                    // RFC 1035 falls back to the SOA minimum; BIND does the same.
                    let v = if rtype == RrType::SOA && !bad {
                        rdata_toks.get(6).and_then(|t| parse_ttl(t.text(text)).ok()).unwrap_or(0)
                    } else {
                        0
                    };
                    self.last_ttl = Some(v);
                    v
                }
            },
        };
        self.first_record_seen = true;
        if self.initial_origin.is_none() {
            self.initial_origin = st.origin.clone();
        }
        self.push_record(Record {
            file,
            span: line.span,
            owner,
            owner_span: owner_span.into(),
            ttl: ttl_value,
            ttl_span: ttl.map(|t| t.1).into(),
            class,
            rtype,
            type_span: type_tok.range,
            rdata: Rdata::Span(rdata_span),
            origin: st.origin.clone(),
            bad_rdata: bad,
        });
    }

    fn report_rdata(&mut self, file: FileId, text: &str, record_start: u32, problems: &[RdataProblem]) {
        for p in problems {
            let d = match p {
                RdataProblem::Bad { range, message } => Diagnostic::new(&rules::bad_rdata::RULE, file, *range, message.clone()),
                RdataProblem::Syntax { range, message } => Diagnostic::new(&rules::syntax::RULE, file, *range, message.clone()),
                RdataProblem::NameTooLong { range, message } => Diagnostic::new(&rules::name_too_long::RULE, file, *range, message.clone()),
                RdataProblem::StringTooLong { token, len } => rules::txt_string_too_long::diagnostic(file, text, token, *len),
                RdataProblem::MissingTrailingDot { range, name, becomes } => {
                    rules::missing_trailing_dot::diagnostic(file, *range, name, becomes)
                }
            };
            self.diags.push(d.for_record(record_start));
        }
    }

    /// `$GENERATE start-stop[/step] lhs [ttl] [class] type rhs` (BIND).
    fn generate(&mut self, st: &mut FileState, text: &str, line: &Line) {
        let toks = &line.toks;
        let file = st.file;
        let usage = "`$GENERATE` expects `start-stop[/step] lhs [ttl] [class] type rhs`";
        if toks.len() < 5 {
            return self.syntax(file, line.span, usage);
        }
        let range_tok = toks[1];
        let Some((start, stop, step)) = parse_generate_range(range_tok.text(text)) else {
            return self.syntax(
                file,
                range_tok.range,
                format!("`{}` is not a `$GENERATE` range (`start-stop[/step]`, start ≤ stop)", range_tok.text(text)),
            );
        };
        let count = (stop - start) / step + 1;
        if count > self.limits.max_generate as u64 {
            self.diags.push(Diagnostic::new(
                &rules::limit_exceeded::RULE,
                file,
                range_tok.range,
                format!(
                    "`$GENERATE` would make {count} records, more than the limit of {}; it is skipped (raise `limits.max_generate` in zonels.toml)",
                    self.limits.max_generate
                ),
            ));
            return;
        }
        let lhs_tok = toks[2];
        let mut i = 3;
        let mut ttl = None;
        let mut class = None;
        for _ in 0..2 {
            let t = toks[i].text(text);
            if class.is_none()
                && let Some(c) = RrClass::from_mnemonic(t)
            {
                class = Some(c);
                i += 1;
                continue;
            }
            if ttl.is_none() && t.as_bytes()[0].is_ascii_digit() {
                match parse_ttl(t) {
                    Ok(v) => ttl = Some((v, toks[i].range)),
                    Err(e) => {
                        self.diags.push(rules::bad_ttl::diagnostic(file, toks[i].range, t, &e));
                        return;
                    }
                }
                i += 1;
                continue;
            }
            break;
        }
        if i + 2 != toks.len() {
            let at = toks.get(i + 2).map_or(line.span, |t| t.range.cover(toks[toks.len() - 1].range));
            return self.syntax(file, at, usage);
        }
        let type_tok = toks[i];
        let Some(rtype) = RrType::from_mnemonic(type_tok.text(text)) else {
            self.diags.push(rules::unknown_type::diagnostic(file, type_tok.range, type_tok.text(text)));
            return;
        };
        let rhs_tok = toks[i + 1];
        let mut lhs_raw = Vec::new();
        let mut rhs_raw = Vec::new();
        if strings::decode(text, &lhs_tok, &mut lhs_raw).is_err() || strings::decode(text, &rhs_tok, &mut rhs_raw).is_err() {
            return self.syntax(file, line.span, "bad escape in `$GENERATE` template");
        }
        // Templates keep their escapes for the name/data parsers: use the raw token text.
        let lhs = lhs_tok.text(text).to_string();
        let rhs = match rhs_tok.kind {
            TokenKind::Quoted => {
                let (a, b) = strings::content_bounds(&rhs_tok);
                text[a as usize..b as usize].to_string()
            }
            _ => rhs_tok.text(text).to_string(),
        };
        let ttl_value = ttl.map(|t| t.0).or(self.default_ttl).or(self.last_ttl).unwrap_or(0);
        let class = class.unwrap_or(*self.class.get_or_insert(RrClass::IN));
        let mut v = start;
        while v <= stop {
            let (owner_text, rdata_text) = match (substitute(&lhs, v), substitute(&rhs, v)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(m), _) => return self.syntax(file, lhs_tok.range, m),
                (_, Err(m)) => return self.syntax(file, rhs_tok.range, m),
            };
            let owner = match Name::parse_in(&owner_text, st.origin.as_ref()) {
                Ok(n) => n,
                Err(NameError::NoOrigin) => {
                    self.report_unknown_origin(file, lhs_tok.range);
                    return;
                }
                Err(e) => {
                    return self.syntax(
                        file,
                        lhs_tok.range,
                        format!("`$GENERATE` owner `{owner_text}` (for {v}) is not a valid name: {e}"),
                    );
                }
            };
            let gen_toks: Vec<Token> = Lexer::new(&rdata_text).filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Quoted)).collect();
            let mut check = RdataCheck::new(&rdata_text, &gen_toks, st.origin.as_ref(), TextRange::new(0, rdata_text.len() as u32));
            if check.check(rtype).is_err() || !check.problems.is_empty() {
                let msg = check
                    .problems
                    .iter()
                    .map(|p| match p {
                        RdataProblem::Bad { message, .. }
                        | RdataProblem::NameTooLong { message, .. }
                        | RdataProblem::Syntax { message, .. } => message.clone(),
                        RdataProblem::StringTooLong { len, .. } => {
                            format!("a string is {len} octets long")
                        }
                        RdataProblem::MissingTrailingDot { name, becomes, .. } => {
                            format!("`{name}` becomes `{becomes}`")
                        }
                    })
                    .next()
                    .unwrap_or_default();
                self.diags.push(Diagnostic::new(
                    &rules::bad_rdata::RULE,
                    file,
                    rhs_tok.range,
                    format!("`$GENERATE` data `{rdata_text}` (for {v}) is not valid {rtype} data: {msg}"),
                ));
                return;
            }
            self.push_record(Record {
                file,
                span: line.span,
                owner,
                owner_span: OptRange::NONE,
                ttl: ttl_value,
                ttl_span: ttl.map(|t| t.1).into(),
                class,
                rtype,
                type_span: type_tok.range,
                rdata: Rdata::Generated(Arc::new(rdata_text)),
                origin: st.origin.clone(),
                bad_rdata: false,
            });
            self.first_record_seen = true;
            v += step;
        }
    }
}

enum ReadLine {
    Line,
    Empty,
    Eof,
}

fn display_name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn parse_generate_range(s: &str) -> Option<(u64, u64, u64)> {
    let (range, step) = match s.split_once('/') {
        Some((r, st)) => (r, st.parse::<u64>().ok().filter(|&x| x > 0)?),
        None => (s, 1),
    };
    let (a, b) = range.split_once('-')?;
    let a: u64 = a.parse().ok()?;
    let b: u64 = b.parse().ok()?;
    (a <= b && b <= u32::MAX as u64).then_some((a, b, step))
}

/// Expands `$`, `${offset[,width[,base]]}` in a `$GENERATE` template; `\$` is a literal `$`.
fn substitute(template: &str, value: u64) -> Result<String, String> {
    let b = template.as_bytes();
    let mut out = String::with_capacity(template.len() + 8);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() && b[i + 1] == b'$' => {
                out.push_str("\\$");
                i += 2;
            }
            b'\\' if i + 1 < b.len() => {
                out.push('\\');
                let ch = template[i + 1..].chars().next().unwrap_or('\\');
                out.push(ch);
                i += 1 + ch.len_utf8();
            }
            b'$' => {
                if b.get(i + 1) == Some(&b'{') {
                    let close = template[i..].find('}').ok_or("`${` without a closing `}` in `$GENERATE` template")? + i;
                    let spec = &template[i + 2..close];
                    let mut parts = spec.split(',');
                    let offset: i64 = parts.next().unwrap_or("0").trim().parse().map_err(|_| format!("bad offset in `${{{spec}}}`"))?;
                    let width: usize = match parts.next() {
                        Some(w) => w.trim().parse().map_err(|_| format!("bad width in `${{{spec}}}`"))?,
                        None => 0,
                    };
                    let width = width.min(255);
                    let base = parts.next().unwrap_or("d").trim();
                    let v = value as i64 + offset;
                    if v < 0 {
                        return Err(format!("`${{{spec}}}` makes a negative number"));
                    }
                    let v = v as u64;
                    let s = match base {
                        "d" => format!("{v:0width$}"),
                        "o" => format!("{v:0width$o}"),
                        "x" => format!("{v:0width$x}"),
                        "X" => format!("{v:0width$X}"),
                        "n" | "N" => nibbles(v, width, base == "N"),
                        _ => {
                            return Err(format!("unknown base `{base}` in `${{{spec}}}` (d, o, x, X, n or N)"));
                        }
                    };
                    out.push_str(&s);
                    i = close + 1;
                } else {
                    out.push_str(&value.to_string());
                    i += 1;
                }
            }
            _ => {
                let ch = template[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    Ok(out)
}

/// Reverse nibble format (`n`) used for ip6.arpa names.
fn nibbles(v: u64, width: usize, upper: bool) -> String {
    let hex = if upper { format!("{v:X}") } else { format!("{v:x}") };
    let mut digits: Vec<char> = hex.chars().rev().collect();
    while digits.len() < width.max(1) {
        digits.push('0');
    }
    digits.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_templates() {
        assert_eq!(substitute("host-$", 7).unwrap(), "host-7");
        assert_eq!(substitute("${10,3,d}", 7).unwrap(), "017");
        assert_eq!(substitute("${0,4,x}", 255).unwrap(), "00ff");
        assert_eq!(substitute("a\\$b", 1).unwrap(), "a\\$b");
        assert_eq!(substitute("${0,3,n}", 0xab).unwrap(), "b.a.0");
        assert!(substitute("${1,2,q}", 1).is_err());
        assert_eq!(parse_generate_range("1-10/2"), Some((1, 10, 2)));
        assert_eq!(parse_generate_range("10-1"), None);
    }

    /// Records and findings of `text` read in order, and read in chunks of about
    /// `chunk` bytes on four threads (`None` when the chunked parse declines).
    fn both_ways(text: &str, chunk: usize) -> (String, Option<String>) {
        let limits = Limits::default();
        let input = ParseInput {
            file: FileId(0),
            path: Path::new("example.com.zone"),
            text,
            origin: Name::parse_absolute("example.com").ok(),
            origin_source: OriginSource::FileName,
            root: Path::new("."),
            loader: &crate::source::NoIncludes,
            limits: &limits,
        };
        let mut p = Parser::new(&input);
        let mut st = FileState { file: input.file, path: PathBuf::new(), origin: input.origin.clone(), owner: None };
        p.parse_file(&mut st, text, 0);
        let show = |p: &Parser<'_>| format!("{:#?}\n{:#?}\n{:?}", p.records, p.diags, p.ttl_defaults);
        (show(&p), parse_in_chunks(&input, 4, chunk).map(|p| show(&p)))
    }

    const HEADER: &str = "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 host 1 2 3 4 5\n  NS ns1\n";

    #[test]
    fn line_ends_are_counted_in_any_row_and_block() {
        // Past a block of 255 rows, where the per-place counts are summed.
        let text: Vec<u8> = (0..255 * 64 * 3 + 77).map(|i: usize| if i.is_multiple_of(7) || i % 64 == 63 { b'\n' } else { b'a' }).collect();
        for len in [0, 1, 63, 64, 65, 255 * 64, 255 * 64 + 1, text.len()] {
            let want = text[..len].iter().filter(|&&b| b == b'\n').count();
            assert_eq!(line_ends(&text[..len]), want, "{len} bytes");
        }
        assert_eq!(line_ends(&[b'\n'; 255 * 64 + 1]), 255 * 64 + 1);
    }

    #[test]
    fn a_full_slot_takes_no_more() {
        let mut room: Vec<Record> = Vec::with_capacity(1);
        let rec = || Record {
            file: FileId(0),
            span: TextRange::default(),
            owner: Name::root(),
            owner_span: OptRange::NONE,
            ttl: 0,
            ttl_span: OptRange::NONE,
            class: RrClass::IN,
            rtype: RrType::A,
            type_span: TextRange::default(),
            rdata: Rdata::Generated(Arc::new(String::new())),
            origin: None,
            bad_rdata: false,
        };
        let mut slot = Slot { at: SlotPtr(std::ptr::NonNull::new(room.as_mut_ptr()).unwrap()), len: 0, cap: 1 };
        assert!(slot.push(rec()).is_ok());
        assert!(slot.push(rec()).is_err());
        // SAFETY: the one place was written.
        unsafe { room.set_len(slot.len) };
        assert_eq!(room.len(), 1);
    }

    #[test]
    fn chunks_read_like_one_pass() {
        let mut text = HEADER.to_string();
        for i in 0..400 {
            match i % 8 {
                0 => text.push_str(&format!("host-{i} 300 IN A 192.0.2.{}\n\tAAAA 2001:db8::{i:x}\n", i % 250)),
                // A record over several lines whose continuation starts in column one.
                1 => text.push_str(&format!("dk-{i} TXT ( \"v=DKIM1; k=rsa;\"\n\"p=MIGfMA0\" )\n")),
                2 => text.push_str(&format!("; comment {i}\nbad-{i} IN A 300.1.2.3\n")),
                3 => text.push_str(&format!("mx-{i} MX 10 mail\n\n  MX 20 mail2.example.net\n")),
                4 => text.push_str(&format!("rel-{i} CNAME target.example.org\n")),
                5 => text.push_str(&format!("sub.{i} 1d TXT \"v=spf1 -all\" ; trailing\n")),
                6 => text.push_str(&format!("x-{i} IN BOGUS data\n  A 192.0.2.1\n")),
                _ => text.push_str(&format!("srv-{i} SRV 0 5 443 host-{i}\n")),
            }
        }
        for chunk in [64, 256, 1000, 4096] {
            let (seq, chunked) = both_ways(&text, chunk);
            assert_eq!(chunked.as_deref(), Some(seq.as_str()), "chunks of {chunk} bytes");
        }
    }

    #[test]
    fn chunks_decline_where_order_matters() {
        let body: String = (0..200).map(|i| format!("host-{i} A 192.0.2.1\n")).collect();
        // No `$TTL`: records without a TTL take the last one written.
        let no_ttl = format!("@ 300 IN SOA ns1 host 1 2 3 4 5\n{body}");
        assert_eq!(both_ways(&no_ttl, 64).1, None);
        // A `(` never closed: the in-order reader resumes after it.
        let unclosed = format!("{HEADER}{body}open TXT ( \"a\"\n{body}");
        assert_eq!(both_ways(&unclosed, 64).1, None);
        // A bad owner name leaves the previous owner in effect for the lines after it.
        let inherit: String = (0..200).map(|i| format!("host-{i} A 192.0.2.1\nbad..name A 192.0.2.2\n  A 192.0.2.3\n")).collect();
        let (seq, chunked) = both_ways(&format!("{HEADER}{inherit}"), 64);
        assert!(chunked.is_none_or(|c| c == seq));
        // Continuation lines that start in column one look like owners: a chunk that
        // would start at one ends its predecessor inside parentheses.
        let continued: String = (0..200).map(|i| format!("mx-{i} MX ( 10\nmail{i} )\n")).collect();
        for chunk in [64, 100, 333] {
            let (seq, chunked) = both_ways(&format!("{HEADER}{continued}"), chunk);
            assert!(chunked.is_none_or(|c| c == seq));
        }
        // Small files are read in one go, and so are files with a directive near the end.
        assert_eq!(both_ways(HEADER, 1 << 20).1, None);
        assert_eq!(both_ways(&format!("{HEADER}{body}$TTL 5m\nlast A 192.0.2.9\n"), 64).1, None);
    }

    /// A region of lines is read alone, parentheses included, unless a `(` in it stays
    /// open to its end.
    #[test]
    fn regions_read_alone_unless_a_parenthesis_stays_open() {
        let limits = Limits::default();
        let read = |region: &str| {
            let text = format!("{HEADER}{region}after A 192.0.2.9\n");
            let input = ParseInput {
                file: FileId(0),
                path: Path::new("example.com.zone"),
                text: &text,
                origin: Name::parse_absolute("example.com").ok(),
                origin_source: OriginSource::FileName,
                root: Path::new("."),
                loader: &crate::source::NoIncludes,
                limits: &limits,
            };
            let resume = Resume {
                origin: input.origin.clone(),
                owner: input.origin.clone(),
                default_ttl: Some(3600),
                last_ttl: Some(3600),
                class: Some(RrClass::IN),
            };
            let region = TextRange::from_usize(HEADER.len(), HEADER.len() + region.len());
            parse_region(input, region, resume).map(|(records, diags)| {
                (records.iter().map(|r| r.rtype.to_string()).collect::<Vec<_>>(), diags.iter().map(|d| d.code()).collect::<Vec<_>>())
            })
        };
        let (types, codes) = read("dk TXT ( \"v=DKIM1;\"\n  \"p=MIGf\" )\nbad A (\n  1.2.3 )\n").unwrap();
        assert_eq!(types, ["TXT", "A"], "the record after the region is not read");
        assert_eq!(codes, ["zone/bad-rdata"]);
        assert_eq!(read("open TXT ( \"a\"\nnext A 192.0.2.1\n"), None);
        // A `)` with no `(` is as wrong in the whole file: the region starts between records.
        assert_eq!(read("x A 192.0.2.1 )\n").map(|r| r.1), Some(vec!["zone/syntax"]));
    }
}
