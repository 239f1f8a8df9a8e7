//! The `zonels` command line: `check`, `audit`, `spf`, `lock`, `rules`, `explain`, `lsp`.

mod audit;
mod fix;
mod lock;
pub mod render;
mod spf;

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use zonels_analysis::Severity;
use zonels_analysis::rules;

use crate::workspace::{LoadRequest, Workspace};

#[derive(Parser)]
#[command(name = "zonels", version, about = "Checks DNS zone files and DNS-as-code for the records that make mail bounce", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check zone files and DNS-as-code (directories are walked, honouring .gitignore).
    Check(CheckArgs),
    /// List every rule with its default severity and fix availability.
    Rules {
        /// Print as JSON.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print the full reference with every rule's documentation, as Markdown (docs/rules.md).
        #[arg(long)]
        markdown: bool,
    },
    /// Print a rule's documentation: what, why it bounces mail, RFC section, examples.
    Explain {
        /// The rule code, e.g. `spf/too-many-lookups`.
        code: String,
    },
    /// Compare the workspace's mail records with the published DNS, and check its sending
    /// addresses against DNS blocklists (online).
    Audit(audit::AuditArgs),
    /// Show a domain's SPF include tree with lookup counts, or evaluate SPF like a receiver.
    Spf(spf::SpfArgs),
    /// Fetch the DNS answers the checks need from outside the workspace into zonels.lock.
    Lock(lock::LockArgs),
    /// Run the language server on standard input and output.
    Lsp {
        /// Accepted for compatibility with clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories to check; `-` reads standard input. Defaults to `.`.
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Make no network queries (resolution uses the workspace and zonels.lock only).
    #[arg(long)]
    offline: bool,
    /// Stay offline unless zonels.toml asks for lookups (`offline = false` or a
    /// `resolver`): what the pre-commit hook uses.
    #[arg(long, conflicts_with = "offline")]
    offline_by_default: bool,
    /// DNS server for live lookups, `ADDR[:PORT]`.
    #[arg(long, value_name = "ADDR[:PORT]")]
    resolver: Option<String>,
    /// Per-query timeout for live lookups, in milliseconds.
    #[arg(long, value_name = "MS")]
    timeout_ms: Option<u64>,
    /// Configuration file (default: zonels.toml at the workspace root).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Exit with 1 when there are findings at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Apply safe fixes in place (atomically), then report what is left.
    #[arg(long)]
    fix: bool,
    /// The file name to report standard input under (used for the zone origin too).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
}

type LiveSetup = (std::sync::Arc<crate::resolve::Live>, tokio::runtime::Runtime);

/// The live resolver for a check, unless it runs offline (`--offline`, `offline = true`
/// in zonels.toml, or no resolver allowed in this environment).
fn live_resolver(args: &CheckArgs, ws: &Workspace) -> Result<Option<LiveSetup>, String> {
    let configured_online = ws.config.resolve.offline == Some(false) || ws.config.resolve.resolver.is_some();
    if args.offline
        || ws.config.resolve.offline.unwrap_or(false)
        || (args.offline_by_default && !configured_online && args.resolver.is_none())
    {
        return Ok(None);
    }
    let server =
        args.resolver.clone().or_else(|| ws.config.resolve.resolver.clone()).map(|s| crate::resolve::parse_server(&s)).transpose()?;
    if server.is_none() && !crate::resolve::system_resolver_allowed() {
        return Ok(None);
    }
    let mut settings = crate::resolve::Settings { server, ..Default::default() };
    if let Some(ms) = args.timeout_ms.or(ws.config.resolve.timeout_ms) {
        settings.timeout = std::time::Duration::from_millis(ms);
    }
    let live = std::sync::Arc::new(crate::resolve::Live::new(&settings)?);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|e| e.to_string())?;
    Ok(Some((live, rt)))
}

/// Runs the CLI and returns the process exit code (0 clean, 1 findings, 2 error).
pub fn main() -> i32 {
    crate::memory::huge_pages(false);
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("zonels: internal error: {msg}{at}; please report it with the input that caused it");
    }));
    std::panic::catch_unwind(run).unwrap_or(2)
}

fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 2,
            };
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { markdown: true, .. } => {
            print!("{}", rules::reference_markdown());
            0
        }
        Command::Rules { json, .. } => list_rules(json),
        Command::Explain { code } => explain(&code),
        Command::Audit(args) => audit::run(args),
        Command::Spf(args) => spf::run(args),
        Command::Lock(args) => lock::run(args),
        Command::Lsp { .. } => crate::lsp::run(),
    }
}

fn list_rules(json: bool) -> i32 {
    let mut out = std::io::stdout().lock();
    if json {
        let v: Vec<_> = rules::all()
            .iter()
            .map(|r| serde_json::json!({"code": r.code, "severity": r.severity.as_str(), "fix": r.fix.as_str(), "summary": r.summary}))
            .collect();
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return 0;
    }
    let w = rules::all().iter().map(|r| r.code.len()).max().unwrap_or(10);
    for r in rules::all() {
        let fix = if r.fix == rules::FixKind::None { "" } else { " (fix)" };
        let _ = writeln!(out, "{:<w$}  {:<7}  {}{}", r.code, r.severity.as_str(), r.summary, fix);
    }
    0
}

fn explain(code: &str) -> i32 {
    match rules::by_code(code) {
        Some(r) => {
            println!("# {}\n", r.code);
            println!("Default severity: {}. Fix: {}.\n", r.severity, r.fix.as_str());
            print!("{}", r.doc_text());
            0
        }
        None => {
            let hint = rules::all()
                .iter()
                .map(|r| r.code)
                .find(|c| c.starts_with(code) && !code.is_empty())
                .or_else(|| zonels_analysis::util::closest(code, rules::all().iter().map(|r| r.code), 4))
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            eprintln!("zonels: unknown rule `{code}`{hint} (`zonels rules` lists them all)");
            2
        }
    }
}

fn check(args: CheckArgs) -> i32 {
    // Where the time goes, for benchmarking: phases on standard error.
    let timings = std::env::var_os("ZONELS_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
    if timings {
        zonels_analysis::timing::enable();
        zonels_analysis::timing::set_memory_probe(resident_memory);
    }
    let mut req = LoadRequest { config_path: args.config.clone(), ..Default::default() };
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    if paths.iter().any(|p| p.as_os_str() == "-") {
        if paths.len() > 1 {
            eprintln!("zonels: `-` (standard input) cannot be combined with other paths");
            return 2;
        }
        if args.fix {
            eprintln!("zonels: `--fix` cannot rewrite standard input; pass a file");
            return 2;
        }
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
            eprintln!("zonels: cannot read standard input: {e}");
            return 2;
        }
        let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("<stdin>"));
        req.stdin = Some((name, bytes));
    } else {
        req.paths = paths;
    }
    let load = zonels_analysis::timing::phase("load");
    let mut ws = match Workspace::load(&req) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("zonels: {e}");
            return 2;
        }
    };
    drop(load);
    let large = ws.sources.ids().any(|id| ws.sources.text(id).len() >= crate::memory::LARGE_FILE);
    if large {
        crate::memory::return_freed_memory_sooner();
    }
    let live = match live_resolver(&args, &ws) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("zonels: {e}");
            return 2;
        }
    };
    let analyze = zonels_analysis::timing::phase("analyze");
    let mut analysis = match &live {
        Some((live, rt)) => ws.analyze_online(live, rt),
        None if large => {
            let mut pages = Some(crate::memory::HugePages::allow());
            ws.analyze_with(&mut || drop(pages.take()))
        }
        None => ws.analyze(),
    };
    drop(analyze);
    if args.fix {
        match fix::run(&req, ws, analysis) {
            Ok((w, a, applied)) => {
                ws = w;
                analysis = a;
                if args.format == Format::Human && applied > 0 {
                    eprintln!("zonels: applied {applied} fix{}", if applied == 1 { "" } else { "es" });
                }
            }
            Err(e) => {
                eprintln!("zonels: {e}");
                return 2;
            }
        }
    }
    let code = {
        let _t = zonels_analysis::timing::phase("report");
        report(args.format, args.fail_on, &ws, &analysis.diagnostics)
    };
    if timings {
        eprint!("{}", zonels_analysis::timing::report());
    }
    // The process ends here: freeing a large zone's records one by one only delays it.
    std::mem::forget((ws, analysis));
    code
}

/// The process's resident memory in bytes (Linux; `None` elsewhere).
fn resident_memory() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Writes findings in `format` and returns the exit code: 1 when one is at or above
/// `fail_on`, 2 when the output cannot be written.
fn report(format: Format, fail_on: FailOn, ws: &Workspace, diags: &[zonels_analysis::diagnostics::Diagnostic]) -> i32 {
    let files = ws.reported.len();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let res = match format {
        Format::Human => render::human(&mut out, &ws.sources, diags, files),
        Format::Json => render::json(&mut out, &ws.sources, diags, files),
        Format::Sarif => render::sarif(&mut out, &ws.sources, diags),
        Format::Github => render::github(&mut out, &ws.sources, diags),
    };
    if let Err(e) = res.and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("zonels: cannot write output: {e}");
        return 2;
    }
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    if diags.iter().any(|d| d.severity <= threshold) { 1 } else { 0 }
}
