//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

pub mod dns_server;
pub mod hostile;
pub mod lsp_client;
pub mod rfc7208;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use zonels::workspace::{LoadRequest, Workspace};
use zonels_analysis::analysis::Analysis;
use zonels_analysis::diagnostics::{Diagnostic, Edit, apply_edits};

/// `tests/fixtures` of the repository.
pub fn fixtures() -> PathBuf {
    zonels_analysis::source::normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
}

/// Checks a directory in-process, paths shown relative to it.
pub fn check_dir(dir: &Path) -> (Workspace, Analysis) {
    let req = LoadRequest { paths: vec![dir.to_path_buf()], display_base: Some(dir.to_path_buf()), ..Default::default() };
    let mut ws = Workspace::load(&req).unwrap_or_else(|e| panic!("loading {}: {e}", dir.display()));
    let analysis = ws.analyze();
    (ws, analysis)
}

/// The diff a fix makes, file by file.
pub fn fix_diff(ws: &Workspace, edits: &[Edit]) -> String {
    let mut by_file: BTreeMap<_, Vec<&Edit>> = BTreeMap::new();
    for e in edits {
        by_file.entry(e.file).or_default().push(e);
    }
    let mut out = String::new();
    for (file, edits) in by_file {
        let src = ws.sources.get(file);
        let new = apply_edits(&src.text, &edits).expect("fix edits overlap");
        let diff = similar::TextDiff::from_lines(&*src.text, &new);
        out.push_str(&format!("--- {}\n", src.display_path));
        for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
            out.push_str(&hunk.to_string());
        }
    }
    out
}

/// Applies `edits` to a copy of `variant` and checks the copy again.
pub fn recheck_with(variant: &Path, ws: &Workspace, edits: &[Edit]) -> Vec<Diagnostic> {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(variant, tmp.path());
    let mut by_file: BTreeMap<_, Vec<&Edit>> = BTreeMap::new();
    for e in edits {
        by_file.entry(e.file).or_default().push(e);
    }
    for (file, edits) in by_file {
        let src = ws.sources.get(file);
        let rel = src.path.strip_prefix(variant).expect("fix edits a file outside the fixture");
        let new = apply_edits(&src.text, &edits).unwrap();
        fs::write(tmp.path().join(rel), new).unwrap();
    }
    check_dir(tmp.path()).1.diagnostics
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The built `zonels` binary.
pub fn zonels_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_zonels"))
}

/// Runs `zonels args…` in `cwd` with `stdin`, returning its output.
pub fn run_zonels(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(zonels_bin());
    cmd.args(args)
        .current_dir(cwd)
        .env("ZONELS_NO_SYSTEM_RESOLVER", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn zonels");
    if let Some(input) = stdin {
        use std::io::Write;
        let mut s = child.stdin.take().unwrap();
        // A child that exits early closes the pipe; that is not our failure.
        let _ = s.write_all(input);
    }
    child.wait_with_output().expect("wait for zonels")
}
