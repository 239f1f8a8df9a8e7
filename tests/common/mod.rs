//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

pub mod dns_server;
pub mod lsp_client;
pub mod rfc7208;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use zonels::workspace::{LoadRequest, Workspace};
use zonels_analysis::analysis::Analysis;

/// `tests/fixtures` of the repository.
pub fn fixtures() -> PathBuf {
    zonels_analysis::source::normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures"))
}

/// Checks a directory in-process, paths shown relative to it.
pub fn check_dir(dir: &Path) -> (Workspace, Analysis) {
    let req = LoadRequest { paths: vec![dir.to_path_buf()], display_base: Some(dir.to_path_buf()), ..Default::default() };
    let mut ws = Workspace::load(&req).unwrap_or_else(|e| panic!("loading {}: {e}", dir.display()));
    let analysis = ws.analyze();
    (ws, analysis)
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
