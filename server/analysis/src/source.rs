//! The set of source texts an analysis sees. The analysis never touches the file
//! system: callers put texts in, and `$INCLUDE` targets come through [`SourceLoader`].

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::diagnostics::FileId;
use crate::text::{LineCol, LineIndex, PositionEncoding, TextRange};

pub struct SourceFile {
    /// Path as shown to the user (relative to the working directory as given).
    pub display_path: String,
    /// Absolute (or workspace-rooted) path, for resolving `$INCLUDE` and globs.
    pub path: PathBuf,
    pub text: Arc<str>,
    /// The text was not valid UTF-8 and was decoded lossily.
    pub lossy: bool,
    line_index: OnceLock<LineIndex>,
}

impl SourceFile {
    /// A file outside any [`SourceDb`] (an editor's current text, say).
    pub fn new(display_path: impl Into<String>, path: impl Into<PathBuf>, text: Arc<str>) -> Self {
        SourceFile { display_path: display_path.into(), path: path.into(), text, lossy: false, line_index: OnceLock::new() }
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    pub fn line_col(&self, offset: u32, enc: PositionEncoding) -> LineCol {
        self.line_index().line_col(&self.text, offset, enc)
    }

    /// The text of the line containing `offset`, without its terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let r = self.line_index().line_range(&self.text, line);
        &self.text[r]
    }

    pub fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_usize()).unwrap_or("")
    }
}

#[derive(Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
    /// Path → the first file added with it (a workspace adds thousands of files, each
    /// after asking whether it is already in).
    by_path: rustc_hash::FxHashMap<PathBuf, FileId>,
}

impl SourceDb {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, display_path: impl Into<String>, path: impl Into<PathBuf>, text: Arc<str>) -> FileId {
        self.add_file(display_path.into(), path.into(), text, false)
    }

    /// Adds raw bytes, decoding invalid UTF-8 lossily (and remembering that it did).
    pub fn add_bytes(&mut self, display_path: impl Into<String>, path: impl Into<PathBuf>, bytes: Vec<u8>) -> FileId {
        let (text, lossy) = match String::from_utf8(bytes) {
            Ok(s) => (s, false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
        };
        self.add_file(display_path.into(), path.into(), Arc::from(text), lossy)
    }

    fn add_file(&mut self, display_path: String, path: PathBuf, text: Arc<str>, lossy: bool) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.by_path.entry(path.clone()).or_insert(id);
        self.files.push(SourceFile { display_path, path, text, lossy, line_index: OnceLock::new() });
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.files[id.0 as usize].text
    }

    pub fn find_by_path(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len() as u32).map(FileId)
    }
}

/// Why an `$INCLUDE` target could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IncludeError {
    NotFound,
    /// The target resolves outside the workspace root; it is never opened.
    OutsideRoot,
    Unreadable(String),
    TooLarge {
        size: u64,
        limit: u64,
    },
}

/// Supplies the text of `$INCLUDE` targets. Implementations do the IO; the analysis
/// resolves the path lexically with [`resolve_include_path`] first.
pub trait SourceLoader: Sync {
    /// Returns the file id of `path` (already confined by the caller), loading it once.
    fn load(&self, path: &Path) -> Result<(FileId, Arc<str>), IncludeError>;
}

/// A loader for analyses without includes (single documents, tests).
pub struct NoIncludes;

impl SourceLoader for NoIncludes {
    fn load(&self, _path: &Path) -> Result<(FileId, Arc<str>), IncludeError> {
        Err(IncludeError::NotFound)
    }
}

/// Resolves an `$INCLUDE` path relative to the including file's directory and checks,
/// lexically, that it stays inside `root`. Symlinks are the loader's business.
pub fn resolve_include_path(root: &Path, including_file: &Path, target: &str) -> Result<PathBuf, IncludeError> {
    let target = Path::new(target);
    let joined = if target.is_absolute() { target.to_path_buf() } else { including_file.parent().unwrap_or(Path::new("")).join(target) };
    let normal = normalize(&joined);
    let root = normalize(root);
    if normal.starts_with(&root) { Ok(normal) } else { Err(IncludeError::OutsideRoot) }
}

/// Removes `.` and resolves `..` lexically (`..` above the start is kept, so it can
/// never sneak inside a root by accident).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_paths_are_confined() {
        let root = Path::new("/ws");
        let file = Path::new("/ws/zones/example.com.zone");
        assert_eq!(resolve_include_path(root, file, "inc/mail.inc").unwrap(), PathBuf::from("/ws/zones/inc/mail.inc"));
        assert_eq!(resolve_include_path(root, file, "../shared.inc").unwrap(), PathBuf::from("/ws/shared.inc"));
        assert_eq!(resolve_include_path(root, file, "../../etc/passwd"), Err(IncludeError::OutsideRoot));
        assert_eq!(resolve_include_path(root, file, "/etc/passwd"), Err(IncludeError::OutsideRoot));
        assert_eq!(resolve_include_path(root, file, "/ws/a/../b.inc").unwrap(), PathBuf::from("/ws/b.inc"));
        assert_eq!(resolve_include_path(root, file, "../../ws2/x"), Err(IncludeError::OutsideRoot));
    }
}
