//! `zonels audit`: the workspace against the published DNS (see `crate::audit`).

use std::path::PathBuf;

use super::{FailOn, Format};
use crate::audit::AuditSettings;
use crate::workspace::{LoadRequest, Workspace};

#[derive(clap::Args)]
pub struct AuditArgs {
    /// Files or directories to audit. Defaults to `.`.
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Resolver, `ADDR[:PORT]`. Without --authoritative, the only server asked.
    #[arg(long, value_name = "ADDR[:PORT]")]
    resolver: Option<String>,
    /// The zones' authoritative servers, asked directly: `NAME=ADDR[:PORT],…` (NAME as in
    /// the zone's NS records). Also `[audit] authoritative` in zonels.toml.
    #[arg(long, value_name = "NAME=ADDR[:PORT]", value_delimiter = ',')]
    authoritative: Vec<String>,
    /// DNS blocklist zones to ask about the sending addresses (`zen.example,…`). None are
    /// asked unless given here or in `[audit] dnsbl`.
    #[arg(long, value_name = "ZONE", value_delimiter = ',')]
    dnsbl: Vec<String>,
    /// Also ask for every answer in zonels.lock, and report what changed upstream and
    /// what that does to the workspace (e.g. a provider's include grown past 10 lookups).
    #[arg(long)]
    since_lock: bool,
    /// Per-query timeout, in milliseconds.
    #[arg(long, value_name = "MS")]
    timeout_ms: Option<u64>,
    /// Configuration file (default: zonels.toml at the workspace root).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Exit with 1 when there are findings at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
}

pub fn run(args: AuditArgs) -> i32 {
    match audit(&args) {
        Ok((ws, report)) => {
            if args.format == Format::Human {
                eprintln!("zonels: audited {} names against {}", report.targets, report.servers.join(", "));
            }
            super::report(args.format, args.fail_on, &ws, &report.diagnostics)
        }
        Err(e) => {
            eprintln!("zonels: {e}");
            2
        }
    }
}

fn audit(args: &AuditArgs) -> Result<(Workspace, crate::audit::AuditReport), String> {
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let req = LoadRequest { config_path: args.config.clone(), paths, ..Default::default() };
    let mut ws = Workspace::load(&req).map_err(|e| e.to_string())?;
    let settings = settings(args, &ws)?;
    let report = crate::audit::run(&mut ws, &settings)?;
    Ok((ws, report))
}

fn settings(args: &AuditArgs, ws: &Workspace) -> Result<AuditSettings, String> {
    let mut settings = AuditSettings::from_config(&ws.config, args.resolver.clone(), args.timeout_ms, &args.authoritative, &args.dnsbl)?;
    settings.since_lock = args.since_lock;
    Ok(settings)
}
