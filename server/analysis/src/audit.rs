//! `zonels audit`: the repository against the published DNS. This module decides which
//! names and types to ask about, and compares the answers with the workspace's
//! records; the IO layer asks the servers. Findings are `drift/*` and
//! `mail/listed-sender`.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use crate::diagnostics::{Diagnostic, Edit, FileId, Fix};
use crate::dns::{QType, Rdata};
use crate::mail::value::{TxtValue, render_strings};
use crate::mail::{Kind, classify};
use crate::model::{Format, Record, Zone};
use crate::name::Name;
use crate::records::spf::{Mechanism, Modifier};
use crate::rrtype::RrType;
use crate::rules::drift;
use crate::source::SourceDb;
use crate::text::TextRange;

/// One name and type the audit asks about, for one zone of the workspace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub zone: usize,
    pub name: Name,
    pub qtype: QType,
}

/// What one server said about a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Published {
    /// Records with their TTLs.
    Records(Vec<(u32, Rdata)>),
    NoData,
    NxDomain,
    /// No usable answer: timeout, SERVFAIL, REFUSED, a malformed message, no budget left.
    Failed(String),
}

/// A server's answer, with the server it came from.
#[derive(Clone, Debug)]
pub struct ServerAnswer {
    /// How the server is shown: `ns1.example.com (127.0.0.2:53)`, or `resolver 127.0.0.1:53`.
    pub server: String,
    /// Its name when it is one of the zone's name servers (the NS record it is found at).
    pub ns_name: Option<Name>,
    pub result: Published,
}

/// Answers per target, servers in the order they were asked.
pub type AuditAnswers = BTreeMap<Target, Vec<ServerAnswer>>;

/// Names at the apex that carry mail policy even when the repository has nothing there.
const APEX_NAMES: &[&str] = &["_dmarc", "_mta-sts", "_smtp._tls", "default._bimi"];

/// Every mail-relevant name and type of the workspace's zones: the apex's TXT and MX,
/// the standard policy names under it, every name with a mail-authentication TXT
/// record or an MX record, and the SPF `include:`/`redirect=` targets inside the zone.
/// Names the repository holds a CNAME at are left out (the alias's target decides).
pub fn targets(zones: &[Zone], sources: &SourceDb) -> Vec<Target> {
    let mut out = BTreeSet::new();
    for (zi, zone) in zones.iter().enumerate() {
        if zone.apex.is_root() {
            continue;
        }
        let mut names: BTreeSet<(Name, QType)> = BTreeSet::new();
        names.insert((zone.apex.clone(), QType::Txt));
        names.insert((zone.apex.clone(), QType::Mx));
        for label in APEX_NAMES {
            if let Ok(n) = zone.apex.prepend(label) {
                names.insert((n, QType::Txt));
            }
        }
        let mut aliases = BTreeSet::new();
        for r in zone.records.iter().filter(|r| !r.bad_rdata && r.owner.is_in(&zone.apex)) {
            match r.rtype {
                RrType::CNAME => {
                    aliases.insert(r.owner.clone());
                }
                RrType::MX => {
                    names.insert((r.owner.clone(), QType::Mx));
                }
                RrType::TXT => {
                    let value = TxtValue::of_record(r, sources);
                    let kind = classify(&r.owner, value.bytes());
                    if kind.is_mail_auth() {
                        names.insert((r.owner.clone(), QType::Txt));
                    }
                    if let Kind::Spf(s) = &kind {
                        let targets = s.terms.iter().filter_map(|t| match (t.mechanism(), t.modifier()) {
                            (Some(Mechanism::Include(d)), _) | (_, Some(Modifier::Redirect(d))) => d.literal_name(),
                            _ => None,
                        });
                        for t in targets {
                            if let Ok(n) = Name::parse_absolute(&t)
                                && n.is_in(&zone.apex)
                            {
                                names.insert((n, QType::Txt));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for (name, qtype) in names {
            if !aliases.contains(&name) {
                out.insert(Target { zone: zi, name, qtype });
            }
        }
    }
    out.into_iter().collect()
}

/// A record's data reduced to what the comparison looks at: TXT strings joined (what
/// SPF, DKIM and DMARC read), names lower-cased and absolute.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Txt(Vec<u8>),
    Mx(u16, String),
    Other(String),
}

impl Value {
    fn of(r: &Rdata) -> Value {
        match r {
            Rdata::Txt(strings) => Value::Txt(strings.concat()),
            Rdata::Mx(p, n) => Value::Mx(*p, crate::dns::key(n)),
            other => Value::Other(other.to_text()),
        }
    }

    fn show(&self) -> String {
        match self {
            Value::Txt(b) => {
                let s = render_strings(b);
                // Keys run to hundreds of characters: the message shows the start.
                if s.chars().count() > 160 { format!("{}… ({} bytes)", s.chars().take(150).collect::<String>(), b.len()) } else { s }
            }
            Value::Mx(p, n) => format!("{p} {n}"),
            Value::Other(s) => s.clone(),
        }
    }

    /// What a TXT value is, so that a changed SPF record pairs with the published SPF
    /// record and not with a verification token next to it.
    fn kind(&self, owner: &Name) -> &'static str {
        match self {
            Value::Txt(b) => match classify(owner, b) {
                Kind::Spf(_) | Kind::BrokenSpf => "spf",
                Kind::Dkim(_) => "dkim",
                Kind::Dmarc(_) => "dmarc",
                Kind::MtaSts => "mta-sts",
                Kind::TlsRpt => "tls-rpt",
                Kind::Bimi => "bimi",
                Kind::Other => "other",
            },
            Value::Mx(..) => "mx",
            Value::Other(_) => "other",
        }
    }
}

fn show_answer(p: &Published) -> String {
    match p {
        Published::Records(rs) => {
            let mut vals: Vec<String> = rs.iter().map(|(_, r)| Value::of(r).show()).collect();
            vals.sort();
            vals.join(", ")
        }
        Published::NoData => "no records of the type".into(),
        Published::NxDomain => "NXDOMAIN".into(),
        Published::Failed(e) => format!("no answer ({e})"),
    }
}

/// Where a finding about `name` in `zone` goes: the repository record at the name of
/// that type, or any record at the name, or the zone's SOA, or its first record.
pub fn anchor(zone: &Zone, name: &Name, t: RrType) -> (FileId, TextRange, Option<u32>) {
    let at = |r: &Record| (r.file, r.owner_range(), Some(r.span.start));
    zone.records
        .iter()
        .find(|r| &r.owner == name && r.rtype == t)
        .or_else(|| zone.records.iter().find(|r| &r.owner == name))
        .or_else(|| zone.records.iter().find(|r| r.rtype == RrType::SOA))
        .or_else(|| zone.records.iter().find(|r| r.file == zone.file))
        .map_or((zone.file, TextRange::new(0, 0), None), at)
}

fn diag_at(rule: &'static crate::rules::Rule, place: (FileId, TextRange, Option<u32>), msg: String) -> Diagnostic {
    let d = Diagnostic::new(rule, place.0, place.1, msg);
    match place.2 {
        Some(start) => d.for_record(start),
        None => d,
    }
}

fn type_name(t: QType) -> &'static str {
    match t {
        QType::Txt => "TXT",
        QType::Mx => "MX",
        QType::A => "A",
        QType::Aaaa => "AAAA",
        QType::Ptr => "PTR",
    }
}

/// Compares the published answers with the repository. Servers that failed are
/// reported once per zone; names the servers disagree about are reported, and the
/// first server that answered is the one the repository is compared with.
pub fn compare(zones: &[Zone], sources: &SourceDb, answers: &AuditAnswers) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // (zone, server) → (ns name, first failure).
    let mut failures: BTreeMap<(usize, String), (Option<Name>, String, &Target)> = BTreeMap::new();
    for (target, by_server) in answers {
        let zone = &zones[target.zone];
        let rtype = target.qtype.rr_type();
        for a in by_server {
            if let Published::Failed(e) = &a.result {
                failures.entry((target.zone, a.server.clone())).or_insert_with(|| (a.ns_name.clone(), e.clone(), target));
            }
        }
        let answered: Vec<&ServerAnswer> = by_server.iter().filter(|a| !matches!(a.result, Published::Failed(_))).collect();
        let Some(reference) = answered.first() else { continue };
        let place = anchor(zone, &target.name, rtype);
        let what = format!("`{} {}`", type_name(target.qtype), target.name.display_short());
        let set = |p: &Published| -> BTreeSet<Value> {
            match p {
                Published::Records(rs) => rs.iter().map(|(_, r)| Value::of(r)).collect(),
                _ => BTreeSet::new(),
            }
        };
        if answered.iter().any(|a| set(&a.result) != set(&reference.result)) {
            let each: Vec<String> = answered.iter().map(|a| format!("{} serves {}", a.server, show_answer(&a.result))).collect();
            out.push(diag_at(
                &drift::nameservers_disagree::RULE,
                place,
                format!(
                    "the authoritative servers disagree about {what}: {}; receivers see one or the other (compared with the repository: {})",
                    each.join("; "),
                    reference.server
                ),
            ));
        }
        compare_one(zone, sources, target, reference, &mut out);
    }
    for ((zi, server), (ns_name, err, target)) in failures {
        let zone = &zones[zi];
        let place = ns_name
            .as_ref()
            .and_then(|ns| {
                zone.records.iter().find(|r| {
                    r.rtype == RrType::NS
                        && r.owner == zone.apex
                        && crate::zone::index::DataTokens::of(r, sources.text(r.file)).name(0, r.origin.as_ref()).as_ref() == Some(ns)
                })
            })
            .map(|r| (r.file, r.span, Some(r.span.start)))
            .unwrap_or_else(|| anchor(zone, &zone.apex, RrType::SOA));
        out.push(diag_at(
            &drift::query_failed::RULE,
            place,
            format!(
                "{server} did not answer for {}: {err} (first for `{} {}`); what it serves was not compared",
                zone.apex.display_short(),
                type_name(target.qtype),
                target.name.display_short()
            ),
        ));
    }
    out
}

/// The repository's records for one target against one server's answer.
fn compare_one(zone: &Zone, sources: &SourceDb, target: &Target, answer: &ServerAnswer, out: &mut Vec<Diagnostic>) {
    let rtype = target.qtype.rr_type();
    let repo: Vec<(&Record, Value)> = zone
        .records
        .iter()
        .filter(|r| r.owner == target.name && r.rtype == rtype && !r.bad_rdata)
        .filter_map(|r| Some((r, Value::of(&crate::dns::record_rdata(r, sources.text(r.file), target.qtype)?))))
        .collect();
    let published: Vec<(u32, Value)> = match &answer.result {
        Published::Records(rs) => rs.iter().map(|(ttl, r)| (*ttl, Value::of(r))).collect(),
        _ => Vec::new(),
    };
    let what = format!("`{} {}`", type_name(target.qtype), target.name.display_short());
    let server = &answer.server;
    // Same data: only the TTL can differ.
    let mut repo_left = Vec::new();
    let mut pub_used = vec![false; published.len()];
    for (r, v) in repo {
        match published.iter().enumerate().position(|(i, (_, p))| !pub_used[i] && p == &v) {
            Some(i) => {
                pub_used[i] = true;
                let ttl = published[i].0;
                if ttl != r.ttl {
                    out.push(
                        Diagnostic::new(
                            &drift::ttl::RULE,
                            r.file,
                            r.ttl_span.get().unwrap_or_else(|| r.owner_range()),
                            format!("{what} is published with TTL {ttl} by {server}; the repository has {}", r.ttl),
                        )
                        .for_record(r.span.start)
                        .with_fix(Fix::safe(format!("Set the TTL to the published {ttl}"), set_ttl(r, ttl))),
                    );
                }
            }
            None => repo_left.push((r, v)),
        }
    }
    let mut pub_left: Vec<(u32, Value)> = published.into_iter().zip(pub_used).filter(|(_, used)| !used).map(|(p, _)| p).collect();
    // Different data of the same kind: changed.
    let mut missing = Vec::new();
    for (r, v) in repo_left {
        let kind = v.kind(&target.name);
        match pub_left.iter().position(|(_, p)| p.kind(&target.name) == kind) {
            Some(i) => {
                let (_, p) = pub_left.remove(i);
                let value = TxtValue::of_record(r, sources);
                let range = if target.qtype == QType::Txt { value.whole() } else { r.rdata_range() };
                out.push(
                    Diagnostic::new(
                        &drift::changed::RULE,
                        r.file,
                        range,
                        format!("{what} differs from what {server} serves: published {}, the repository has {}", p.show(), v.show()),
                    )
                    .for_record(r.span.start)
                    .with_fix(Fix::unsafe_("Take the published value into the repository", replace_data(r, sources, &value, &p))),
                );
            }
            None => missing.push((r, v)),
        }
    }
    for (r, v) in missing {
        let why = match &answer.result {
            Published::Records(_) => "it serves other records".to_string(),
            other => format!("it answers {}", show_answer(other)),
        };
        out.push(
            Diagnostic::new(
                &drift::missing::RULE,
                r.file,
                r.owner_range(),
                format!("{what} {} is in the repository but {server} does not serve it ({why})", v.show()),
            )
            .for_record(r.span.start)
            .with_fix(Fix::unsafe_("Remove the record from the repository (it is not published)", delete_record(r, sources))),
        );
    }
    for (ttl, p) in pub_left {
        out.push(
            diag_at(
                &drift::unexpected::RULE,
                anchor(zone, &target.name, rtype),
                format!("{server} serves {what} {} (TTL {ttl}), which is not in the repository", p.show()),
            )
            .with_fix(Fix::unsafe_("Add the published record to the repository", add_record(zone, sources, &target.name, &p))),
        );
    }
}

/// Edits giving a record another TTL, where the file's syntax allows it.
fn set_ttl(r: &Record, ttl: u32) -> Vec<Edit> {
    match r.ttl_span.get() {
        Some(span) => vec![Edit::replace(r.file, span, ttl.to_string())],
        // A zone-file record without its own TTL: `owner IN 300 TXT …` is valid.
        None if r.is_zone_text() => vec![Edit::insert(r.file, r.type_span.start, format!("{ttl} "))],
        None => Vec::new(),
    }
}

fn replace_data(r: &Record, sources: &SourceDb, value: &TxtValue, new: &Value) -> Vec<Edit> {
    match new {
        Value::Txt(bytes) => value.rewrite(sources.text(r.file), bytes),
        Value::Mx(p, n) if r.is_zone_text() => vec![Edit::replace(r.file, r.rdata_range(), format!("{p} {n}"))],
        _ => Vec::new(),
    }
}

/// Deletes a zone-file record and its line(s); not offered when the next record
/// inherits this one's owner, or in host formats.
fn delete_record(r: &Record, sources: &SourceDb) -> Vec<Edit> {
    if !r.is_zone_text() {
        return Vec::new();
    }
    let text = sources.text(r.file);
    let start = text[..r.span.start as usize].rfind('\n').map_or(0, |i| i + 1);
    if !text[start..r.span.start as usize].trim().is_empty() {
        return Vec::new();
    }
    let end = text[r.span.end as usize..].find('\n').map_or(text.len(), |i| r.span.end as usize + i + 1);
    let next_inherits = text[end..].starts_with([' ', '\t']) && r.owner_span.is_some();
    if next_inherits {
        return Vec::new();
    }
    vec![Edit::replace(r.file, TextRange::new(start as u32, end as u32), String::new())]
}

fn add_record(zone: &Zone, sources: &SourceDb, name: &Name, v: &Value) -> Vec<Edit> {
    match v {
        Value::Txt(bytes) => crate::mail::value::insert_record(zone, sources, name, "TXT", bytes).into_iter().collect(),
        Value::Mx(p, n) if zone.format == Format::Bind => {
            let text = sources.text(zone.file);
            let prefix = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
            vec![Edit::insert(zone.file, text.len() as u32, format!("{prefix}{name}\tIN\tMX\t{p} {n}\n"))]
        }
        _ => Vec::new(),
    }
}

/// The rule families whose findings depend on the mail records' content.
const MAIL_FAMILIES: &[&str] = &["spf", "dkim", "dmarc", "mail", "txt"];

/// The drift fixes that turn the repository into what is published (a changed record
/// takes the published value, a missing one goes, an unexpected one is added).
pub fn published_edits(drift: &[Diagnostic]) -> Vec<Edit> {
    let codes = [drift::changed::RULE.code, drift::missing::RULE.code, drift::unexpected::RULE.code];
    drift.iter().filter(|d| codes.contains(&d.code())).filter_map(|d| d.fixes.first()).flat_map(|f| f.edits.iter().cloned()).collect()
}

/// Findings the usual mail rules make about the published records and not about the
/// repository's: `published` is the analysis of the repository with
/// [`published_edits`] applied. Each is moved to the repository record at the same
/// name (the published text has no place in the repository) and says it is about the
/// published DNS.
pub fn published_findings(repo: &[Diagnostic], repo_zones: &[Zone], published: &crate::analysis::Analysis) -> Vec<Diagnostic> {
    let mut known: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in repo {
        *known.entry((d.code(), &*d.message)).or_default() += 1;
    }
    let mut out = Vec::new();
    for d in &published.diagnostics {
        if d.severity == crate::diagnostics::Severity::Info || !MAIL_FAMILIES.contains(&d.rule.family()) {
            continue;
        }
        if let Some(n) = known.get_mut(&(d.code(), &*d.message))
            && *n > 0
        {
            *n -= 1;
            continue;
        }
        let at = d.record_start.unwrap_or(d.range.start);
        let record = published
            .zones
            .iter()
            .flat_map(|z| z.records.iter().map(move |r| (z, r)))
            .find(|(_, r)| r.file == d.file && (r.span.start == at || (r.span.start <= d.range.start && d.range.end <= r.span.end)));
        let Some((zone, record)) = record else { continue };
        let Some(repo_zone) = repo_zones.iter().find(|z| z.apex == zone.apex && z.file == zone.file) else { continue };
        let mut moved = diag_at(
            d.rule,
            anchor(repo_zone, &record.owner, record.rtype),
            format!("in the published DNS (not in the repository): {}", d.message),
        );
        moved.severity = d.severity;
        out.push(moved);
    }
    out
}

/// `drift/upstream-changed`: answers in `zonels.lock` (file `lock_file`, text
/// `lock_text`) that `fresh` answers differently.
pub fn lock_changes(lock: &crate::dns::Answers, fresh: &crate::dns::Answers, lock_file: FileId, lock_text: &str) -> Vec<Diagnostic> {
    let show = |r: &crate::dns::DnsResult| -> (Vec<String>, String) {
        let mut texts: Vec<String> = r.records().iter().map(|d| d.to_text()).collect();
        texts.sort();
        let shown = match r {
            crate::dns::DnsResult::Records(_) => texts.join(", "),
            other => other.rcode().to_string(),
        };
        (texts, shown)
    };
    let mut out = Vec::new();
    for ((name, t), then) in &lock.entries {
        let Some(now) = fresh.entries.get(&(name.clone(), *t)) else { continue };
        let (a, was) = show(&then.result);
        let (b, is) = show(&now.result);
        if a == b && then.result.rcode() == now.result.rcode() {
            continue;
        }
        if matches!(now.result, crate::dns::DnsResult::Error(_)) {
            continue; // a failed lookup says nothing about a change
        }
        // The entry's `name = "…"` line.
        let needle = format!("name = \"{name}\"");
        let range = lock_text
            .match_indices(&needle)
            .find(|(i, _)| lock_text[*i..].lines().take(3).any(|l| l.trim() == format!("type = \"{t}\"")))
            .map_or(TextRange::new(0, 0), |(i, m)| TextRange::new(i as u32, (i + m.len()) as u32));
        out.push(Diagnostic::new(
            &drift::upstream_changed::RULE,
            lock_file,
            range,
            format!(
                "`{t} {}` has changed since zonels.lock was written: it was {was}, it is now {is}; run `zonels lock` to take the new answer",
                name.trim_end_matches('.')
            ),
        ));
    }
    out
}

/// Findings a check with today's answers makes that the check with `zonels.lock` did
/// not: what an upstream change does to the workspace's records.
pub fn since_lock_findings(with_lock: &[Diagnostic], with_today: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut known: BTreeMap<(&str, TextRange, &str), usize> = BTreeMap::new();
    for d in with_lock {
        *known.entry((d.code(), d.range, &*d.message)).or_default() += 1;
    }
    let mut out = Vec::new();
    for d in with_today {
        if d.severity == crate::diagnostics::Severity::Info || !MAIL_FAMILIES.contains(&d.rule.family()) {
            continue;
        }
        if let Some(n) = known.get_mut(&(d.code(), d.range, &*d.message))
            && *n > 0
        {
            *n -= 1;
            continue;
        }
        let mut moved = d.clone();
        moved.message = format!("with today's DNS answers (zonels.lock is out of date): {}", d.message).into();
        out.push(moved);
    }
    out
}

/// An address the workspace lets send mail, and where it says so.
#[derive(Clone, Debug)]
pub struct Sender {
    pub addr: IpAddr,
    pub file: FileId,
    pub range: TextRange,
    pub record_start: u32,
    /// `ip4:192.0.2.8/29`, or `the address of MX host mx1.example.com`.
    pub why: String,
}

/// Largest SPF range whose addresses are looked up one by one (16 addresses).
const MAX_RANGE_V4: u8 = 28;

/// The addresses SPF `ip4:`/`ip6:` terms authorise (single addresses and ranges of up to
/// 16), and the addresses of the workspace's MX hosts. Larger ranges are skipped: a
/// blocklist is asked about addresses, not networks.
pub fn senders(zones: &[Zone], sources: &SourceDb) -> Vec<Sender> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for zone in zones {
        for r in zone.records.iter().filter(|r| r.rtype == RrType::TXT && !r.bad_rdata) {
            let value = TxtValue::of_record(r, sources);
            let Kind::Spf(spf) = classify(&r.owner, value.bytes()) else { continue };
            for t in &spf.terms {
                let text =
                    crate::util::lossy(value.bytes().get(t.range.start as usize..t.range.end as usize).unwrap_or_default()).into_owned();
                let addrs: Vec<IpAddr> = match t.mechanism() {
                    Some(Mechanism::Ip4 { addr, prefix }) => {
                        let p = prefix.unwrap_or(32);
                        if p < MAX_RANGE_V4 {
                            continue;
                        }
                        let base = u32::from(*addr) & (u32::MAX.checked_shl(32 - u32::from(p)).unwrap_or(0));
                        (0..(1u32 << (32 - p))).map(|i| IpAddr::V4((base + i).into())).collect()
                    }
                    Some(Mechanism::Ip6 { addr, prefix }) if prefix.is_none_or(|p| p == 128) => vec![IpAddr::V6(*addr)],
                    _ => continue,
                };
                for addr in addrs {
                    if seen.insert((addr, r.file, t.range.start)) {
                        out.push(Sender {
                            addr,
                            file: r.file,
                            range: value.src(t.range.clone()),
                            record_start: r.span.start,
                            why: format!("`{text}`"),
                        });
                    }
                }
            }
        }
        for r in zone.records.iter().filter(|r| r.rtype == RrType::MX && !r.bad_rdata) {
            let Some(Rdata::Mx(_, host)) = crate::dns::record_rdata(r, sources.text(r.file), QType::Mx) else { continue };
            let Ok(host) = Name::parse_absolute(&host) else { continue };
            for z in zones {
                for a in z.records.iter().filter(|a| a.owner == host && matches!(a.rtype, RrType::A | RrType::AAAA) && !a.bad_rdata) {
                    let t = if a.rtype == RrType::A { QType::A } else { QType::Aaaa };
                    let addr = match crate::dns::record_rdata(a, sources.text(a.file), t) {
                        Some(Rdata::A(v4)) => IpAddr::V4(v4),
                        Some(Rdata::Aaaa(v6)) => IpAddr::V6(v6),
                        _ => continue,
                    };
                    if seen.insert((addr, a.file, a.span.start)) {
                        out.push(Sender {
                            addr,
                            file: a.file,
                            range: a.rdata_range(),
                            record_start: a.span.start,
                            why: format!("the address of MX host {}", host.display_short()),
                        });
                    }
                }
            }
        }
    }
    out
}

/// The name a blocklist is asked about for `addr` (RFC 5782 §2.1, §2.4): the octets
/// (IPv4) or nibbles (IPv6) reversed, under the list's zone.
pub fn dnsbl_name(addr: IpAddr, list: &str) -> String {
    format!("{}{}.", crate::util::reversed_labels(addr), list.trim_end_matches('.'))
}

/// A blocklist's verdict on one sender.
pub struct Listing<'a> {
    pub sender: &'a Sender,
    pub list: String,
    /// The A records the list answered with (127.0.0.0/8 when listed).
    pub codes: Vec<std::net::Ipv4Addr>,
    /// The list's TXT reason, when it gave one.
    pub reason: Option<String>,
    /// Why the list could not be asked (a timeout, SERVFAIL, no budget left).
    pub failed: Option<String>,
}

/// `mail/listed-sender` findings for the senders a list answered for. Answers outside
/// 127.0.0.0/8, and 127.255.255.0/24 (the list refusing the query, as Spamhaus does for
/// public resolvers), are not listings.
pub fn listed(listings: &[Listing<'_>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // A list that does not answer is one finding, at the first address it was asked about.
    let mut failed: BTreeMap<&str, (&Listing<'_>, usize)> = BTreeMap::new();
    for l in listings.iter().filter(|l| l.failed.is_some()) {
        failed.entry(l.list.as_str()).or_insert((l, 0)).1 += 1;
    }
    for (list, (l, n)) in failed {
        let more = if n > 1 { format!(" (and {} more addresses)", n - 1) } else { String::new() };
        out.push(
            Diagnostic::new(
                &drift::query_failed::RULE,
                l.sender.file,
                l.sender.range,
                format!(
                    "{} did not answer about {}{more}: {}; whether it lists them is unknown",
                    list.trim_end_matches('.'),
                    l.sender.addr,
                    l.failed.as_deref().unwrap_or_default()
                ),
            )
            .for_record(l.sender.record_start),
        );
    }
    for l in listings.iter().filter(|l| l.failed.is_none()) {
        let codes: Vec<String> =
            l.codes.iter().filter(|c| c.octets()[0] == 127 && c.octets()[1..3] != [255, 255]).map(|c| c.to_string()).collect();
        if codes.is_empty() {
            continue;
        }
        let reason = l.reason.as_deref().map_or_else(String::new, |r| format!(": \"{r}\""));
        out.push(
            Diagnostic::new(
                &crate::rules::mail::listed_sender::RULE,
                l.sender.file,
                l.sender.range,
                format!(
                    "{} ({}) is listed on {} ({}){reason}; receivers that use the list refuse its mail",
                    l.sender.addr,
                    l.sender.why,
                    l.list.trim_end_matches('.'),
                    codes.join(", ")
                ),
            )
            .for_record(l.sender.record_start),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocklist_names_reverse_the_address() {
        assert_eq!(dnsbl_name("192.0.2.10".parse().unwrap(), "zen.example"), "10.2.0.192.zen.example.");
        let v6 = dnsbl_name("2001:db8::1".parse().unwrap(), "bl.example.");
        assert_eq!(v6, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example.");
    }
}
