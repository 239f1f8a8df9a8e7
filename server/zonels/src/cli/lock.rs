//! `zonels lock`: fetch the external DNS answers the workspace's checks need, recursively,
//! and write them to zonels.lock.

use std::path::PathBuf;
use std::sync::Arc;

use zonels_analysis::dns::Answers;

use crate::resolve::{self, Live};
use crate::safe_write::write_atomically;
use crate::workspace::{LoadRequest, Workspace};

#[derive(clap::Args)]
pub struct LockArgs {
    /// Files or directories of the workspace (default `.`).
    pub paths: Vec<PathBuf>,
    /// DNS server, `ADDR[:PORT]` (default: the system's resolvers).
    #[arg(long, value_name = "ADDR[:PORT]")]
    pub resolver: Option<String>,
    /// Configuration file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Per-query timeout in milliseconds.
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,
}

pub fn run(args: LockArgs) -> i32 {
    match run_inner(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("zonels: {e}");
            2
        }
    }
}

fn run_inner(args: LockArgs) -> Result<(), String> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let req = LoadRequest { paths, config_path: args.config.clone(), ..Default::default() };
    let mut ws = Workspace::load(&req).map_err(|e| e.to_string())?;
    // Everything is fetched fresh: the old snapshot is what is being replaced.
    ws.snapshot = Answers::default();
    let server = args.resolver.clone().or_else(|| ws.config.resolve.resolver.clone()).map(|s| resolve::parse_server(&s)).transpose()?;
    let mut settings = resolve::Settings { server, ..Default::default() };
    if let Some(ms) = args.timeout_ms.or(ws.config.resolve.timeout_ms) {
        settings.timeout = std::time::Duration::from_millis(ms);
    }
    let live = Arc::new(Live::new(&settings)?);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|e| e.to_string())?;
    let analysis = ws.analyze_online(&live, &rt);
    let mut out = Answers::default();
    for k in &analysis.external_used {
        if let Some(e) = ws.live.entries.get(k) {
            out.entries.insert(k.clone(), e.clone());
        }
    }
    let path = ws.snapshot_path();
    let old = std::fs::read(&path).unwrap_or_default();
    let text = zonels_analysis::lock::render(&out);
    if !path.exists() {
        std::fs::write(&path, "").map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    }
    write_atomically(&path, &old, text.as_bytes()).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    let unresolved = analysis.missing.len();
    eprintln!(
        "zonels: wrote {} answer{} to {} ({} queries){}",
        out.entries.len(),
        if out.entries.len() == 1 { "" } else { "s" },
        path.display(),
        live.used(),
        if unresolved > 0 { format!("; {unresolved} lookups could not be answered (query budget)") } else { String::new() }
    );
    Ok(())
}
