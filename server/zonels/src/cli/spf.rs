//! `zonels spf`: the include/redirect tree of a domain's SPF record with its lookup
//! counts, or a full `check_host()` evaluation for a client IP, sender and HELO name.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;
use zonels_analysis::analysis::{DnsInputs, with_dns};
use zonels_analysis::dns::{Answers, Dns, DnsResult, QType, Rdata};
use zonels_analysis::mail::spf_tree;
use zonels_analysis::records::spf;
use zonels_analysis::spf_eval::{self, Resolver, Session};

use super::Format;
use crate::resolve::{self, Live};
use crate::workspace::{LoadRequest, Workspace, find_root};

#[derive(clap::Args)]
pub struct SpfArgs {
    /// The domain whose SPF record to show as a tree (or to evaluate, with --ip).
    pub domain: Option<String>,
    /// Evaluate like a receiver for this client IP.
    #[arg(long, value_name = "IP")]
    pub ip: Option<String>,
    /// MAIL FROM address (`local@domain`); without it, `postmaster@HELO` (RFC 7208 §2.4).
    #[arg(long, value_name = "ADDR")]
    pub sender: Option<String>,
    /// The HELO/EHLO name.
    #[arg(long, value_name = "NAME")]
    pub helo: Option<String>,
    /// DNS server, `ADDR[:PORT]`.
    #[arg(long, value_name = "ADDR[:PORT]")]
    pub resolver: Option<String>,
    /// Use only the workspace and zonels.lock.
    #[arg(long)]
    pub offline: bool,
    /// Per-query timeout in milliseconds.
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Configuration file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Workspace zones for the current directory's repository (only a root marked by
/// zonels.toml or .git is read, never an arbitrary directory tree).
fn load_workspace(args: &SpfArgs) -> Result<Workspace, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let (root, marked) = find_root(&cwd);
    let paths = if marked || args.config.is_some() { vec![root] } else { Vec::new() };
    Workspace::load(&LoadRequest { paths, config_path: args.config.clone(), ..Default::default() }).map_err(|e| e.to_string())
}

pub fn run(args: SpfArgs) -> i32 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zonels: {e}");
            2
        }
    }
}

fn run_inner(args: SpfArgs) -> Result<i32, String> {
    let mut ws = load_workspace(&args)?;
    let analysis = ws.analyze();
    let offline = args.offline || ws.config.resolve.offline.unwrap_or(false);
    let server = args.resolver.clone().or_else(|| ws.config.resolve.resolver.clone()).map(|s| resolve::parse_server(&s)).transpose()?;
    let live = if offline || (server.is_none() && !resolve::system_resolver_allowed()) {
        None
    } else {
        let mut settings = resolve::Settings { server, ..Default::default() };
        if let Some(ms) = args.timeout_ms.or(ws.config.resolve.timeout_ms) {
            settings.timeout = std::time::Duration::from_millis(ms);
        }
        Some(Arc::new(Live::new(&settings)?))
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let mut live_answers = Answers::default();
    if let Some(ip) = &args.ip {
        let ip = spf_eval::parse_ip(ip).ok_or_else(|| format!("`{ip}` is not an IP address"))?;
        let helo = args.helo.clone().unwrap_or_default();
        let sender = match (&args.sender, &args.domain) {
            (Some(s), _) => s.clone(),
            (None, Some(d)) => format!("postmaster@{d}"),
            (None, None) => String::new(),
        };
        if sender.is_empty() && helo.is_empty() {
            return Err("give --sender or --helo (or a DOMAIN)".into());
        }
        let session = Session { ip, sender, helo, receiver: String::new(), now: resolve::now() };
        let mut resolver = Layered { ws: &ws, zones: &analysis.zones, live: live.as_ref(), rt: &rt, answers: &mut live_answers };
        let outcome = spf_eval::check(&session, &mut resolver);
        let mut out = std::io::stdout().lock();
        if args.format == Format::Json {
            let v = json!({
                "result": outcome.result.as_str(),
                "explanation": outcome.explanation,
                "lookups": outcome.lookups,
                "void_lookups": outcome.void_lookups,
                "trace": outcome.trace,
            });
            let _ = writeln!(out, "{v}");
        } else {
            for t in &outcome.trace {
                let _ = writeln!(out, "{t}");
            }
            let _ = writeln!(out, "\nresult: {} ({} DNS lookups, {} void)", outcome.result.as_str(), outcome.lookups, outcome.void_lookups);
            if let Some(e) = &outcome.explanation {
                let _ = writeln!(out, "explanation: {e}");
            }
        }
        return Ok(0);
    }
    let Some(domain) = args.domain.clone() else {
        return Err("give a DOMAIN to show its SPF tree, or --ip with --sender/--helo to evaluate".into());
    };
    // Build the tree; fetch what is missing; build again, until nothing new is missing.
    let mut tree = None;
    for _ in 0..16 {
        let dns = DnsInputs { snapshot: &ws.snapshot, live: &live_answers };
        let (t, missing) = with_dns(&analysis.zones, &ws.sources, dns, |d| build_tree(d, &domain));
        tree = Some(t);
        let Some(live) = &live else { break };
        let missing: std::collections::BTreeSet<_> = missing.into_iter().filter(|k| !live_answers.entries.contains_key(k)).collect();
        if missing.is_empty() {
            break;
        }
        if rt.block_on(live.fetch_all(&missing, &mut live_answers, resolve::now())) == 0 {
            break;
        }
    }
    let tree = tree.unwrap_or_else(|| spf_tree::Tree { domain: domain.clone(), status: spf_tree::Status::Unknown, nodes: Vec::new() });
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        let v = json!({
            "domain": tree.domain,
            "lookups": tree.total(),
            "void_lookups": tree.void_total(),
            "complete": !tree.lower_bound(),
            "tree": tree_json(&tree),
        });
        let _ = writeln!(out, "{v}");
    } else {
        let _ = write!(out, "{}", spf_tree::render(&tree));
    }
    Ok(if tree.total() > 10 || tree.void_total() > 2 { 1 } else { 0 })
}

fn build_tree(dns: &dyn Dns, domain: &str) -> spf_tree::Tree {
    let missing_tree = |status| spf_tree::Tree { domain: domain.trim_end_matches('.').to_string(), status, nodes: Vec::new() };
    let Some((r, _)) = dns.lookup(domain, QType::Txt) else { return missing_tree(spf_tree::Status::Unknown) };
    let values: Vec<Vec<u8>> = r
        .records()
        .iter()
        .filter_map(|x| match x {
            Rdata::Txt(s) => Some(s.concat()),
            _ => None,
        })
        .filter(|v| spf::is_spf(v))
        .collect();
    match (&r, values.len()) {
        (DnsResult::Error(e), _) => missing_tree(spf_tree::Status::Failed(e.clone())),
        (DnsResult::NxDomain, _) => missing_tree(spf_tree::Status::NoRecord { nx: true }),
        (_, 0) => missing_tree(spf_tree::Status::NoRecord { nx: false }),
        (_, 1) => spf_tree::build(dns, domain, &spf::parse(&values[0]), &values[0]),
        (_, n) => missing_tree(spf_tree::Status::Multiple(n)),
    }
}

fn tree_json(t: &spf_tree::Tree) -> serde_json::Value {
    json!({
        "domain": t.domain,
        "status": format!("{:?}", t.status),
        "terms": t.nodes.iter().map(|n| json!({
            "term": n.text,
            "cost": n.cost,
            "void": n.void,
            "mx_names": n.mx_names,
            "resolved": !n.unknown,
            "failed": n.failed,
            "include": n.child.as_ref().map(|c| tree_json(c)),
        })).collect::<Vec<_>>(),
    })
}

/// The evaluator's DNS: workspace zones and zonels.lock first, live queries for the rest.
struct Layered<'a> {
    ws: &'a Workspace,
    zones: &'a [zonels_analysis::model::Zone],
    live: Option<&'a Arc<Live>>,
    rt: &'a tokio::runtime::Runtime,
    answers: &'a mut Answers,
}

impl Resolver for Layered<'_> {
    fn query(&mut self, name: &str, t: QType) -> DnsResult {
        let dns = DnsInputs { snapshot: &self.ws.snapshot, live: self.answers };
        let (known, _) = with_dns(self.zones, &self.ws.sources, dns, |d| d.lookup(name, t));
        if let Some((r, _)) = known {
            return r;
        }
        let Some(live) = self.live else {
            return DnsResult::Error("not in the workspace or zonels.lock, and offline".into());
        };
        let r = self.rt.block_on(live.fetch(name, t)).unwrap_or_else(|| DnsResult::Error("query budget exhausted".into()));
        self.answers.insert(name, t, r.clone(), resolve::now());
        r
    }
}
