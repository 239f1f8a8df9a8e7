//! `zonels audit`: the workspace against the published DNS (see `crate::audit`).

use std::path::PathBuf;

use super::{FailOn, Format};
use crate::audit::{AuditSettings, parse_authoritative};
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
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let req = LoadRequest { config_path: args.config.clone(), paths, ..Default::default() };
    let mut ws = match Workspace::load(&req) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("zonels: {e}");
            return 2;
        }
    };
    let settings = match settings(&args, &ws) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("zonels: {e}");
            return 2;
        }
    };
    let report = match crate::audit::run(&mut ws, &settings) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("zonels: {e}");
            return 2;
        }
    };
    if args.format == Format::Human {
        eprintln!("zonels: audited {} names against {}", report.targets, report.servers.join(", "));
    }
    super::report(args.format, args.fail_on, &ws, &report.diagnostics)
}

fn settings(args: &AuditArgs, ws: &Workspace) -> Result<AuditSettings, String> {
    let server =
        args.resolver.clone().or_else(|| ws.config.resolve.resolver.clone()).map(|s| crate::resolve::parse_server(&s)).transpose()?;
    let mut resolver = crate::resolve::Settings { server, ..Default::default() };
    if let Some(ms) = args.timeout_ms.or(ws.config.resolve.timeout_ms) {
        resolver.timeout = std::time::Duration::from_millis(ms);
    }
    let authoritative_text = if args.authoritative.is_empty() { &ws.config.audit.authoritative } else { &args.authoritative };
    let authoritative = authoritative_text.iter().map(|s| parse_authoritative(s)).collect::<Result<Vec<_>, _>>()?;
    let dnsbl = if args.dnsbl.is_empty() { ws.config.audit.dnsbl.clone() } else { args.dnsbl.clone() };
    let resolver_allowed = server.is_some() || crate::resolve::system_resolver_allowed();
    if authoritative.is_empty() && !resolver_allowed {
        return Err(format!(
            "the system resolver is disabled ({}); pass --resolver or --authoritative",
            crate::resolve::NO_SYSTEM_RESOLVER_ENV
        ));
    }
    Ok(AuditSettings { resolver, resolver_allowed, authoritative, dnsbl, since_lock: args.since_lock })
}
