//! Finding and loading the files of a workspace: root detection, directory walks that
//! honour `.gitignore`, `zonels.toml`, and confined reads of `$INCLUDE` targets.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use zonels_analysis::analysis::{self, Analysis, AnalysisInput, DnsInputs, IncludeCache};
use zonels_analysis::config::Config;
use zonels_analysis::diagnostics::{Diagnostic, FileId};
use zonels_analysis::dns::Answers;
use zonels_analysis::rules;
use zonels_analysis::source::{IncludeError, SourceDb};

pub const CONFIG_FILE: &str = "zonels.toml";

/// What to check.
#[derive(Default)]
pub struct LoadRequest {
    pub paths: Vec<PathBuf>,
    pub config_path: Option<PathBuf>,
    /// Text read from stdin and the name it should be reported under.
    pub stdin: Option<(PathBuf, Vec<u8>)>,
    /// Show paths relative to this directory instead of the working directory.
    pub display_base: Option<PathBuf>,
}

pub struct Workspace {
    pub root: PathBuf,
    /// Paths are shown relative to this directory.
    pub display_base: PathBuf,
    pub sources: SourceDb,
    pub config: Config,
    pub config_file: Option<FileId>,
    /// Candidate zone files.
    pub zone_files: Vec<FileId>,
    /// Files findings are reported for (the rest only give context).
    pub reported: Vec<FileId>,
    /// Findings produced while loading (oversized files, bad config, bad lock file).
    pub load_diagnostics: Vec<Diagnostic>,
    /// `zonels.lock` answers.
    pub snapshot: Answers,
    /// Answers fetched live (filled by the resolution rounds).
    pub live: Answers,
}

#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The workspace root for `start`: the nearest ancestor holding `zonels.toml`, else
/// the nearest holding `.git`, else `start` itself (or its directory). The flag says
/// whether a marker was found.
pub fn find_root(start: &Path) -> (PathBuf, bool) {
    let start = absolute(start);
    let mut dir = if start.is_dir() { start.clone() } else { start.parent().map(Path::to_path_buf).unwrap_or_else(|| start.clone()) };
    // A name given for standard input may not exist yet: start from what does.
    while !dir.exists() {
        match dir.parent() {
            Some(p) => dir = p.to_path_buf(),
            None => break,
        }
    }
    for marker in [CONFIG_FILE, ".git"] {
        let mut cur = Some(dir.as_path());
        while let Some(d) = cur {
            if d.join(marker).exists() {
                return (d.to_path_buf(), true);
            }
            cur = d.parent();
        }
    }
    (dir, false)
}

impl Workspace {
    pub fn load(req: &LoadRequest) -> Result<Workspace, LoadError> {
        let cwd = std::env::current_dir().map_err(|e| LoadError(format!("cannot read the working directory: {e}")))?;
        let base = req.display_base.as_deref().map(absolute).unwrap_or_else(|| cwd.clone());
        let first = req.stdin.as_ref().map(|(p, _)| p.clone()).or_else(|| req.paths.first().cloned()).unwrap_or_else(|| cwd.clone());
        let (root, marked) = match &req.config_path {
            Some(c) => (absolute(c).parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.clone()), true),
            None => find_root(&first),
        };
        let mut ws = Workspace {
            root: crate::workspace::normalize(&root),
            display_base: base.clone(),
            sources: SourceDb::new(),
            config: Config::default(),
            config_file: None,
            zone_files: Vec::new(),
            reported: Vec::new(),
            load_diagnostics: Vec::new(),
            snapshot: Answers::default(),
            live: Answers::default(),
        };
        let config_path = req.config_path.clone().or_else(|| {
            let p = ws.root.join(CONFIG_FILE);
            p.is_file().then_some(p)
        });
        if let Some(cp) = config_path {
            let bytes = fs::read(&cp).map_err(|e| LoadError(format!("cannot read config `{}`: {e}", cp.display())))?;
            let display = display_path(&base, &absolute(&cp));
            let id = ws.sources.add_bytes(display, absolute(&cp), bytes);
            let (cfg, diags) = Config::parse(ws.sources.text(id), id);
            ws.config = cfg;
            ws.config_file = Some(id);
            ws.reported.push(id);
            ws.load_diagnostics.extend(diags);
        }
        ws.load_snapshot(&base)?;
        if let Some((name, bytes)) = &req.stdin {
            let abs = absolute(name);
            let id = ws.sources.add_bytes(name.display().to_string(), crate::workspace::normalize(&abs), bytes.clone());
            ws.zone_files.push(id);
            ws.reported.push(id);
        }
        let mut only_files = req.stdin.is_some();
        for p in &req.paths {
            let meta = fs::metadata(p).map_err(|e| LoadError(format!("cannot read `{}`: {}", p.display(), io_reason(&e))))?;
            if meta.is_dir() {
                ws.walk(p, true)?;
            } else {
                only_files = true;
                ws.add_file(p, true, true)?;
            }
        }
        // Given only files (a pre-commit hook, an editor), the rest of the workspace still
        // counts for cross-zone checks but is not reported on.
        // Only a root marked by zonels.toml or .git is walked: never a whole home or /tmp.
        if only_files && marked && req.paths.iter().all(|p| !p.is_dir()) {
            let root = ws.root.clone();
            ws.walk(&root, false)?;
        }
        Ok(ws)
    }

    /// Path of the DNS snapshot: `[resolve] snapshot`, else `zonels.lock` at the root.
    pub fn snapshot_path(&self) -> PathBuf {
        match &self.config.resolve.snapshot {
            Some(p) => self.root.join(p),
            None => self.root.join(zonels_analysis::lock::FILE_NAME),
        }
    }

    fn load_snapshot(&mut self, base: &Path) -> Result<(), LoadError> {
        let path = self.snapshot_path();
        if !path.is_file() {
            return Ok(());
        }
        let bytes = fs::read(&path).map_err(|e| LoadError(format!("cannot read `{}`: {}", path.display(), io_reason(&e))))?;
        let id = self.sources.add_bytes(display_path(base, &path), path, bytes);
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let max_age = self.config.resolve.max_age_days.unwrap_or(30);
        let (answers, diags) = zonels_analysis::lock::parse(self.sources.text(id), id, now, max_age);
        self.snapshot = answers;
        self.load_diagnostics.extend(diags);
        self.reported.push(id);
        Ok(())
    }

    fn walk(&mut self, dir: &Path, report: bool) -> Result<(), LoadError> {
        let walker =
            ignore::WalkBuilder::new(dir).hidden(true).require_git(false).follow_links(false).sort_by_file_name(|a, b| a.cmp(b)).build();
        for entry in walker {
            let entry = entry.map_err(|e| LoadError(format!("cannot walk `{}`: {e}", dir.display())))?;
            if entry.file_type().is_some_and(|t| t.is_file()) {
                self.add_file(entry.path(), report, false)?;
            }
        }
        Ok(())
    }

    /// Adds `path` if it is a zone file (always when `explicit`: the user named it).
    fn add_file(&mut self, path: &Path, report: bool, explicit: bool) -> Result<(), LoadError> {
        let abs = crate::workspace::normalize(&absolute(path));
        if let Some(id) = self.sources.find_by_path(&abs) {
            if report && !self.reported.contains(&id) {
                self.reported.push(id);
            }
            return Ok(());
        }
        if abs.file_name().is_some_and(|n| n == CONFIG_FILE || n == zonels_analysis::lock::FILE_NAME) {
            return Ok(());
        }
        let display = if path.is_absolute() && self.display_base == std::env::current_dir().unwrap_or_default() {
            path.display().to_string()
        } else {
            display_path(&self.display_base, &abs)
        };
        let meta = fs::metadata(&abs).map_err(|e| LoadError(format!("cannot read `{}`: {}", path.display(), io_reason(&e))))?;
        let limit = self.config.limits.max_file_size;
        if meta.len() > limit {
            if !explicit && !analysis::is_candidate(&abs, &read_head(&abs).unwrap_or_default()) {
                return Ok(());
            }
            let id = self.sources.add(display, abs, "".into());
            self.load_diagnostics.push(rules::zone::limit_exceeded::file_too_large(id, meta.len(), limit));
            if report {
                self.reported.push(id);
            }
            return Ok(());
        }
        if !explicit {
            let head = read_head(&abs).map_err(|e| LoadError(format!("cannot read `{}`: {}", path.display(), io_reason(&e))))?;
            if !analysis::is_candidate(&abs, &head) {
                return Ok(());
            }
        }
        let text = read_text(&abs).map_err(|e| LoadError(format!("cannot read `{}`: {}", path.display(), io_reason(&e))))?;
        // YAML, JavaScript and Terraform files are read only when they hold records.
        let holds_records = |text: &str| !analysis::is_host_candidate(&abs) || zonels_analysis::hosts::detect(&abs, text).is_some();
        let id = match text {
            Ok(text) if holds_records(&text) => self.sources.add(display, abs, text),
            Err(bytes) if holds_records(&String::from_utf8_lossy(&bytes)) => self.sources.add_bytes(display, abs, bytes),
            _ => return Ok(()),
        };
        self.zone_files.push(id);
        if report {
            self.reported.push(id);
        }
        Ok(())
    }

    /// Parses and checks every zone. Returns the analysis; `$INCLUDE`d files are added
    /// to the source database.
    pub fn analyze(&mut self) -> Analysis {
        self.analyze_with(&mut || {})
    }

    /// [`Workspace::analyze`], calling `after_parse` between parsing the zones and
    /// checking them.
    pub fn analyze_with(&mut self, after_parse: &mut dyn FnMut()) -> Analysis {
        let cwd = self.display_base.clone();
        let root = self.root.clone();
        let limit = self.config.limits.max_file_size;
        let read = move |p: &Path| read_confined(&root, p, limit);
        let display = move |p: &Path| display_path(&cwd, p);
        let parsed = {
            let cache = IncludeCache::new(&self.sources, &read, &display);
            let input = AnalysisInput {
                sources: &self.sources,
                dns: DnsInputs { snapshot: &self.snapshot, live: &self.live },
                zone_files: &self.zone_files,
                root: &self.root,
                config: &self.config,
                loader: &cache,
            };
            let parsed = analysis::parse_zones(&input);
            after_parse();
            let loaded = cache.into_loaded();
            (parsed, loaded)
        };
        let (parsed, loaded) = parsed;
        for f in loaded {
            let id = self.sources.add(f.display, f.path, f.text);
            // Findings in a fragment are reported when its zone is.
            if !self.reported.contains(&id) {
                self.reported.push(id);
            }
        }
        let mut result = analysis::check(&self.sources, parsed, &self.config, DnsInputs { snapshot: &self.snapshot, live: &self.live });
        let extra = analysis::finish(&self.sources, self.load_diagnostics.clone(), &self.config);
        result.diagnostics.extend(extra);
        let reported: std::collections::HashSet<FileId> = self.reported.iter().copied().collect();
        result.diagnostics.retain(|d| reported.contains(&d.file));
        result.diagnostics.sort_by(|a, b| (a.file, a.range.start, a.rule.code).cmp(&(b.file, b.range.start, b.rule.code)));
        result
    }
}

impl Workspace {
    /// Analyses the workspace as it would be with `edits` applied, without writing
    /// anything; `None` when the edits overlap.
    pub fn analyze_edited(&self, edits: &[zonels_analysis::diagnostics::Edit]) -> Option<Analysis> {
        let sources = copy_sources(&self.sources, edits)?;
        let mut copy = Workspace {
            root: self.root.clone(),
            display_base: self.display_base.clone(),
            sources,
            config: self.config.clone(),
            config_file: self.config_file,
            zone_files: self.zone_files.clone(),
            reported: self.reported.clone(),
            load_diagnostics: Vec::new(),
            snapshot: self.snapshot.clone(),
            live: self.live.clone(),
        };
        Some(copy.analyze())
    }

    /// A workspace over sources already read (the language server's, open documents
    /// included), keeping their file ids.
    pub fn from_parts(
        root: PathBuf,
        sources: &SourceDb,
        config: Config,
        zone_files: Vec<FileId>,
        snapshot: Answers,
        live: Answers,
    ) -> Workspace {
        let reported = sources.ids().collect();
        Workspace {
            display_base: root.clone(),
            root,
            sources: copy_sources(sources, &[]).unwrap_or_default(),
            config,
            config_file: None,
            zone_files,
            reported,
            load_diagnostics: Vec::new(),
            snapshot,
            live,
        }
    }

    /// Analyses, then fetches the lookups nothing could answer and analyses again, round
    /// after round, until nothing new is missing or the query budget is spent. Each
    /// round fetches one level of include trees, all of it concurrently.
    pub fn analyze_online(&mut self, live: &std::sync::Arc<crate::resolve::Live>, rt: &tokio::runtime::Runtime) -> Analysis {
        let mut analysis = self.analyze();
        for _ in 0..16 {
            let missing: std::collections::BTreeSet<_> =
                analysis.missing.iter().filter(|k| !self.live.entries.contains_key(*k)).cloned().collect();
            if missing.is_empty() {
                break;
            }
            let fetched = rt.block_on(live.fetch_all(&missing, &mut self.live, crate::resolve::now()));
            if fetched == 0 {
                break;
            }
            analysis = self.analyze();
        }
        analysis
    }
}

/// A copy of `sources` with `edits` applied, file ids unchanged; `None` when edits overlap.
fn copy_sources(sources: &SourceDb, edits: &[zonels_analysis::diagnostics::Edit]) -> Option<SourceDb> {
    let mut copy = SourceDb::new();
    for id in sources.ids() {
        let src = sources.get(id);
        let mine: Vec<&zonels_analysis::diagnostics::Edit> = edits.iter().filter(|e| e.file == id).collect();
        let text: std::sync::Arc<str> =
            if mine.is_empty() { src.text.clone() } else { zonels_analysis::diagnostics::apply_edits(&src.text, &mine)?.into() };
        copy.add(src.display_path.clone(), src.path.clone(), text);
    }
    Some(copy)
}

/// Reads an `$INCLUDE` target, following symlinks only while they stay inside `root`.
pub fn read_confined(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, IncludeError> {
    let canon_root = fs::canonicalize(root).map_err(|e| IncludeError::Unreadable(e.to_string()))?;
    let canon = match fs::canonicalize(path) {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(IncludeError::NotFound),
        Err(e) => return Err(IncludeError::Unreadable(io_reason(&e))),
    };
    if !canon.starts_with(&canon_root) {
        return Err(IncludeError::OutsideRoot);
    }
    let meta = fs::metadata(&canon).map_err(|e| IncludeError::Unreadable(io_reason(&e)))?;
    if !meta.is_file() {
        return Err(IncludeError::Unreadable("not a regular file".into()));
    }
    if meta.len() > limit {
        return Err(IncludeError::TooLarge { size: meta.len(), limit });
    }
    fs::read(&canon).map_err(|e| IncludeError::Unreadable(io_reason(&e)))
}

/// A file's text, read into the buffer the source database keeps (a large zone is not
/// read and then copied again); the bytes instead when they are not UTF-8.
fn read_text(path: &Path) -> std::io::Result<Result<std::sync::Arc<str>, Vec<u8>>> {
    use std::mem::MaybeUninit;
    use std::sync::Arc;
    let mut f = fs::File::open(path)?;
    let len = usize::try_from(f.metadata()?.len()).unwrap_or(usize::MAX);
    if len == 0 || len > u32::MAX as usize {
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)?;
        return Ok(String::from_utf8(bytes).map(Arc::from).map_err(|e| e.into_bytes()));
    }
    let mut buf: Arc<[MaybeUninit<u8>]> = Arc::new_uninit_slice(len);
    let bytes = Arc::get_mut(&mut buf).expect("a new Arc has one owner");
    // A large file is read in two halves side by side: touching the buffer's pages,
    // copying the data in and checking it is UTF-8 is most of a large zone's load time.
    let halves = if len >= 8 << 20 { 2 } else { 1 };
    let part = len.div_ceil(halves);
    // Whether the part was read whole, and whether it is UTF-8 on its own.
    let read_part = |at: usize, to: &mut [MaybeUninit<u8>]| -> std::io::Result<(bool, bool)> {
        to.fill(MaybeUninit::new(0));
        // SAFETY: every element was just initialised.
        let to: &mut [u8] = unsafe { &mut *(to as *mut [MaybeUninit<u8>] as *mut [u8]) };
        let complete = read_exact_at(&f, to, at as u64)?;
        Ok((complete, std::str::from_utf8(to).is_ok()))
    };
    let mut read = || {
        std::thread::scope(|s| -> std::io::Result<(bool, bool)> {
            let mut parts = bytes.chunks_mut(part);
            let first = parts.next().unwrap_or_default();
            let rest: Vec<_> = parts.enumerate().map(|(k, to)| s.spawn(move || read_part((k + 1) * part, to))).collect();
            let (mut complete, mut utf8) = read_part(0, first)?;
            for r in rest {
                let (c, u) = r.join().unwrap_or_else(|e| std::panic::resume_unwind(e))?;
                complete &= c;
                utf8 &= u;
            }
            Ok((complete, utf8))
        })
    };
    // A large file's text lives as long as its records: in huge pages.
    let (complete, halves_utf8) = if len >= crate::memory::LARGE_FILE { crate::memory::with_huge_pages(read) } else { read() }?;
    // SAFETY: every element was initialised by `read_part`.
    let buf: Arc<[u8]> = unsafe { buf.assume_init() };
    // The file changed size while it was read: read it again the ordinary way.
    if !complete || read_exact_at(&f, &mut [0u8], len as u64)? {
        let bytes = fs::read(path)?;
        return Ok(String::from_utf8(bytes).map(Arc::from).map_err(|e| e.into_bytes()));
    }
    // Halves that are each UTF-8 are UTF-8 together; one that is not may end or begin
    // inside a character the other holds the rest of: the whole decides.
    if !halves_utf8 && std::str::from_utf8(&buf).is_err() {
        return Ok(Err(buf.to_vec()));
    }
    // SAFETY: the bytes were just checked to be UTF-8, and `str` has the layout of `[u8]`.
    Ok(Ok(unsafe { Arc::from_raw(Arc::into_raw(buf) as *const str) }))
}

/// Fills `to` from offset `at` of `f` (the file's cursor is not shared state: two
/// threads can read one file); `false` when the file ends first.
fn read_exact_at(f: &fs::File, to: &mut [u8], at: u64) -> std::io::Result<bool> {
    #[cfg(unix)]
    let done = std::os::unix::fs::FileExt::read_exact_at(f, to, at);
    #[cfg(windows)]
    let done = {
        let (mut to, mut at) = (to, at);
        loop {
            if to.is_empty() {
                break Ok(());
            }
            match std::os::windows::fs::FileExt::seek_read(f, to, at) {
                Ok(0) => break Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => (to, at) = (&mut to[n..], at + n as u64),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        }
    };
    match done {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut f = fs::File::open(path)?;
    let mut buf = vec![0; 4096];
    let n = f.read(&mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// `path` relative to `cwd` when it is below it, else as is.
pub fn display_path(cwd: &Path, path: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

pub fn normalize(p: &Path) -> PathBuf {
    zonels_analysis::source::normalize(p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_large_file_read_in_halves_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.zone");
        // Past the size read in two halves, and past the one read into huge pages.
        for size in [9 << 20, crate::memory::LARGE_FILE + (1 << 20)] {
            // A character of three bytes across the middle and at the very end.
            let mut text = "a".repeat(size / 2 - 1);
            text.push('€');
            while text.len() < size {
                text.push_str("host-1 IN A 192.0.2.1\n");
            }
            text.push('€');
            std::fs::write(&path, &text).unwrap();
            assert_eq!(super::read_text(&path).unwrap().as_deref(), Ok(text.as_str()));
            // A byte that is never UTF-8, in one half then in the other.
            let mut bytes = text.into_bytes();
            for at in [bytes.len() / 2, 10] {
                let old = std::mem::replace(&mut bytes[at], 0xff);
                std::fs::write(&path, &bytes).unwrap();
                assert_eq!(super::read_text(&path).unwrap(), Err(bytes.clone()));
                bytes[at] = old;
            }
        }
    }
}
