//! `zonels audit`: asks the zones' authoritative servers (or the resolver) about the
//! workspace's mail-relevant names, and the configured blocklists about its sending
//! addresses; `zonels_analysis::audit` decides what to ask and compares.
//!
//! Where queries go: the servers named with `--authoritative` (or `[audit]
//! authoritative`); else, with `--resolver`, that server only; else the zone's NS set as
//! the system resolver reports it. Addresses found in zone files are never queried.

use std::net::SocketAddr;
use std::sync::Arc;

use zonels_analysis::audit::{self, AuditAnswers, Listing, Published, ServerAnswer, Target};
use zonels_analysis::diagnostics::Diagnostic;
use zonels_analysis::dns::{DnsResult, QType, Rdata};
use zonels_analysis::name::Name;
use zonels_analysis::rrtype::RrType;

use crate::resolve::{Live, Settings};
use crate::workspace::Workspace;

/// Addresses asked of each blocklist, at most (an SPF record's ranges are expanded).
const MAX_SENDERS_PER_LIST: usize = 256;

#[derive(Clone, Debug, Default)]
pub struct AuditSettings {
    /// The resolver (`server: None` is the system's).
    pub resolver: Settings,
    /// Whether a resolver may be used at all (`--resolver` given, or the system's allowed).
    pub resolver_allowed: bool,
    /// `NAME=ADDR[:PORT]` servers to ask directly.
    pub authoritative: Vec<(Name, SocketAddr)>,
    pub dnsbl: Vec<String>,
    /// Ask the resolver for every answer in zonels.lock and report what changed.
    pub since_lock: bool,
}

impl AuditSettings {
    /// The settings in zonels.toml (`[audit]`, `[resolve]`), each overridden by the
    /// command line or the editor when given there.
    pub fn from_config(
        config: &zonels_analysis::config::Config,
        resolver: Option<String>,
        timeout_ms: Option<u64>,
        authoritative: &[String],
        dnsbl: &[String],
    ) -> Result<AuditSettings, String> {
        let server = resolver.or_else(|| config.resolve.resolver.clone()).map(|s| crate::resolve::parse_server(&s)).transpose()?;
        let mut resolver = Settings { server, ..Default::default() };
        if let Some(ms) = timeout_ms.or(config.resolve.timeout_ms) {
            resolver.timeout = std::time::Duration::from_millis(ms);
        }
        let authoritative = if authoritative.is_empty() { &config.audit.authoritative } else { authoritative };
        let authoritative = authoritative.iter().map(|s| parse_authoritative(s)).collect::<Result<Vec<_>, _>>()?;
        let dnsbl = if dnsbl.is_empty() { config.audit.dnsbl.clone() } else { dnsbl.to_vec() };
        let resolver_allowed = server.is_some() || crate::resolve::system_resolver_allowed();
        if authoritative.is_empty() && !resolver_allowed {
            return Err(format!(
                "no server to ask (the system resolver is disabled: {} is set); pass --resolver or --authoritative, or set `[audit] authoritative` in zonels.toml",
                crate::resolve::NO_SYSTEM_RESOLVER_ENV
            ));
        }
        Ok(AuditSettings { resolver, resolver_allowed, authoritative, dnsbl, since_lock: false })
    }
}

/// Parses `NAME=ADDR[:PORT]`.
pub fn parse_authoritative(s: &str) -> Result<(Name, SocketAddr), String> {
    let (name, addr) = s.split_once('=').ok_or_else(|| format!("`{s}` is not `NAME=ADDR[:PORT]` (e.g. `ns1.example.com=127.0.0.2:53`)"))?;
    let name = Name::parse_absolute(name.trim()).map_err(|e| format!("`{name}` is not a name server name: {e}"))?;
    Ok((name, crate::resolve::parse_server(addr.trim())?))
}

pub struct AuditReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Names and types compared, and the servers asked (for the summary line).
    pub targets: usize,
    pub servers: Vec<String>,
}

/// A server the audit asks, with its own resolver (cache, budget, timeout).
#[derive(Clone)]
struct Server {
    label: String,
    ns_name: Option<Name>,
    live: Arc<Live>,
}

pub fn run(ws: &mut Workspace, settings: &AuditSettings) -> Result<AuditReport, String> {
    let analysis = ws.analyze();
    let zones = &analysis.zones;
    let targets = audit::targets(zones, &ws.sources);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|e| e.to_string())?;
    let senders = if settings.dnsbl.is_empty() { Vec::new() } else { audit::senders(zones, &ws.sources) };
    // Every lookup the audit means to make fits: each target (and, for the resolver, each
    // zonels.lock answer and two per address and list).
    let list_lookups = senders.len().min(MAX_SENDERS_PER_LIST) * settings.dnsbl.len() * 2;
    let budget = settings.resolver.budget.max(targets.len() * 2 + ws.snapshot.entries.len() + list_lookups + 64);
    let resolver =
        if settings.resolver_allowed { Some(Arc::new(Live::new(&Settings { budget, ..settings.resolver.clone() })?)) } else { None };
    let resolver_label = match settings.resolver.server {
        Some(a) => format!("resolver {a}"),
        None => "the system resolver".to_string(),
    };
    let mut lives: Vec<(SocketAddr, Arc<Live>)> = Vec::new();
    let mut live_for = |addr: SocketAddr| -> Result<Arc<Live>, String> {
        if let Some((_, l)) = lives.iter().find(|(a, _)| *a == addr) {
            return Ok(l.clone());
        }
        let l = Arc::new(Live::new(&Settings { server: Some(addr), budget, ..settings.resolver.clone() })?);
        lives.push((addr, l.clone()));
        Ok(l)
    };
    // The servers of each zone.
    let mut servers_of: Vec<Vec<Server>> = Vec::with_capacity(zones.len());
    for zone in zones {
        let ns_set: Vec<Name> = zone
            .records
            .iter()
            .filter(|r| r.rtype == RrType::NS && r.owner == zone.apex)
            .filter_map(|r| zonels_analysis::zone::index::DataTokens::of(r, ws.sources.text(r.file)).name(0, r.origin.as_ref()))
            .collect();
        let servers = if !settings.authoritative.is_empty() {
            let named: Vec<&(Name, SocketAddr)> = settings.authoritative.iter().filter(|(n, _)| ns_set.contains(n)).collect();
            let chosen = if named.is_empty() { settings.authoritative.iter().collect() } else { named };
            chosen
                .into_iter()
                .map(|(n, a)| Ok(Server { label: format!("{} ({a})", n.display_short()), ns_name: Some(n.clone()), live: live_for(*a)? }))
                .collect::<Result<Vec<_>, String>>()?
        } else if let Some(r) = &resolver {
            if settings.resolver.server.is_some() {
                vec![Server { label: resolver_label.clone(), ns_name: None, live: r.clone() }]
            } else {
                // The NS set as the DNS reports it, each server asked directly.
                let found = rt.block_on(r.name_servers(zone.apex.as_str()));
                let mut servers = Vec::new();
                for (n, ip) in found {
                    let addr = SocketAddr::new(ip, 53);
                    let name = Name::parse_absolute(&n).ok();
                    servers.push(Server { label: format!("{} ({addr})", n.trim_end_matches('.')), ns_name: name, live: live_for(addr)? });
                }
                if servers.is_empty() {
                    servers.push(Server { label: resolver_label.clone(), ns_name: None, live: r.clone() });
                }
                servers
            }
        } else {
            return Err("`zonels audit` needs servers to ask: pass --authoritative NAME=ADDR[:PORT] or --resolver ADDR[:PORT]".into());
        };
        servers_of.push(servers);
    }
    let answers = rt.block_on(ask_all(&targets, &servers_of));
    let mut diagnostics = audit::compare(zones, &ws.sources, &answers);
    // The usual rules on what is published: the repository with the drift undone.
    let edits = audit::published_edits(&diagnostics);
    if !edits.is_empty()
        && let Some(published) = ws.analyze_edited(&edits)
    {
        diagnostics.extend(audit::published_findings(&analysis.diagnostics, zones, &published));
    }
    if !settings.dnsbl.is_empty() {
        let Some(resolver) = &resolver else {
            return Err("`--dnsbl` needs a resolver to ask the lists: pass --resolver ADDR[:PORT]".into());
        };
        let listings = rt.block_on(ask_lists(resolver, &senders, &settings.dnsbl));
        diagnostics.extend(audit::listed(&listings));
    }
    if settings.since_lock {
        let Some(resolver) = &resolver else {
            return Err("`--since-lock` needs a resolver to ask: pass --resolver ADDR[:PORT]".into());
        };
        let asked = ws.snapshot.entries.keys().cloned().collect();
        let mut fresh = zonels_analysis::dns::Answers::default();
        rt.block_on(resolver.fetch_all(&asked, &mut fresh, crate::resolve::now()));
        if let Some(lock_file) = ws.sources.find_by_path(&ws.snapshot_path()) {
            diagnostics.extend(audit::lock_changes(&ws.snapshot, &fresh, lock_file, ws.sources.text(lock_file)));
        }
        // The check again with today's answers (and whatever they lead to).
        ws.live = fresh;
        let today = ws.analyze_online(resolver, &rt);
        diagnostics.extend(audit::since_lock_findings(&analysis.diagnostics, &today.diagnostics));
    }
    let mut labels: Vec<String> = servers_of.iter().flatten().map(|s| s.label.clone()).collect();
    labels.sort();
    labels.dedup();
    let mut diagnostics = zonels_analysis::analysis::finish(&ws.sources, diagnostics, &ws.config);
    diagnostics.sort_by(|a, b| (a.file, a.range.start, a.rule.code).cmp(&(b.file, b.range.start, b.rule.code)));
    Ok(AuditReport { diagnostics, targets: targets.len(), servers: labels })
}

fn published(r: Option<Result<Vec<(u32, Rdata)>, DnsResult>>) -> Published {
    match r {
        None => Published::Failed("the query budget is spent".into()),
        Some(Ok(records)) if records.is_empty() => Published::NoData,
        Some(Ok(records)) => Published::Records(records),
        Some(Err(DnsResult::NxDomain)) => Published::NxDomain,
        Some(Err(DnsResult::NoData)) => Published::NoData,
        Some(Err(DnsResult::Error(e))) => Published::Failed(e),
        Some(Err(DnsResult::Records(_))) => Published::Failed("an unexpected answer".into()),
    }
}

/// Every target of every zone, asked of each of the zone's servers, concurrently.
async fn ask_all(targets: &[Target], servers_of: &[Vec<Server>]) -> AuditAnswers {
    let mut tasks = tokio::task::JoinSet::new();
    for (ti, t) in targets.iter().enumerate() {
        for (si, s) in servers_of[t.zone].iter().enumerate() {
            let (live, name, qtype) = (s.live.clone(), t.name.to_string(), t.qtype);
            tasks.spawn(async move { (ti, si, published(live.fetch_with_ttl(&name, qtype).await)) });
        }
    }
    let mut results: Vec<Vec<Option<Published>>> = targets.iter().map(|t| vec![None; servers_of[t.zone].len()]).collect();
    while let Some(done) = tasks.join_next().await {
        if let Ok((ti, si, p)) = done {
            results[ti][si] = Some(p);
        }
    }
    let mut out = AuditAnswers::new();
    for (t, by_server) in targets.iter().zip(results) {
        let answers = by_server
            .into_iter()
            .zip(&servers_of[t.zone])
            .map(|(p, s)| ServerAnswer {
                server: s.label.clone(),
                ns_name: s.ns_name.clone(),
                result: p.unwrap_or_else(|| Published::Failed("the query was cancelled".into())),
            })
            .collect();
        out.insert(t.clone(), answers);
    }
    out
}

/// Asks each list about each sender (RFC 5782 §2.1), and for its TXT reason when listed.
async fn ask_lists<'a>(resolver: &Arc<Live>, senders: &'a [audit::Sender], lists: &[String]) -> Vec<Listing<'a>> {
    if senders.len() > MAX_SENDERS_PER_LIST {
        eprintln!("zonels: {} sending addresses; each list is asked about the first {MAX_SENDERS_PER_LIST} only", senders.len());
    }
    let senders = &senders[..senders.len().min(MAX_SENDERS_PER_LIST)];
    let mut tasks = tokio::task::JoinSet::new();
    for (i, s) in senders.iter().enumerate() {
        for list in lists {
            let (live, name, list) = (resolver.clone(), audit::dnsbl_name(s.addr, list), list.clone());
            tasks.spawn(async move {
                let (codes, failed): (Vec<std::net::Ipv4Addr>, _) = match live.fetch(&name, QType::A).await {
                    Some(DnsResult::Records(rs)) => (
                        rs.into_iter()
                            .filter_map(|r| match r {
                                Rdata::A(a) => Some(a),
                                _ => None,
                            })
                            .collect(),
                        None,
                    ),
                    Some(DnsResult::NxDomain | DnsResult::NoData) => (Vec::new(), None),
                    Some(DnsResult::Error(e)) => (Vec::new(), Some(e)),
                    None => (Vec::new(), Some("the query budget is spent".to_string())),
                };
                let reason = if codes.is_empty() {
                    None
                } else {
                    match live.fetch(&name, QType::Txt).await {
                        Some(DnsResult::Records(rs)) => rs.iter().find_map(|r| match r {
                            Rdata::Txt(strings) => Some(String::from_utf8_lossy(&strings.concat()).into_owned()),
                            _ => None,
                        }),
                        _ => None,
                    }
                };
                (i, list, codes, reason, failed)
            });
        }
    }
    let mut out = Vec::new();
    while let Some(done) = tasks.join_next().await {
        if let Ok((i, list, codes, reason, failed)) = done {
            out.push(Listing { sender: &senders[i], list, codes, reason, failed });
        }
    }
    out.sort_by(|a, b| (a.sender.file, a.sender.range.start, &a.list).cmp(&(b.sender.file, b.sender.range.start, &b.list)));
    out
}
