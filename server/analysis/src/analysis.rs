//! Whole-workspace analysis: parse every zone, run every rule, apply configuration
//! and suppressions.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::{Config, RuleLevel};
use crate::diagnostics::{Diagnostic, FileId};
use crate::model::{OriginSource, Zone};
use crate::name::Name;
use crate::source::{IncludeError, SourceDb, SourceLoader};
use crate::suppress::{CommentSyntax, is_suppressed};
use crate::zone::index::ZoneIndex;
use crate::zone::{ParseInput, ParsedZone, parse_zone};

pub struct AnalysisInput<'a> {
    pub sources: &'a SourceDb,
    /// Answers from zonels.lock and from live DNS, consulted after the workspace.
    pub dns: DnsInputs<'a>,
    /// Candidate zone files (top-level files; those only `$INCLUDE`d are detected).
    pub zone_files: &'a [FileId],
    /// Workspace root: paths in `[zones]` are relative to it, and `$INCLUDE` stays in it.
    pub root: &'a Path,
    pub config: &'a Config,
    pub loader: &'a dyn SourceLoader,
}

pub struct Analysis {
    pub zones: Vec<Zone>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files that turned out to be `$INCLUDE` fragments of another zone.
    pub fragments: Vec<FileId>,
    /// Lookups nothing could answer: what the IO layer should fetch before the next round.
    pub missing: std::collections::BTreeSet<(String, crate::dns::QType)>,
    /// External answers the checks used: what `zonels lock` records.
    pub external_used: std::collections::BTreeSet<(String, crate::dns::QType)>,
    /// What the checks built and no caller reads: kept with the analysis so that freeing
    /// it is not on the way to the findings (the CLI exits without freeing it at all).
    _scratch: crate::mail::MailScratch,
}

/// The DNS layers behind the workspace.
#[derive(Clone, Copy)]
pub struct DnsInputs<'a> {
    pub snapshot: &'a crate::dns::Answers,
    pub live: &'a crate::dns::Answers,
}

impl DnsInputs<'static> {
    /// No snapshot, no live answers.
    pub fn none() -> Self {
        static EMPTY: std::sync::OnceLock<crate::dns::Answers> = std::sync::OnceLock::new();
        let e = EMPTY.get_or_init(Default::default);
        DnsInputs { snapshot: e, live: e }
    }
}

/// The zones listed by the octoDNS main configurations among the workspace's files.
fn octodns_main_config_zones(input: &AnalysisInput<'_>) -> Vec<Name> {
    let mut out = Vec::new();
    for &file in input.zone_files {
        let src = input.sources.get(file);
        let ext = src.path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "yaml" | "yml") {
            continue;
        }
        if let Some(zones) = crate::hosts::octodns::main_config_zones(&src.text) {
            out.extend(zones.into_iter().filter_map(|z| Name::parse_absolute(z.trim_end_matches('.')).ok()));
        }
    }
    out
}

/// The zone an octoDNS zone file (`<zone>.yaml`) holds, when a main configuration lists it.
fn octodns_zone_of(path: &Path, zones: &[Name]) -> Option<Name> {
    if zones.is_empty() {
        return None;
    }
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml"))?.trim_end_matches('.');
    zones.iter().find(|z| z.to_string().trim_end_matches('.').eq_ignore_ascii_case(stem)).cloned()
}

/// Parses every candidate zone file. `$INCLUDE` targets are loaded through the loader,
/// which may add files that the caller must put into the source database before
/// [`check`].
pub fn parse_zones(input: &AnalysisInput<'_>) -> Vec<ParsedZone> {
    let _t = crate::timing::phase("parse");
    let mut out = Vec::with_capacity(input.zone_files.len());
    let octodns_zones = octodns_main_config_zones(input);
    // What the host workers use (the include loader is not shared between threads).
    let (sources, root, config, zone_files) = (input.sources, input.root, input.config, input.zone_files);
    let octodns_zones = &octodns_zones;
    let origin_of = move |src: &crate::source::SourceFile| {
        let rel = src.path.strip_prefix(root).unwrap_or(&src.path);
        match config.origin_for(rel) {
            Some(o) => (Some(o.clone()), OriginSource::Config),
            None => match octodns_zone_of(&src.path, octodns_zones).or_else(|| origin_from_file_name(&src.path)) {
                Some(o) => (Some(o), OriginSource::FileName),
                None => (None, OriginSource::Unknown),
            },
        }
    };
    // Host files first, in parallel: they stand alone (no includes), and tree-sitter
    // parsing is most of their cost.
    let hosts: Vec<(usize, crate::model::Format)> = input
        .zone_files
        .iter()
        .enumerate()
        .filter_map(|(i, &f)| {
            let src = input.sources.get(f);
            crate::hosts::detect(&src.path, &src.text).map(|format| (i, format))
        })
        .collect();
    let lower = move |&(i, format): &(usize, crate::model::Format)| {
        let file = zone_files[i];
        let src = sources.get(file);
        let (origin, origin_source) = origin_of(src);
        let host = crate::hosts::HostInput { file, path: &src.path, text: &src.text, origin, origin_source, limits: &config.limits };
        (i, (format, crate::hosts::lower(format, &host)))
    };
    // Zone files are read in order on this thread (includes are read through the
    // loader), while the other cores lower host files; then this thread helps with those.
    let read_zones = || {
        // Files a zone parsed so far includes: `check` would drop them as zones of their
        // own, so they are not parsed again (a chain of N includes would cost N² otherwise).
        let mut included = FxHashSet::default();
        let mut parsed: FxHashMap<usize, ParsedZone> = FxHashMap::default();
        let mut host_files = hosts.iter().map(|&(i, _)| i).peekable();
        for (i, &file) in zone_files.iter().enumerate() {
            if host_files.next_if_eq(&i).is_some() || included.contains(&file) {
                continue;
            }
            let src = sources.get(file);
            let (origin, origin_source) = origin_of(src);
            let zone = parse_zone(ParseInput {
                file,
                path: &src.path,
                text: &src.text,
                origin,
                origin_source,
                root,
                loader: input.loader,
                limits: &config.limits,
            });
            included.extend(zone.zone.included.iter().copied());
            parsed.insert(i, zone);
        }
        parsed
    };
    // Each worker takes the next file, largest first: sizes and formats vary too much to
    // split evenly.
    let mut by_size = hosts.clone();
    by_size.sort_by_key(|&(i, _)| std::cmp::Reverse(sources.get(zone_files[i]).text.len()));
    let (lowered, mut parsed) = crate::util::par_map_beside(&by_size, lower, read_zones);
    let mut lowered: FxHashMap<usize, (crate::model::Format, crate::hosts::Lowered)> = lowered.into_iter().collect();
    for (i, &file) in zone_files.iter().enumerate() {
        if let Some((format, lowered)) = lowered.remove(&i) {
            let mut diagnostics = lowered.diagnostics;
            if lowered.zones.is_empty() {
                // Nothing to check but the file's own findings: carried by an empty zone
                // that `check` drops.
                let zone = crate::hosts::zone(file, format, Name::root(), OriginSource::Unknown, Vec::new(), None);
                out.push(ParsedZone { zone, diagnostics });
                continue;
            }
            for zone in lowered.zones {
                out.push(ParsedZone { zone, diagnostics: std::mem::take(&mut diagnostics) });
            }
        } else if let Some(zone) = parsed.remove(&i) {
            out.push(zone);
        }
    }
    out
}

/// Runs the zone checks over parsed zones and applies configuration and suppressions.
pub fn check(sources: &SourceDb, parsed: Vec<ParsedZone>, config: &Config, dns: DnsInputs<'_>) -> Analysis {
    let included: FxHashSet<FileId> = parsed.iter().flat_map(|p| p.zone.included.iter().copied()).collect();
    let mut diagnostics = Vec::new();
    let mut zones = Vec::new();
    let mut fragments = Vec::new();
    for p in parsed {
        // A file another zone includes is checked as part of that zone, not on its own.
        if included.contains(&p.zone.file) {
            fragments.push(p.zone.file);
            continue;
        }
        diagnostics.extend(p.diagnostics);
        // A host file with no records adds no zone (its apex may not even be known).
        if p.zone.format != crate::model::Format::Bind && p.zone.records.is_empty() {
            continue;
        }
        zones.push(p.zone);
    }
    // The indexes are freed at the end of this block, before the findings are gathered
    // into one list.
    let ((missing, external_used), _scratch, mut found) = {
        // The indexes and the mail records' parsing need only the zones: side by side.
        let (indexes, (mail_records, mail_names, found)) = std::thread::scope(|s| {
            let classify = s.spawn(|| {
                let _t = crate::timing::phase("mail classify");
                let (records, found) = crate::mail::classify_zones(&zones, sources);
                let names = crate::mail::MailNames::new(&zones, &records);
                (records, names, found)
            });
            let indexes: Vec<ZoneIndex<'_>> = {
                let _t = crate::timing::phase("index");
                zones.iter().map(|z| ZoneIndex::new(&z.records)).collect()
            };
            (indexes, classify.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        diagnostics.extend(found);
        let ws = crate::mail::WorkspaceZones::new(&zones, &indexes, sources);
        let cx = crate::mail::MailCtx::new(ws, config, dns.snapshot, dns.live, mail_records, mail_names);
        // Every zone rule and every mail rule, as jobs taken by the next free core.
        let targets: Vec<crate::zone::check::Targets<'_>> = zones.iter().map(|_| Default::default()).collect();
        let mut jobs: Vec<crate::util::Job<'_>> = Vec::new();
        for ((z, index), targets) in zones.iter().zip(&indexes).zip(&targets) {
            // Host formats leave SOA and NS to the provider.
            crate::zone::check::jobs(z, index, sources, targets, z.format == crate::model::Format::Bind, &mut jobs);
        }
        crate::mail::jobs(&cx, &mut jobs);
        // Every finding is reported at a line and column: the files' line indexes are
        // built here, beside the rules, rather than when the first finding is shown.
        for f in zones.iter().flat_map(|z| std::iter::once(z.file).chain(z.included.iter().copied())) {
            let src = sources.get(f);
            jobs.push(crate::util::Job::new("line index", src.text.len() as u64 / 2000, move |_| {
                src.line_index();
            }));
        }
        let found = {
            let _t = crate::timing::phase("rules");
            crate::util::run_jobs(&jobs)
        };
        drop(jobs);
        let log = cx.log.take();
        (log, cx.retire(), found)
    };
    // The largest job's list is grown to hold the rest, rather than copied into a new
    // one: a zone's biggest rule can make a hundred thousand findings, and two copies of
    // them would be the check's peak memory.
    found.push(diagnostics);
    let largest = (0..found.len()).max_by_key(|&i| found[i].len()).unwrap_or(0);
    let mut diagnostics = found.swap_remove(largest);
    diagnostics.reserve_exact(found.iter().map(Vec::len).sum());
    for f in found {
        diagnostics.extend(f);
    }
    let diagnostics = {
        let _t = crate::timing::phase("finish");
        finish(sources, diagnostics, config)
    };
    Analysis { zones, diagnostics, fragments, missing, external_used, _scratch }
}

/// Convenience: parse and check in one call, for callers whose sources are complete
/// (no `$INCLUDE`s to load).
pub fn analyze(input: &AnalysisInput<'_>) -> Analysis {
    let parsed = parse_zones(input);
    check(input.sources, parsed, input.config, input.dns)
}

/// Applies the configured level to a finding; `false` when its rule is turned off.
fn apply_level(d: &mut Diagnostic, config: &Config) -> bool {
    // A configured level overrides the finding's own (which may differ from the rule's
    // default, as for `?all` against `+all`).
    match config.configured_level(d.rule) {
        Some(RuleLevel::Off) => false,
        Some(RuleLevel::Level(sev)) => {
            d.severity = sev;
            true
        }
        None => true,
    }
}

/// Applies rule levels and suppression comments, drops exact duplicates (a fragment
/// included by two zones), and sorts by file and position.
pub fn finish(sources: &SourceDb, mut diags: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    diags.retain_mut(|d| apply_level(d, config));
    // Scan each file for the marker once, not once per finding.
    let mut marked: FxHashMap<FileId, bool> = FxHashMap::default();
    diags.retain(|d| {
        let src = sources.get(d.file);
        let has_marker = *marked.entry(d.file).or_insert_with(|| src.text.contains(crate::suppress::MARKER));
        !(has_marker && is_suppressed(src, d, comment_syntax_of(&src.path)))
    });
    // A large check holds a hundred thousand findings here: sorted without setting
    // aside a copy of them.
    crate::util::sort_in_place_by(&mut diags, |a, b| {
        (a.file, a.range.start, a.range.end, a.rule.code, &a.message).cmp(&(b.file, b.range.start, b.range.end, b.rule.code, &b.message))
    });
    diags.dedup_by(|a, b| a.file == b.file && a.range == b.range && a.rule.code == b.rule.code && a.message == b.message);
    diags
}

/// [`finish`] for the findings of one file, given its text.
pub fn finish_file(src: &crate::source::SourceFile, mut diags: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    diags.retain_mut(|d| apply_level(d, config));
    if src.text.contains(crate::suppress::MARKER) {
        diags.retain(|d| !is_suppressed(src, d, comment_syntax_of(&src.path)));
    }
    diags.sort_by(|a, b| (a.range.start, a.range.end, a.rule.code, &a.message).cmp(&(b.range.start, b.range.end, b.rule.code, &b.message)));
    diags
}

/// The comment syntax of a file, by its extension.
pub fn comment_syntax_of(path: &Path) -> CommentSyntax {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml" | "tf" | "hcl" | "toml") => CommentSyntax::Hash,
        Some("js" | "cjs" | "mjs" | "ts") => CommentSyntax::Slashes,
        _ => CommentSyntax::Zone,
    }
}

/// The zone name a file name implies: `example.com.zone`, `example.com.db`,
/// `example.com.hosts`, `db.example.com`, or a bare `example.com`.
pub fn origin_from_file_name(path: &Path) -> Option<Name> {
    let name = path.file_name()?.to_str()?;
    let candidate = if let Some(rest) = name.strip_prefix("db.") {
        rest
    } else if let Some(base) = [".zone", ".db", ".hosts", ".dns", ".yaml", ".yml"].iter().find_map(|ext| name.strip_suffix(ext)) {
        base
    } else {
        // A bare `example.com`; but `README.md` or `main.tf` name files, not zones.
        let ext = name.rsplit('.').next().unwrap_or("");
        if NOT_ZONE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) {
            return None;
        }
        name
    };
    let candidate = candidate.trim_end_matches('.');
    let labels: Vec<&str> = candidate.split('.').collect();
    if labels.len() < 2 {
        return None;
    }
    let tld = labels[labels.len() - 1];
    let plausible = labels.iter().all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        && (tld.bytes().all(|b| b.is_ascii_alphabetic()) || tld.eq_ignore_ascii_case("arpa"));
    if !plausible {
        return None;
    }
    Name::parse_absolute(candidate).ok()
}

/// Extensions that make a bare file name a file, not a zone name, even where they are
/// also top-level domains (`.md`, `.sh`, `.py` …).
const NOT_ZONE_EXTENSIONS: &[&str] = &[
    "md", "txt", "rs", "py", "js", "ts", "json", "yaml", "yml", "toml", "tf", "hcl", "lock", "sh", "go", "rb", "pl", "c", "h", "cpp",
    "java", "html", "css", "xml", "csv", "ini", "cfg", "conf", "log", "bak", "orig", "swp", "tmp", "gz", "zip", "tar", "png", "jpg", "svg",
    "pdf", "sum", "mod", "lua", "vim", "el", "scm", "inc", "include", "sample",
];

/// Guesses from a file's name and first bytes whether it is a zone file.
/// The file's extension is one DNS-as-code formats use (YAML, JavaScript, Terraform):
/// whether it holds records is decided on its whole text by [`crate::hosts::detect`].
pub fn is_host_candidate(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "yaml" | "yml" | "js" | "cjs" | "mjs" | "tf")
}

/// A file to read as a zone file or a host file: zone files by name and the start of
/// their content, host files by extension (then by their content).
pub fn is_candidate(path: &Path, head: &[u8]) -> bool {
    is_host_candidate(path) || looks_like_zone_file(path, head)
}

/// A file with records in it, given its whole text: a zone file, or a host file that
/// [`crate::hosts::detect`] recognises.
pub fn has_records(path: &Path, text: &str) -> bool {
    if is_host_candidate(path) {
        return crate::hosts::detect(path, text).is_some();
    }
    looks_like_zone_file(path, &text.as_bytes()[..text.len().min(4096)])
}

pub fn looks_like_zone_file(path: &Path, head: &[u8]) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if matches!(ext, "zone" | "db" | "hosts") || name.starts_with("db.") {
        return true;
    }
    // Files with another well-known extension are never sniffed.
    if !ext.is_empty() && origin_from_file_name(path).is_none() && !matches!(ext, "txt" | "inc" | "include" | "conf") {
        return false;
    }
    let head = crate::util::lossy(&head[..head.len().min(4096)]);
    head.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("$ORIGIN") || l.starts_with("$TTL") || {
            let up: Vec<String> = l.split_whitespace().take(5).map(str::to_ascii_uppercase).collect();
            up.windows(2).any(|w| w[0] == "IN" && matches!(w[1].as_str(), "SOA" | "NS" | "A" | "AAAA" | "MX" | "TXT" | "CNAME"))
        }
    })
}

/// A file read for an `$INCLUDE`.
pub struct LoadedFile {
    pub path: PathBuf,
    pub display: String,
    pub text: Arc<str>,
    pub lossy: bool,
}

/// A [`SourceLoader`] that reads `$INCLUDE` targets through a caller-supplied function
/// (the IO stays outside this crate) and remembers them, so each is read once.
pub struct IncludeCache<'a> {
    existing: &'a SourceDb,
    read: &'a (dyn Fn(&Path) -> Result<Vec<u8>, IncludeError> + Sync),
    display: &'a (dyn Fn(&Path) -> String + Sync),
    loaded: Mutex<Vec<LoadedFile>>,
}

impl<'a> IncludeCache<'a> {
    pub fn new(
        existing: &'a SourceDb,
        read: &'a (dyn Fn(&Path) -> Result<Vec<u8>, IncludeError> + Sync),
        display: &'a (dyn Fn(&Path) -> String + Sync),
    ) -> Self {
        IncludeCache { existing, read, display, loaded: Mutex::new(Vec::new()) }
    }

    /// The files that were loaded, in file-id order after the existing ones.
    pub fn into_loaded(self) -> Vec<LoadedFile> {
        self.loaded.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl SourceLoader for IncludeCache<'_> {
    fn load(&self, path: &Path) -> Result<(FileId, Arc<str>), IncludeError> {
        if let Some(id) = self.existing.find_by_path(path) {
            return Ok((id, self.existing.get(id).text.clone()));
        }
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = loaded.iter().position(|f| f.path == path) {
            return Ok((FileId((self.existing.len() + i) as u32), loaded[i].text.clone()));
        }
        let bytes = (self.read)(path)?;
        let (text, lossy) = match String::from_utf8(bytes) {
            Ok(s) => (s, false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
        };
        let text: Arc<str> = Arc::from(text);
        loaded.push(LoadedFile { path: path.to_path_buf(), display: (self.display)(path), text: text.clone(), lossy });
        Ok((FileId((self.existing.len() + loaded.len() - 1) as u32), text))
    }
}

/// Runs `f` with the layered DNS view over `zones` (workspace first, then the snapshot,
/// then live answers), and returns what it produced and the lookups it could not answer.
pub fn with_dns<R>(
    zones: &[Zone],
    sources: &SourceDb,
    dns: DnsInputs<'_>,
    f: impl FnOnce(&crate::dns::LayeredDns<'_>) -> R,
) -> (R, std::collections::BTreeSet<(String, crate::dns::QType)>) {
    let indexes: Vec<ZoneIndex<'_>> = zones.iter().map(|z| ZoneIndex::new(&z.records)).collect();
    let ws = crate::mail::WorkspaceZones::new(zones, &indexes, sources);
    let log = crate::dns::LookupLog::default();
    let layered = crate::dns::LayeredDns::new(Some(&ws), dns.snapshot, dns.live, &log);
    let r = f(&layered);
    (r, log.take().0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_from_file_names() {
        let o = |p: &str| origin_from_file_name(Path::new(p)).map(|n| n.to_string());
        assert_eq!(o("zones/example.com.zone").as_deref(), Some("example.com."));
        assert_eq!(o("db.example.org").as_deref(), Some("example.org."));
        assert_eq!(o("example.net").as_deref(), Some("example.net."));
        assert_eq!(o("example.co.uk.db").as_deref(), Some("example.co.uk."));
        assert_eq!(o("2.0.192.in-addr.arpa.zone").as_deref(), Some("2.0.192.in-addr.arpa."));
        assert_eq!(o("primary.zone"), None);
        assert_eq!(o("README.md"), None);
        assert_eq!(o("main.tf"), None);
    }

    #[test]
    fn zone_file_sniffing() {
        assert!(looks_like_zone_file(Path::new("a.zone"), b""));
        assert!(looks_like_zone_file(Path::new("example.com"), b"$TTL 1h\n"));
        assert!(looks_like_zone_file(Path::new("zonefile"), b"@ IN SOA ns1 host 1 2 3 4 5\n"));
        assert!(!looks_like_zone_file(Path::new("notes.md"), b"$TTL 1h\n"));
        assert!(!looks_like_zone_file(Path::new("zonefile"), b"hello world\n"));
    }
}
