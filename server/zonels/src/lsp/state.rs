//! The language server's view of the workspace: open documents (ropey, updated strictly
//! in version order), the zone files of the workspace folders as on disk, settings, and
//! the latest analysis.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};
use zonels_analysis::analysis::{self, AnalysisInput, DnsInputs, IncludeCache};
use zonels_analysis::config::{Config, RuleLevel};
use zonels_analysis::diagnostics::{Diagnostic, FileId};
use zonels_analysis::dns::{Answers, QType};
use zonels_analysis::ide::World;
use zonels_analysis::source::{IncludeError, SourceDb};
use zonels_analysis::text::PositionEncoding;

use super::convert;

/// Settings from the client (`workspace/configuration`, section `zonels`), layered over
/// zonels.toml.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    pub offline: Option<bool>,
    pub resolver: Option<String>,
    pub rules: BTreeMap<String, String>,
    pub inlay_hints: InlaySettings,
    /// Findings sent to the editor per file (0: no limit). Thousands of markers help no
    /// one and cost every keystroke a large message; `zonels check` always lists all.
    pub max_diagnostics_per_file: usize,
    /// Publish the changed lines' own findings before the full analysis: `None` when the
    /// last full analysis took long enough for that to matter, or always / never.
    pub quick_look: Option<bool>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            offline: None,
            resolver: None,
            rules: BTreeMap::new(),
            inlay_hints: InlaySettings::default(),
            max_diagnostics_per_file: 1000,
            quick_look: None,
        }
    }
}

#[derive(Clone, Debug, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InlaySettings {
    pub enabled: bool,
    pub lookups: bool,
    pub keys: bool,
    pub ttls: bool,
}

impl Default for InlaySettings {
    fn default() -> Self {
        InlaySettings { enabled: true, lookups: true, keys: true, ttls: true }
    }
}

pub struct Doc {
    pub rope: Rope,
    pub version: i32,
    pub path: PathBuf,
    /// The edits since version `edits_from` (all of them), for [`Doc::unchanged_since`].
    edits: Vec<Edit>,
    edits_from: i32,
}

/// One edit: made to version `before`, it left the first `prefix` and last `suffix`
/// bytes of the text alone.
#[derive(Clone, Copy, Debug)]
struct Edit {
    before: i32,
    prefix: usize,
    suffix: usize,
}

/// The most edits remembered between two analyses; with more, the quick look compares
/// the texts instead.
const MAX_EDITS: usize = 4096;

impl Doc {
    pub fn new(rope: Rope, version: i32, path: PathBuf) -> Self {
        Doc { rope, version, path, edits: Vec::new(), edits_from: version }
    }

    /// How many bytes at the start and at the end of the text are as they were at
    /// `version`: the edits since all fell between. `None` when the edits since then are
    /// no longer known. The quick look compares with the last analysis's text this way,
    /// without reading the whole document.
    pub fn unchanged_since(&self, version: i32) -> Option<(usize, usize)> {
        if version < self.edits_from || version > self.version {
            return None;
        }
        let len = self.rope.len_bytes();
        Some(self.edits.iter().filter(|e| e.before >= version).fold((len, len), |(p, s), e| (p.min(e.prefix), s.min(e.suffix))))
    }

    /// Forgets the edits made before `version` (analysed: no quick look compares with an
    /// older text).
    fn forget_before(&mut self, version: i32) {
        if version > self.edits_from {
            self.edits.retain(|e| e.before >= version);
            self.edits_from = version;
        }
    }
}

/// A file's path and text (zonels.toml, zonels.lock).
pub type FileText = (PathBuf, Arc<str>);

pub struct State {
    pub encoding: PositionEncoding,
    pub roots: Vec<PathBuf>,
    pub docs: HashMap<String, (Uri, Doc)>,
    /// Zone files of the workspace folders, as on disk.
    pub disk: BTreeMap<PathBuf, Arc<str>>,
    pub settings: Settings,
    pub file_config: Option<FileText>,
    pub snapshot_text: Option<FileText>,
    pub live: Answers,
    pub latest: Option<Arc<Snapshot>>,
    pub published: BTreeSet<String>,
    pub pull: bool,
    pub shutting_down: bool,
    /// Findings of the last `zonels.audit` command, by document URI: published with the
    /// document's own until it is edited.
    pub audit: HashMap<String, Vec<tower_lsp_server::ls_types::Diagnostic>>,
}

/// One analysis of the whole workspace.
pub struct Snapshot {
    pub world: World,
    pub diagnostics: Vec<Diagnostic>,
    /// Document URI of each file id (files that are neither open nor in a root have none).
    pub uris: Vec<Option<Uri>>,
    pub files: HashMap<PathBuf, FileId>,
    /// Versions of the open documents this analysis saw.
    pub versions: HashMap<String, i32>,
    pub missing: BTreeSet<(String, QType)>,
    pub offline: bool,
    pub resolver: Option<String>,
    /// How long the analysis took.
    pub elapsed: std::time::Duration,
}

impl Snapshot {
    pub fn file_of_uri(&self, uri: &Uri) -> Option<FileId> {
        let path = uri.to_file_path()?;
        self.files.get(path.as_ref()).copied()
    }
}

impl State {
    pub fn new() -> State {
        State {
            encoding: PositionEncoding::Utf16,
            roots: Vec::new(),
            docs: HashMap::new(),
            disk: BTreeMap::new(),
            settings: Settings::default(),
            file_config: None,
            snapshot_text: None,
            live: Answers::default(),
            latest: None,
            published: BTreeSet::new(),
            pull: false,
            shutting_down: false,
            audit: HashMap::new(),
        }
    }

    /// Reads the zone files, zonels.toml and zonels.lock of every root.
    pub fn index_roots(&mut self, max_file_size: u64) {
        self.disk.clear();
        for root in self.roots.clone() {
            let walker = ignore::WalkBuilder::new(&root).hidden(true).require_git(false).follow_links(false).build();
            for entry in walker.flatten() {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let path = entry.path();
                if entry.metadata().is_ok_and(|m| m.len() > max_file_size) {
                    continue;
                }
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name == crate::workspace::CONFIG_FILE || name == zonels_analysis::lock::FILE_NAME {
                    continue;
                }
                let Ok(bytes) = std::fs::read(path) else { continue };
                let text = String::from_utf8_lossy(&bytes);
                if analysis::has_records(path, &text) {
                    self.disk.insert(path.to_path_buf(), Arc::from(text.into_owned()));
                }
            }
            let cfg = root.join(crate::workspace::CONFIG_FILE);
            if self.file_config.is_none()
                && let Ok(t) = std::fs::read_to_string(&cfg)
            {
                self.file_config = Some((cfg, Arc::from(t)));
            }
            let lock = root.join(zonels_analysis::lock::FILE_NAME);
            if self.snapshot_text.is_none()
                && let Ok(t) = std::fs::read_to_string(&lock)
            {
                self.snapshot_text = Some((lock, Arc::from(t)));
            }
        }
    }

    /// Applies a document's changes. Versions increase with every change but not
    /// necessarily by one (Neovim sends its change ticks); an older version is stale and
    /// dropped. Returns whether the text changed.
    pub fn change(&mut self, uri: &Uri, version: i32, changes: Vec<TextDocumentContentChangeEvent>) -> bool {
        let enc = self.encoding;
        let Some((_, doc)) = self.docs.get_mut(uri.as_str()) else { return false };
        if version <= doc.version {
            return false;
        }
        // Audit findings point into the text as it was.
        self.audit.remove(uri.as_str());
        if let Some(analysed) = self.latest.as_ref().and_then(|l| l.versions.get(uri.as_str())) {
            doc.forget_before(*analysed);
        }
        if doc.edits.len() + changes.len() > MAX_EDITS {
            doc.forget_before(doc.version);
        }
        for c in changes {
            let before = doc.version;
            match c.range {
                Some(r) => {
                    let a = convert::rope_char(&doc.rope, r.start, enc);
                    let b = convert::rope_char(&doc.rope, r.end, enc).max(a);
                    let (prefix, suffix) = (doc.rope.char_to_byte(a), doc.rope.len_bytes() - doc.rope.char_to_byte(b));
                    doc.edits.push(Edit { before, prefix, suffix });
                    doc.rope.remove(a..b);
                    doc.rope.insert(a, &c.text);
                }
                None => {
                    doc.edits.push(Edit { before, prefix: 0, suffix: 0 });
                    doc.rope = Rope::from_str(&c.text);
                }
            }
        }
        doc.version = version;
        true
    }

    /// Marks open documents whose text is exactly what `snap` analysed (from disk, or
    /// an earlier version with the same text) as seen by it: a file opened while the
    /// analysis of its disk copy was running gets those findings, not a second wait.
    pub fn adopt_unchanged(&self, snap: &mut Snapshot) {
        for (key, (_, doc)) in &self.docs {
            if snap.versions.get(key).is_some_and(|v| *v >= doc.version) {
                continue;
            }
            let Some(&id) = snap.files.get(&doc.path) else { continue };
            let text = snap.world.sources.get(id).text.as_bytes();
            if doc.rope.len_bytes() == text.len() && same_text(&doc.rope, text) {
                snap.versions.insert(key.clone(), doc.version);
            }
        }
    }

    /// A settings-adjusted configuration: zonels.toml, then the client's settings.
    pub fn config(&self) -> (Config, Vec<Diagnostic>, Option<FileText>) {
        let (mut cfg, diags) = match &self.file_config {
            Some((_, text)) => Config::parse(text, FileId(0)),
            None => (Config::default(), Vec::new()),
        };
        for (code, level) in &self.settings.rules {
            let lvl = match level.as_str() {
                "off" => Some(RuleLevel::Off),
                s => zonels_analysis::Severity::parse(s).map(RuleLevel::Level),
            };
            if let Some(l) = lvl {
                cfg.rules.insert(code.clone(), l);
            }
        }
        if let Some(o) = self.settings.offline {
            cfg.resolve.offline = Some(o);
        }
        if let Some(r) = &self.settings.resolver {
            cfg.resolve.resolver = Some(r.clone());
        }
        (cfg, diags, self.file_config.clone())
    }

    /// Everything an analysis needs, owned, so it can run on another thread.
    pub fn input(&self) -> AnalysisJob {
        let mut files: BTreeMap<PathBuf, (Arc<str>, Option<Uri>)> = BTreeMap::new();
        for (path, text) in &self.disk {
            let uri = Uri::from_file_path(path);
            files.insert(path.clone(), (text.clone(), uri));
        }
        let mut versions = HashMap::new();
        for (key, (uri, doc)) in &self.docs {
            files.insert(doc.path.clone(), (Arc::from(doc.rope.to_string()), Some(uri.clone())));
            versions.insert(key.clone(), doc.version);
        }
        let (config, config_diags, config_file) = self.config();
        let root = self
            .roots
            .first()
            .cloned()
            .or_else(|| self.docs.values().next().and_then(|(_, d)| d.path.parent().map(Path::to_path_buf)))
            .unwrap_or_default();
        AnalysisJob {
            files,
            versions,
            config,
            config_diags,
            config_file,
            snapshot: self.snapshot_text.clone(),
            live: self.live.clone(),
            root,
        }
    }
}

pub struct AnalysisJob {
    files: BTreeMap<PathBuf, (Arc<str>, Option<Uri>)>,
    versions: HashMap<String, i32>,
    config: Config,
    config_diags: Vec<Diagnostic>,
    config_file: Option<(PathBuf, Arc<str>)>,
    snapshot: Option<(PathBuf, Arc<str>)>,
    live: Answers,
    root: PathBuf,
}

impl AnalysisJob {
    /// Runs the analysis (on a blocking thread: it can take a while on big zones).
    pub fn run(self) -> Snapshot {
        let started = std::time::Instant::now();
        let mut sources = SourceDb::new();
        let mut uris = Vec::new();
        let mut files = HashMap::new();
        let mut load_diags = Vec::new();
        // File 0 is the configuration (its findings point into it).
        let (cfg_path, cfg_text) =
            self.config_file.clone().unwrap_or_else(|| (self.root.join(crate::workspace::CONFIG_FILE), Arc::from("")));
        let cfg_id = sources.add(cfg_path.display().to_string(), cfg_path.clone(), cfg_text);
        uris.push(Uri::from_file_path(&cfg_path));
        for d in self.config_diags {
            load_diags.push(Diagnostic { file: cfg_id, ..d });
        }
        let mut snapshot = Answers::default();
        if let Some((path, text)) = &self.snapshot {
            let id = sources.add(path.display().to_string(), path.clone(), text.clone());
            uris.push(Uri::from_file_path(path));
            let max_age = self.config.resolve.max_age_days.unwrap_or(30);
            let (answers, diags) = zonels_analysis::lock::parse(text, id, crate::resolve::now(), max_age);
            snapshot = answers;
            load_diags.extend(diags);
        }
        let mut zone_files = Vec::new();
        let limit = self.config.limits.max_file_size;
        for (path, (text, uri)) in &self.files {
            uris.push(uri.clone());
            if text.len() as u64 > limit {
                // An open document over the size limit is reported, not analysed (as on the CLI).
                let id = sources.add(path.display().to_string(), path.clone(), Arc::from(""));
                files.insert(path.clone(), id);
                load_diags.push(zonels_analysis::rules::zone::limit_exceeded::file_too_large(id, text.len() as u64, limit));
                continue;
            }
            let id = sources.add(path.display().to_string(), path.clone(), text.clone());
            files.insert(path.clone(), id);
            zone_files.push(id);
        }
        // `$INCLUDE` targets: open documents and indexed files first, then the disk,
        // never outside the root.
        let root = self.root.clone();
        let known = self.files.clone();
        let read = move |p: &Path| -> Result<Vec<u8>, IncludeError> {
            if let Some((text, _)) = known.get(p) {
                if text.len() as u64 > limit {
                    return Err(IncludeError::TooLarge { size: text.len() as u64, limit });
                }
                return Ok(text.as_bytes().to_vec());
            }
            crate::workspace::read_confined(&root, p, limit)
        };
        let display = |p: &Path| p.display().to_string();
        let dns_live = self.live;
        let parsed = {
            let cache = IncludeCache::new(&sources, &read, &display);
            let input = AnalysisInput {
                sources: &sources,
                dns: DnsInputs { snapshot: &snapshot, live: &dns_live },
                zone_files: &zone_files,
                root: &self.root,
                config: &self.config,
                loader: &cache,
            };
            let parsed = analysis::parse_zones(&input);
            (parsed, cache.into_loaded())
        };
        let (parsed, loaded) = parsed;
        for f in loaded {
            let id = sources.add(f.display, f.path.clone(), f.text);
            uris.push(Uri::from_file_path(&f.path));
            files.insert(f.path, id);
        }
        let result = analysis::check(&sources, parsed, &self.config, DnsInputs { snapshot: &snapshot, live: &dns_live });
        let mut diagnostics = result.diagnostics;
        diagnostics.extend(analysis::finish(&sources, load_diags, &self.config));
        let offline = self.config.resolve.offline.unwrap_or(false);
        let resolver = self.config.resolve.resolver.clone();
        Snapshot {
            world: World { sources, zones: result.zones, config: self.config, snapshot, live: dns_live },
            diagnostics,
            uris,
            files,
            versions: self.versions,
            missing: result.missing,
            offline,
            resolver,
            elapsed: started.elapsed(),
        }
    }
}

/// Whether `rope` holds exactly `text` (same length checked by the caller).
fn same_text(rope: &Rope, text: &[u8]) -> bool {
    let mut at = 0;
    rope.chunks().all(|c| {
        let c = c.as_bytes();
        let same = text.get(at..at + c.len()) == Some(c);
        at += c.len();
        same
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(line: u32, from: u32, to: u32, text: &str) -> TextDocumentContentChangeEvent {
        let at = |c| tower_lsp_server::ls_types::Position { line, character: c };
        TextDocumentContentChangeEvent {
            range: Some(tower_lsp_server::ls_types::Range { start: at(from), end: at(to) }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn edits_remember_what_they_left_alone() {
        let mut s = State::new();
        let uri: Uri = "file:///w/example.com.zone".parse().unwrap();
        let text = "a A 192.0.2.1\nb A 192.0.2.2\nc A 192.0.2.3\n";
        s.docs.insert(uri.as_str().into(), (uri.clone(), Doc::new(Rope::from_str(text), 1, PathBuf::from("/w/example.com.zone"))));
        type Ends = Option<(usize, usize)>;
        let doc = |s: &State| -> (String, Ends, Ends, Ends) {
            let d = &s.docs[uri.as_str()].1;
            (d.rope.to_string(), d.unchanged_since(1), d.unchanged_since(2), d.unchanged_since(0))
        };
        assert_eq!(doc(&s), (text.to_string(), Some((42, 42)), None, None));
        // Line 1: `192.0.2.2` → `192.0.2.20`, then line 0's name; both since version 1.
        assert!(s.change(&uri, 2, vec![edit(1, 13, 13, "0")]));
        assert_eq!(doc(&s).1, Some((27, 15)));
        assert!(s.change(&uri, 3, vec![edit(0, 0, 1, "aa"), edit(2, 0, 1, "cc")]));
        let (now, since1, since2, _) = doc(&s);
        assert_eq!(now, "aa A 192.0.2.1\nb A 192.0.2.20\ncc A 192.0.2.3\n");
        assert_eq!(since1, Some((0, 13)));
        assert_eq!(since2, Some((0, 13)));
        assert_eq!(s.docs[uri.as_str()].1.unchanged_since(3), Some((45, 45)), "nothing since the current version");
        // A stale version changes nothing; a whole-text change leaves nothing alone.
        assert!(!s.change(&uri, 3, vec![edit(0, 0, 0, "x")]));
        assert!(s.change(&uri, 4, vec![TextDocumentContentChangeEvent { range: None, range_length: None, text: "z\n".into() }]));
        assert_eq!(doc(&s).1, Some((0, 0)));
    }
}
