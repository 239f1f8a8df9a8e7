//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

pub mod auth_server;
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
    recheck_by(variant, ws, edits, None)
}

/// [`recheck_with`], audited against `published` when given.
pub fn recheck_by(variant: &Path, ws: &Workspace, edits: &[Edit], published: Option<&Published>) -> Vec<Diagnostic> {
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
    findings_of(published, tmp.path()).1
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

/// What `zonels audit` is compared with in a rule fixture: `published/` (or
/// `published-bad/`, `published-good/` per variant) beside `bad/` and `good/`, holding
/// `ns1/` and `ns2/` (zone files served on 127.0.0.2 and 127.0.0.3 as ns1.example.com
/// and ns2.example.com), `ns2.silent` (ns2 never answers), and `resolver/` (served on
/// 127.0.0.1 for `--since-lock`; its `dnsbl.*` zones are blocklists to ask).
pub struct Published {
    servers: Vec<(String, auth_server::AuthServer)>,
    silent: Option<std::net::UdpSocket>,
    resolver: Option<auth_server::AuthServer>,
    lists: Vec<String>,
}

impl Published {
    /// The published side for `variant` (`bad`/`good`) of a rule fixture, if it has one.
    pub fn for_variant(rule_dir: &Path, variant: &str) -> Option<Published> {
        let own = rule_dir.join(format!("published-{variant}"));
        let dir = if own.is_dir() { own } else { rule_dir.join("published") };
        if !dir.is_dir() {
            return None;
        }
        let mut servers = Vec::new();
        for (n, ip) in [("ns1", "127.0.0.2"), ("ns2", "127.0.0.3")] {
            if dir.join(n).is_dir() {
                servers.push((format!("{n}.example.com"), auth_server::AuthServer::start(ip, &dir.join(n))));
            }
        }
        let silent = dir.join("ns2.silent").exists().then(|| std::net::UdpSocket::bind("127.0.0.3:0").unwrap());
        let resolver = dir.join("resolver").is_dir().then(|| auth_server::AuthServer::start("127.0.0.1", &dir.join("resolver")));
        let mut lists = Vec::new();
        if resolver.is_some() {
            for e in fs::read_dir(dir.join("resolver")).unwrap() {
                let name = e.unwrap().file_name().into_string().unwrap();
                lists.extend(name.strip_suffix(".zone").filter(|z| z.starts_with("dnsbl.")).map(str::to_string));
            }
        }
        Some(Published { servers, silent, resolver, lists })
    }

    /// `zonels audit` of `dir` in-process against these servers.
    pub fn audit_dir(&self, dir: &Path) -> (Workspace, Vec<Diagnostic>) {
        let req = LoadRequest { paths: vec![dir.to_path_buf()], display_base: Some(dir.to_path_buf()), ..Default::default() };
        let mut ws = Workspace::load(&req).unwrap_or_else(|e| panic!("loading {}: {e}", dir.display()));
        let name = |n: &str| zonels_analysis::name::Name::parse_absolute(n).unwrap();
        let mut authoritative: Vec<_> = self.servers.iter().map(|(n, s)| (name(n), s.addr)).collect();
        if let Some(s) = &self.silent {
            authoritative.push((name("ns2.example.com"), s.local_addr().unwrap()));
        }
        let settings = zonels::audit::AuditSettings {
            resolver: zonels::resolve::Settings {
                server: self.resolver.as_ref().map(|r| r.addr),
                timeout: std::time::Duration::from_millis(300),
                ..Default::default()
            },
            resolver_allowed: self.resolver.is_some(),
            authoritative,
            dnsbl: self.lists.clone(),
            since_lock: self.resolver.is_some(),
        };
        let report = zonels::audit::run(&mut ws, &settings).unwrap_or_else(|e| panic!("audit of {}: {e}", dir.display()));
        (ws, report.diagnostics)
    }
}

/// Findings of `dir`: the audit's when there is a published side, else the check's.
pub fn findings_of(published: Option<&Published>, dir: &Path) -> (Workspace, Vec<Diagnostic>) {
    match published {
        Some(p) => p.audit_dir(dir),
        None => {
            let (ws, analysis) = check_dir(dir);
            (ws, analysis.diagnostics)
        }
    }
}
