//! Mail-authentication checks across the whole workspace: every TXT record classified
//! (SPF, DKIM key, DMARC, MTA-STS, TLS-RPT, BIMI), parsed with its spans, and checked on
//! its own and against the rest of the workspace (DKIM selectors, organizational
//! domains, report authorisations).

pub mod spf_tree;
pub mod value;
pub mod workspace;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::Zone;
use crate::name::{Name, NameRef};
use crate::records::{dkim, dmarc, spf};
use crate::rrtype::RrType;
use crate::rules;
use crate::source::SourceDb;
use value::TxtValue;
pub use workspace::WorkspaceZones;

/// What a TXT record is, from its name and its content.
#[derive(Clone, Debug)]
pub enum Kind {
    // Boxed: most TXT records are none of these, and a record's kind is kept for the
    // whole check (a DKIM record is larger than the rest of a `MailRecord`).
    Spf(Box<spf::SpfRecord>),
    Dkim(Box<dkim::DkimRecord>),
    Dmarc(Box<dmarc::DmarcRecord>),
    MtaSts,
    TlsRpt,
    Bimi,
    /// Meant as SPF, but receivers do not see `v=spf1` at its start (stray quotes or a
    /// lookalike character in the version): only the text hazards apply.
    BrokenSpf,
    Other,
}

impl Kind {
    /// A record whose content decides mail delivery (lookalike and stray-quote checks).
    pub fn is_mail_auth(&self) -> bool {
        !matches!(self, Kind::Other)
    }
}

pub struct MailRecord {
    pub zone: usize,
    /// Index into the zone's records.
    pub rec: usize,
    pub owner: Name,
    pub rtype: RrType,
    pub value: TxtValue,
    pub kind: Kind,
}

impl MailRecord {
    /// A finding on value bytes `range` of this record.
    pub fn diag(&self, rule: &'static rules::Rule, range: std::ops::Range<u32>, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, self.value.file, self.value.src(range), msg).for_record(self.value.record_span.start)
    }

    /// A finding on the whole value.
    pub fn diag_whole(&self, rule: &'static rules::Rule, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, self.value.file, self.value.whole(), msg).for_record(self.value.record_span.start)
    }

    /// Edits replacing value bytes `range` with `new`.
    pub fn replace(&self, cx: &MailCtx<'_>, range: std::ops::Range<u32>, new: &str) -> Vec<crate::diagnostics::Edit> {
        self.value.replace(cx.ws.sources.text(self.value.file), range, new)
    }

    /// Edits replacing the whole value.
    pub fn rewrite(&self, cx: &MailCtx<'_>, new_value: &[u8]) -> Vec<crate::diagnostics::Edit> {
        self.value.rewrite(cx.ws.sources.text(self.value.file), new_value)
    }

    /// The value as text (lossy for non-UTF-8 bytes).
    pub fn text_value(&self) -> std::borrow::Cow<'_, str> {
        crate::util::lossy(self.value.bytes())
    }
}

/// A set of names that also answers "is anything in the set at or under this name?"
/// in constant time (each name is indexed under all its ancestors).
#[derive(Default)]
pub struct NameSet<'s> {
    names: FxHashSet<&'s str>,
    /// Every proper ancestor of a member.
    ancestors: FxHashSet<&'s str>,
}

impl NameSet<'_> {
    pub fn contains<'n>(&self, name: impl Into<NameRef<'n>>) -> bool {
        self.names.contains(name.into().as_str())
    }

    /// `true` when `name` or a name under it is in the set.
    pub fn any_at_or_under<'n>(&self, name: impl Into<NameRef<'n>>) -> bool {
        let name = name.into().as_str();
        self.names.contains(name) || self.ancestors.contains(name)
    }
}

impl<'s> FromIterator<NameRef<'s>> for NameSet<'s> {
    fn from_iter<I: IntoIterator<Item = NameRef<'s>>>(iter: I) -> Self {
        let mut set = NameSet::default();
        for n in iter {
            if !set.names.insert(n.as_str()) {
                continue;
            }
            for up in n.suffixes().skip(1) {
                if !set.ancestors.insert(up) {
                    break; // its ancestors are already in
                }
            }
        }
        set
    }
}

/// A domain's `_dmarc` name and, looked up once, the DMARC records there.
#[derive(Clone, Copy)]
struct DmarcName<'a> {
    owner: NameRef<'a>,
    /// Some record there looks like DMARC.
    any: bool,
    /// The one record there, if exactly one looks like DMARC and its version is valid.
    one: Option<u32>,
}

/// The mail records filed by owner name (see [`MailCtx`]'s fields of the same names):
/// built from the records alone, beside the zone indexes.
pub struct MailNames<'a> {
    by_name: FxHashMap<(usize, &'a str), (u32, u32)>,
    next: Vec<u32>,
    dmarc_domains: FxHashMap<&'a str, DmarcName<'a>>,
}

impl<'a> MailNames<'a> {
    /// Files `records`, the mail records of `zones`.
    pub fn new(zones: &'a [Zone], records: &[MailRecord]) -> Self {
        let mut by_name: FxHashMap<(usize, &'a str), (u32, u32)> = FxHashMap::default();
        by_name.reserve(records.len());
        let mut next = vec![NIL; records.len()];
        for (i, m) in records.iter().enumerate() {
            // The owner's text, borrowed from the zone (which outlives the context).
            let owner = zones[m.zone].records[m.rec].owner.as_str();
            match by_name.entry((m.zone, owner)) {
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    let (_, tail) = e.get_mut();
                    next[*tail as usize] = i as u32;
                    *tail = i as u32;
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((i as u32, i as u32));
                }
            }
        }
        let dmarc_domains = records
            .iter()
            .map(|m| zones[m.zone].records[m.rec].owner.name_ref())
            .filter_map(|owner| Some((owner.as_str().strip_prefix("_dmarc.")?, DmarcName { owner, any: false, one: None })))
            .collect();
        MailNames { by_name, next, dmarc_domains }
    }
}

pub struct MailCtx<'a> {
    pub ws: WorkspaceZones<'a>,
    pub config: &'a Config,
    /// `zonels.lock` and the answers fetched live, behind the workspace's own zones.
    pub snapshot: &'a crate::dns::Answers,
    pub live: &'a crate::dns::Answers,
    pub log: crate::dns::LookupLog,
    pub records: Vec<MailRecord>,
    /// (zone, owner) → the first and last of its records in `records`; `next` links
    /// each record to the next one at the same name.
    by_name: FxHashMap<(usize, &'a str), (u32, u32)>,
    next: Vec<u32>,
    /// Domains with mail records at their `_dmarc` name, and what is there (most
    /// domains have none: the DMARC lookups of every sending domain stop here).
    dmarc_domains: FxHashMap<&'a str, DmarcName<'a>>,
    /// The SPF trees of include targets, shared by every record's tree.
    pub spf_trees: spf_tree::TreeCache,
}

const NIL: u32 = u32::MAX;

/// The memory a [`MailCtx`] owns, once its checks have run.
pub struct MailScratch {
    _records: Vec<MailRecord>,
}

/// Lookalike characters folded to ASCII, for classifying a record whose author pasted
/// it from a document (`v=spf1 –all`).
pub fn fold_for_classification(value: &[u8]) -> Vec<u8> {
    let s = crate::util::lossy(value);
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match crate::rules::txt::lookalike_character::ascii_for(ch) {
            Some(a) => out.push_str(a),
            None => out.push(ch),
        }
    }
    let t = out.trim_matches(|c: char| c == '"' || c == '\\' || c.is_whitespace());
    t.as_bytes().to_vec()
}

/// Classifies a TXT value at `owner`.
pub fn classify(owner: &Name, value: &[u8]) -> Kind {
    let mut labels = owner.labels();
    let first = labels.next().unwrap_or("");
    let second = labels.next().unwrap_or("");
    if first == "_dmarc" {
        return Kind::Dmarc(Box::new(dmarc::parse(value)));
    }
    if second == "_domainkey" && first != "_domainkey" {
        return Kind::Dkim(Box::new(dkim::parse(value)));
    }
    if first == "_mta-sts" {
        return Kind::MtaSts;
    }
    if first == "_smtp" && second == "_tls" {
        return Kind::TlsRpt;
    }
    if second == "_bimi" {
        return Kind::Bimi;
    }
    if spf::is_spf(value) {
        return Kind::Spf(Box::new(spf::parse(value)));
    }
    // A record pasted with lookalike characters or stray quotes: folded only when the
    // value could be one (it mentions spf1 in some form).
    if value.windows(4).any(|w| w.eq_ignore_ascii_case(b"spf1")) || !value.is_ascii() {
        let folded = fold_for_classification(value);
        if spf::is_spf(&folded) {
            return Kind::BrokenSpf;
        }
    }
    Kind::Other
}

/// The TXT and SPF records of `zones` with their values decoded and their kinds parsed
/// (SPF terms, DKIM keys, DMARC tags), in zone and record order, on all cores; and the
/// findings on the plain-text records among them, which are checked here and not kept.
///
/// A TXT record that is none of the mail kinds and does not look like DMARC (which a
/// report authorisation is looked up for) is never looked up by name: only the
/// misplaced-key check applies to it. Most TXT records of a large zone are such text.
pub fn classify_zones(zones: &[Zone], sources: &SourceDb) -> (Vec<MailRecord>, Vec<Diagnostic>) {
    const CHUNK: usize = 16 * 1024;
    let chunks: Vec<(usize, std::ops::Range<usize>)> = zones
        .iter()
        .enumerate()
        .flat_map(|(zi, z)| (0..z.records.len()).step_by(CHUNK).map(move |s| (zi, s..(s + CHUNK).min(z.records.len()))))
        .collect();
    let parts = crate::util::par_map(&chunks, |(zi, range)| {
        let zone = &zones[*zi];
        let mut out = Vec::new();
        let mut found = Vec::new();
        for (ri, r) in zone.records[range.clone()].iter().enumerate() {
            if r.bad_rdata || !(r.rtype == RrType::TXT || r.rtype == RrType::SPF) {
                continue;
            }
            let value = TxtValue::of_record(r, sources);
            let kind = classify(&r.owner, value.bytes());
            let m = MailRecord { zone: *zi, rec: range.start + ri, owner: r.owner.clone(), rtype: r.rtype, value, kind };
            if matches!(m.kind, Kind::Other) && !dmarc::looks_like_dmarc(m.value.bytes()) {
                rules::dkim::misplaced::check(&m, &mut found);
                continue;
            }
            out.push(m);
        }
        (out, found)
    });
    let mut records = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
    let mut found = Vec::new();
    for (p, f) in parts {
        records.extend(p);
        found.extend(f);
    }
    (records, found)
}

impl<'a> MailCtx<'a> {
    /// The context of the mail checks over `zones`, whose TXT records `records`
    /// ([`classify_zones`]) holds.
    pub fn new(
        ws: WorkspaceZones<'a>,
        config: &'a Config,
        snapshot: &'a crate::dns::Answers,
        live: &'a crate::dns::Answers,
        records: Vec<MailRecord>,
        names: MailNames<'a>,
    ) -> Self {
        let MailNames { by_name, next, dmarc_domains } = names;
        let mut cx = MailCtx {
            ws,
            config,
            snapshot,
            live,
            log: Default::default(),
            records,
            by_name,
            next,
            dmarc_domains,
            spf_trees: Default::default(),
        };
        // What each `_dmarc` name holds, looked up on all cores: this runs before the
        // rules start, and a large zone has tens of thousands of them.
        let domains: Vec<(&'a str, NameRef<'a>)> = cx.dmarc_domains.iter().map(|(&domain, d)| (domain, d.owner)).collect();
        let parts: Vec<&[(&'a str, NameRef<'a>)]> = domains.chunks(4096).collect();
        let found = crate::util::par_map(&parts, |part| {
            part.iter()
                .map(|&(domain, owner)| {
                    let mut all = cx.dmarc_records_at(owner);
                    let first = all.next();
                    let one = first.filter(|(_, r)| all.next().is_none() && dmarc::has_valid_version(&r.tags));
                    (domain, first.is_some(), one.and_then(|(m, _)| crate::util::index_in(&cx.records, m)).map(|i| i as u32))
                })
                .collect::<Vec<_>>()
        });
        for (domain, any, one) in found.into_iter().flatten() {
            if let Some(d) = cx.dmarc_domains.get_mut(domain) {
                (d.any, d.one) = (any, one);
            }
        }
        cx
    }

    /// The records at a `_dmarc` name that look like DMARC.
    fn dmarc_records_at(&self, owner: NameRef<'_>) -> impl Iterator<Item = (&MailRecord, &dmarc::DmarcRecord)> {
        self.at(owner).filter_map(|m| match &m.kind {
            Kind::Dmarc(d) if dmarc::looks_like_dmarc(m.value.bytes()) => Some((m, &**d)),
            _ => None,
        })
    }

    /// Ends the context, keeping what it owns for the caller to free (a parsed record of
    /// every TXT value: freeing them takes a noticeable part of a large check).
    pub fn retire(self) -> MailScratch {
        MailScratch { _records: self.records }
    }

    /// Names in a zone with more than one mail record, sorted by zone and name.
    pub fn shared_names(&self) -> Vec<(usize, &'a str)> {
        let mut keys: Vec<(usize, &'a str)> = self.by_name.iter().filter(|(_, (h, t))| h != t).map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys
    }

    /// The layered DNS view: workspace zones, then zonels.lock, then live answers.
    pub fn dns(&self) -> crate::dns::LayeredDns<'_> {
        crate::dns::LayeredDns::new(Some(&self.ws), self.snapshot, self.live, &self.log)
    }

    pub fn record(&self, m: &MailRecord) -> &'a crate::model::Record {
        &self.ws.zones[m.zone].records[m.rec]
    }

    pub fn text(&self, m: &MailRecord) -> &'a str {
        self.ws.sources.text(m.value.file)
    }

    /// Mail records at `name` in the zone authoritative for it.
    pub fn at<'n>(&self, name: impl Into<NameRef<'n>>) -> impl Iterator<Item = &MailRecord> {
        let name = name.into();
        let zi = self.ws.zone_of(name).unwrap_or(usize::MAX);
        self.at_text(zi, name.as_str())
    }

    /// Mail records at `name` in zone `zi`.
    pub fn at_in<'n>(&self, zi: usize, name: impl Into<NameRef<'n>>) -> impl Iterator<Item = &MailRecord> {
        self.at_text(zi, name.into().as_str())
    }

    /// Mail records at the name with canonical text `name` in zone `zi`, in file order.
    pub fn at_text(&self, zi: usize, name: &str) -> impl Iterator<Item = &MailRecord> + use<'_, 'a> {
        let mut cur = self.by_name.get(&(zi, name)).map_or(NIL, |&(head, _)| head);
        std::iter::from_fn(move || {
            let m = self.records.get(cur as usize)?;
            cur = self.next[cur as usize];
            Some(m)
        })
    }

    /// The SPF records published at `name` (as TXT; SPF-type records count too, with
    /// their own finding).
    pub fn spf_at<'n>(&self, name: impl Into<NameRef<'n>>) -> Vec<(&MailRecord, &spf::SpfRecord)> {
        self.at(name)
            .filter_map(|m| match &m.kind {
                Kind::Spf(s) => Some((m, &**s)),
                _ => None,
            })
            .collect()
    }

    /// `true` when `name` publishes an SPF record (as TXT or SPF).
    pub fn has_spf_at<'n>(&self, name: impl Into<NameRef<'n>>) -> bool {
        self.at(name).any(|m| matches!(m.kind, Kind::Spf(_)))
    }

    /// The DMARC-looking records at `_dmarc.<domain>`.
    pub fn dmarc_at<'n>(&self, domain: impl Into<NameRef<'n>>) -> impl Iterator<Item = (&MailRecord, &dmarc::DmarcRecord)> {
        // Most domains have none: answered without building the `_dmarc` name.
        let found = self.dmarc_domains.get(domain.into().as_str()).filter(|d| d.any);
        found.into_iter().flat_map(|d| self.dmarc_records_at(d.owner))
    }

    /// The one DMARC record that applies at `domain` itself, if exactly one is published.
    pub fn dmarc_record<'n>(&self, domain: impl Into<NameRef<'n>>) -> Option<(&MailRecord, &dmarc::DmarcRecord)> {
        let m = &self.records[self.dmarc_domains.get(domain.into().as_str())?.one? as usize];
        match &m.kind {
            Kind::Dmarc(d) => Some((m, d)),
            _ => None,
        }
    }

    /// `true` when something at `domain`'s `_dmarc` name looks like DMARC.
    pub fn has_dmarc_at<'n>(&self, domain: impl Into<NameRef<'n>>) -> bool {
        self.dmarc_domains.get(domain.into().as_str()).is_some_and(|d| d.any)
    }

    /// RFC 9989 §4.10 DNS tree walk: the DMARC record that governs `domain` and the
    /// domain it was found at, looking only at the workspace.
    pub fn dmarc_policy_for<'n>(&self, domain: impl Into<NameRef<'n>>) -> Option<(NameRef<'n>, &MailRecord, &dmarc::DmarcRecord)> {
        for d in tree_walk(domain.into()) {
            if let Some((m, r)) = self.dmarc_record(d) {
                return Some((d, m, r));
            }
            if self.has_dmarc_at(d) {
                // Records exist but none is usable (several, or a bad version): the walk
                // stops here with no policy (RFC 9989 §4.10).
                return None;
            }
        }
        None
    }

    /// `true` when any `_dmarc` name on the tree walk from `domain` has a TXT record,
    /// usable or not.
    pub fn tree_walk_has_any_record<'n>(&self, domain: impl Into<NameRef<'n>>) -> bool {
        tree_walk(domain.into()).any(|d| self.dmarc_domains.get(d.as_str()).is_some_and(|n| self.at(n.owner).next().is_some()))
    }

    /// RFC 9989 §4.10.1: the organizational domain of `domain` — the domain below a
    /// `psd=y` record, a `psd=n` domain, or else the highest domain with a DMARC
    /// record; `domain` itself when the workspace has none.
    pub fn org_domain<'n>(&self, domain: impl Into<NameRef<'n>>) -> NameRef<'n> {
        let domain = domain.into();
        let mut highest = None;
        let mut below = domain;
        for (i, d) in tree_walk(domain).enumerate() {
            if let Some((_, r)) = self.dmarc_record(d) {
                match r.tag("psd").map(|t| t.value) {
                    Some(v) if v.eq_ignore_ascii_case("n") => return d,
                    Some(v) if v.eq_ignore_ascii_case("y") => return if i == 0 { d } else { below },
                    _ => highest = Some(d),
                }
            }
            below = d;
        }
        highest.unwrap_or(domain)
    }

    /// Valid DKIM keys published under `_domainkey.<domain>`.
    pub fn dkim_keys(&self, domain: &Name) -> Vec<&MailRecord> {
        let Ok(dk) = domain.prepend("_domainkey") else { return Vec::new() };
        self.records
            .iter()
            .filter(|m| {
                matches!(&m.kind, Kind::Dkim(k) if matches!(k.key, Some(crate::records::dkim_key::KeyVerdict::Rsa { bits, .. }) if bits >= 1024) || matches!(k.key, Some(crate::records::dkim_key::KeyVerdict::Ed25519)))
                    && m.owner.parent().as_ref() == Some(&dk)
            })
            .collect()
    }

    /// `true` when `name` publishes exactly one SPF record (as TXT) and it parses: the
    /// SPF check there does not end in PermError on syntax grounds.
    pub fn has_valid_spf<'n>(&self, name: impl Into<NameRef<'n>>) -> bool {
        let mut spfs = self.at(name).filter_map(|m| match &m.kind {
            Kind::Spf(s) if m.rtype == RrType::TXT => Some(&**s),
            _ => None,
        });
        match (spfs.next(), spfs.next()) {
            (Some(s), None) => s.is_valid() && !has_duplicate_modifier(s),
            _ => false,
        }
    }

    /// Names with a valid SPF record, and names with a usable DKIM key (the domain the
    /// `_domainkey` selector is under), in the zones that answer for them.
    pub fn authenticated_names(&self) -> (NameSet<'_>, NameSet<'_>) {
        let spf = self
            .records
            .iter()
            .filter(|m| matches!(m.kind, Kind::Spf(_)) && self.ws.is_primary(m.zone))
            // `_spf.example.com` is an include target, never a MAIL FROM domain.
            .filter(|m| !m.owner.labels().next().is_some_and(|l| l.starts_with('_')))
            .map(|m| m.owner.name_ref())
            .filter(|&n| self.has_valid_spf(n))
            .collect();
        let dkim = self
            .records
            .iter()
            .filter(|m| self.ws.is_primary(m.zone) && matches!(&m.kind, Kind::Dkim(k) if usable_key(k)))
            .filter_map(|m| m.owner.name_ref().parent().and_then(|p| p.parent()))
            .collect();
        (spf, dkim)
    }

    /// Every name under `domain` (itself included) that has a DKIM selector.
    pub fn domains_with_keys(&self) -> Vec<Name> {
        let mut out: Vec<Name> = self
            .records
            .iter()
            .filter(|m| matches!(m.kind, Kind::Dkim(_)))
            .filter_map(|m| m.owner.parent().and_then(|p| p.parent()))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// A DKIM key a verifier can use: RSA of at least 1024 bits, or ed25519, not in testing mode.
pub fn usable_key(k: &dkim::DkimRecord) -> bool {
    use crate::records::dkim_key::KeyVerdict;
    let key_ok = matches!(k.key, Some(KeyVerdict::Rsa { bits, .. }) if bits >= 1024) || matches!(k.key, Some(KeyVerdict::Ed25519));
    let testing = k.tags.get("t").is_some_and(|t| t.value.split(':').any(|f| f.trim().eq_ignore_ascii_case("y")));
    key_ok && k.tags.errors.is_empty() && k.tags.duplicates.is_empty() && !testing
}

fn has_duplicate_modifier(s: &spf::SpfRecord) -> bool {
    let count = |f: &dyn Fn(&spf::Modifier) -> bool| s.terms.iter().filter(|t| t.modifier().is_some_and(f)).count();
    count(&|m| matches!(m, spf::Modifier::Redirect(_))) > 1 || count(&|m| matches!(m, spf::Modifier::Exp(_))) > 1
}

/// The names the RFC 9989 §4.10 tree walk queries for `_dmarc`, most specific first:
/// the domain, then (for names of more than eight labels) its seven rightmost labels,
/// then one label fewer each step, stopping above the top-level domain.
pub fn tree_walk(domain: NameRef<'_>) -> impl Iterator<Item = NameRef<'_>> {
    let labels = domain.label_count();
    let root = domain.is_root().then_some(domain);
    root.into_iter().chain(domain.ancestry().enumerate().filter(move |&(i, _)| i == 0 || labels <= 8 || labels - i <= 7).map(|(_, d)| d))
}

/// Every mail rule as jobs for [`crate::util::run_jobs`]: the per-record rules and the
/// SPF trees over slices of the records, and each cross-record rule. The costs are
/// what each took per million records of a large generated zone, in microseconds.
pub fn jobs<'c>(cx: &'c MailCtx<'_>, jobs: &mut Vec<crate::util::Job<'c>>) {
    use crate::util::Job;
    let n = cx.records.len() as u64;
    let cost = |us_per_million: u64| us_per_million * n / 200_000;
    jobs.push(Job::new("dmarc/enforced-without-auth", cost(230_000), |o| rules::dmarc::enforced_without_auth::check(cx, o)));
    jobs.push(Job::new("mail/no-spf-for-sender", cost(280_000), |o| rules::mail::no_spf_for_sender::check(cx, o)));
    jobs.push(Job::new("dmarc/external-destination", cost(110_000), |o| rules::dmarc::external_destination::check(cx, o)));
    jobs.push(Job::new("dmarc/missing-record", cost(70_000), |o| rules::dmarc::missing_record::check(cx, o)));
    jobs.push(Job::new("dmarc/multiple-records", cost(4_000), |o| rules::dmarc::multiple_records::check(cx, o)));
    jobs.push(Job::new("spf/multiple-records", cost(3_000), |o| rules::spf::multiple_records::check(cx, o)));
    jobs.push(Job::new("mail/null-mx-without-spf", cost(25_000), |o| rules::mail::null_mx_without_spf::check(cx, o)));
    jobs.push(Job::new("mail/bimi", cost(2_000), |o| rules::mail::bimi::check_enforcement(cx, o)));
    // The per-record rules and SPF trees in slices, which fill the cores at the end.
    const SLICES: usize = 8;
    let per = cx.records.len().div_ceil(SLICES).max(1);
    for part in cx.records.chunks(per) {
        let share = part.len() as u64 * 1_000_000 / n.max(1);
        jobs.push(Job::new("mail records", cost(250_000) * share / 1_000_000, move |o| check_records(cx, part, o)));
        jobs.push(Job::new("spf trees", cost(150_000) * share / 1_000_000, move |o| rules::spf::check_trees(cx, part, o)));
    }
}

fn check_records(cx: &MailCtx<'_>, records: &[MailRecord], out: &mut Vec<Diagnostic>) {
    for m in records {
        rules::txt::lookalike_character::check(cx, m, out);
        rules::txt::stray_quotes::check(cx, m, out);
        match &m.kind {
            Kind::Spf(s) => rules::spf::check_record(cx, m, s, out),
            Kind::Dkim(d) => rules::dkim::check_record(cx, m, d, out),
            Kind::Dmarc(d) => rules::dmarc::check_record(cx, m, d, out),
            Kind::MtaSts => rules::mail::mta_sts::check(cx, m, out),
            Kind::TlsRpt => rules::mail::tls_rpt::check(cx, m, out),
            Kind::Bimi => rules::mail::bimi::check(cx, m, out),
            Kind::BrokenSpf => {}
            // Only those that look like DMARC are kept (see `classify_zones`).
            Kind::Other => {
                rules::dkim::misplaced::check(m, out);
                rules::dmarc::misplaced::check(m, out);
            }
        }
    }
}
