//! Live DNS for the checks: hickory-resolver against the system's resolvers or a given
//! server, with timeouts, one retry, TCP fallback on truncation, a TTL-respecting cache,
//! bounded concurrency and a query budget per check. The analysis asks for names; this
//! fetches them.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Label, Name, RData, RecordType};
use tokio::sync::Semaphore;
use zonels_analysis::dns::{Answers, DnsResult, QType, Rdata};

/// Where and how to query.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `None`: the system's resolvers (`/etc/resolv.conf`).
    pub server: Option<SocketAddr>,
    pub timeout: Duration,
    /// Queries allowed per check (each name and type counts once).
    pub budget: usize,
    pub concurrency: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { server: None, timeout: Duration::from_millis(2000), budget: 500, concurrency: 16 }
    }
}

/// Parses `ADDR[:PORT]` (port 53 when absent; `[v6]:port` for IPv6 with a port).
pub fn parse_server(s: &str) -> Result<SocketAddr, String> {
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Ok(sa);
    }
    s.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| format!("`{s}` is not an address: use `ADDR` or `ADDR:PORT`, e.g. `127.0.0.1:5353`"))
}

/// Set by the test harness so that no test can reach the system's resolvers: without
/// an explicit `--resolver`, checks then stay offline.
pub const NO_SYSTEM_RESOLVER_ENV: &str = "ZONELS_NO_SYSTEM_RESOLVER";

pub fn system_resolver_allowed() -> bool {
    std::env::var_os(NO_SYSTEM_RESOLVER_ENV).is_none_or(|v| v.is_empty() || v == "0")
}

pub struct Live {
    resolver: TokioResolver,
    limit: Arc<Semaphore>,
    used: AtomicUsize,
    budget: usize,
}

impl Live {
    pub fn new(settings: &Settings) -> Result<Live, String> {
        let mut opts = ResolverOpts::default();
        opts.timeout = settings.timeout;
        // One retry after the first attempt.
        opts.attempts = 2;
        opts.ndots = 0;
        opts.try_tcp_on_error = true;
        opts.cache_size = 4096;
        let resolver = match settings.server {
            Some(addr) => {
                let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
                for c in &mut ns.connections {
                    c.port = addr.port();
                }
                let config = ResolverConfig::from_name_servers(vec![ns]);
                let mut b = TokioResolver::builder_with_config(config, TokioRuntimeProvider::default());
                *b.options_mut() = opts;
                b.build().map_err(|e| format!("cannot set up the resolver: {e}"))?
            }
            None => {
                if !system_resolver_allowed() {
                    return Err(format!("the system resolver is disabled ({NO_SYSTEM_RESOLVER_ENV} is set); pass --resolver or --offline"));
                }
                let mut b = TokioResolver::builder_tokio().map_err(|e| format!("cannot read the system's resolver configuration: {e}"))?;
                let keep_attempts = opts.clone();
                *b.options_mut() = keep_attempts;
                b.build().map_err(|e| format!("cannot set up the resolver: {e}"))?
            }
        };
        Ok(Live {
            resolver,
            limit: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            used: AtomicUsize::new(0),
            budget: settings.budget,
        })
    }

    /// Queries used so far.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// One query; `None` when the budget is spent.
    pub async fn fetch(&self, name: &str, t: QType) -> Option<DnsResult> {
        Some(match self.fetch_with_ttl(name, t).await? {
            Ok(records) if records.is_empty() => DnsResult::NoData,
            Ok(records) => DnsResult::Records(records.into_iter().map(|(_, r)| r).collect()),
            Err(e) => e,
        })
    }

    /// One query, keeping each record's TTL; `Err` holds NXDOMAIN, NODATA or the
    /// failure. `None` when the budget is spent.
    pub async fn fetch_with_ttl(&self, name: &str, t: QType) -> Option<Result<Vec<(u32, Rdata)>, DnsResult>> {
        if self.used.fetch_add(1, Ordering::Relaxed) >= self.budget {
            return None;
        }
        let _permit = self.limit.acquire().await.ok()?;
        // Labels may hold any octet (`a:foo:bar/baz.example.com` is a valid SPF target):
        // build the name from raw labels rather than parsing host-name syntax.
        let labels: Vec<Label> = match name.trim_end_matches('.').split('.').map(|l| Label::from_raw_bytes(l.as_bytes())).collect() {
            Ok(l) => l,
            Err(e) => return Some(Err(DnsResult::Error(format!("`{name}` cannot be queried: {e}")))),
        };
        let fqdn = match Name::from_labels(labels) {
            Ok(mut n) => {
                n.set_fqdn(true);
                n
            }
            Err(e) => return Some(Err(DnsResult::Error(format!("`{name}` cannot be queried: {e}")))),
        };
        let rtype = match t {
            QType::A => RecordType::A,
            QType::Aaaa => RecordType::AAAA,
            QType::Mx => RecordType::MX,
            QType::Txt => RecordType::TXT,
            QType::Ptr => RecordType::PTR,
        };
        Some(match self.resolver.lookup(fqdn.clone(), rtype).await {
            Ok(lookup) => {
                let answers = lookup.answers();
                let owners = answer_owners(&fqdn, answers);
                Ok(answers
                    .iter()
                    .filter(|r| owners.contains(&r.name))
                    .filter_map(|r| Some((r.ttl, convert(&r.data)?)))
                    .filter(|(_, r)| matches_type(r, t))
                    .collect())
            }
            Err(e) => Err(error_result(&e)),
        })
    }

    /// The name servers of `zone` and their addresses, as this resolver reports them
    /// (NS, then A and AAAA of each); empty when the lookup fails.
    pub async fn name_servers(&self, zone: &str) -> Vec<(String, IpAddr)> {
        let Ok(ns) = self.resolver.lookup(zone, RecordType::NS).await else { return Vec::new() };
        let names: Vec<String> = ns
            .answers()
            .iter()
            .filter_map(|r| match &r.data {
                RData::NS(n) => Some(n.0.to_string()),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for n in names {
            if self.used.fetch_add(1, Ordering::Relaxed) >= self.budget {
                break;
            }
            if let Ok(ips) = self.resolver.lookup_ip(n.as_str()).await {
                out.extend(ips.iter().map(|ip| (n.clone(), ip)));
            }
        }
        out
    }

    /// Fetches every missing lookup concurrently, into `live`. Returns how many were
    /// fetched (fewer than asked when the budget ran out).
    pub async fn fetch_all(self: &Arc<Self>, missing: &BTreeSet<(String, QType)>, live: &mut Answers, now: u64) -> usize {
        let mut tasks = tokio::task::JoinSet::new();
        for (name, t) in missing.iter().cloned() {
            let me = self.clone();
            tasks.spawn(async move {
                let r = me.fetch(&name, t).await;
                (name, t, r)
            });
        }
        let mut fetched = 0;
        while let Some(done) = tasks.join_next().await {
            if let Ok((name, t, Some(r))) = done {
                live.insert(&name, t, r, now);
                fetched += 1;
            }
        }
        fetched
    }
}

/// The names an answer may speak for: the queried name and the CNAME chain from it
/// (within the answer). Records for any other name are not trusted.
fn answer_owners(qname: &Name, answers: &[hickory_resolver::proto::rr::Record]) -> Vec<Name> {
    let mut owners = vec![qname.clone()];
    // Each round follows one more link; a chain is never longer than the answer.
    for _ in 0..answers.len() {
        let next = answers.iter().find_map(|r| match &r.data {
            RData::CNAME(c) if owners.contains(&r.name) && !owners.contains(&c.0) => Some(c.0.clone()),
            _ => None,
        });
        match next {
            Some(n) => owners.push(n),
            None => break,
        }
    }
    owners
}

fn matches_type(r: &Rdata, t: QType) -> bool {
    matches!(
        (r, t),
        (Rdata::A(_), QType::A)
            | (Rdata::Aaaa(_), QType::Aaaa)
            | (Rdata::Mx(..), QType::Mx)
            | (Rdata::Txt(_), QType::Txt)
            | (Rdata::Ptr(_), QType::Ptr)
    )
}

fn convert(d: &RData) -> Option<Rdata> {
    Some(match d {
        RData::A(a) => Rdata::A(a.0),
        RData::AAAA(a) => Rdata::Aaaa(a.0),
        RData::MX(mx) => Rdata::Mx(mx.preference, raw_name(&mx.exchange)),
        RData::TXT(txt) => Rdata::Txt(txt.txt_data.iter().map(|s| s.to_vec()).collect()),
        RData::PTR(p) => Rdata::Ptr(raw_name(&p.0)),
        _ => return None,
    })
}

/// A name as its raw labels joined by dots (no presentation escapes), the form the
/// SPF evaluator queries again.
fn raw_name(n: &Name) -> String {
    let mut s = n.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect::<Vec<_>>().join(".");
    s.push('.');
    s
}

fn error_result(e: &NetError) -> DnsResult {
    match e {
        NetError::Dns(DnsError::NoRecordsFound(nr)) => {
            if nr.response_code == ResponseCode::NXDomain {
                DnsResult::NxDomain
            } else {
                DnsResult::NoData
            }
        }
        NetError::Dns(DnsError::ResponseCode(ResponseCode::NXDomain)) => DnsResult::NxDomain,
        NetError::Dns(DnsError::ResponseCode(code)) => DnsResult::Error(format!("{code}")),
        NetError::Timeout => DnsResult::Error("timed out".into()),
        NetError::Proto(e) => DnsResult::Error(format!("malformed answer: {e}")),
        other => DnsResult::Error(other.to_string()),
    }
}

/// Seconds since the epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use hickory_resolver::proto::rr::Record;
    use hickory_resolver::proto::rr::rdata::{CNAME, TXT};

    use super::*;

    fn name(s: &str) -> Name {
        Name::from_ascii(s).unwrap()
    }

    #[test]
    fn only_the_queried_name_and_its_cname_chain_are_trusted() {
        let txt = |n: &str| Record::from_rdata(name(n), 60, RData::TXT(TXT::new(vec!["v=spf1 +all".into()])));
        let cname = |n: &str, t: &str| Record::from_rdata(name(n), 60, RData::CNAME(CNAME(name(t))));
        let answers = vec![
            txt("victim.example."),
            cname("b.example.", "c.example."),
            cname("a.example.", "b.example."),
            txt("c.example."),
            cname("c.example.", "a.example."),
        ];
        let owners = answer_owners(&name("A.example."), &answers);
        assert_eq!(owners, vec![name("a.example."), name("b.example."), name("c.example.")]);
        assert!(!owners.contains(&name("victim.example.")));
        assert_eq!(answer_owners(&name("other.example."), &answers), vec![name("other.example.")]);
    }
}
