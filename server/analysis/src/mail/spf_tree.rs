//! The include/redirect tree of an SPF record, resolved through the layered DNS view,
//! with the RFC 7208 §4.6.4 lookup counts.
//!
//! Counting is static and covers every branch: each `include`, `a`, `mx`, `ptr`,
//! `exists` and `redirect` costs one lookup, an include or redirect adds its target's
//! whole count, and `all`, `ip4`, `ip6` and `exp` cost nothing. A `redirect` next to
//! `all` is never followed and is not counted. Any evaluation visits a subset of these
//! terms, so the total is an upper bound of what any client can make a receiver spend.
//! Address lookups for the names an `mx` returns do not count toward the 10 (they have
//! their own limit of 10 names per `mx`). A lookup is void when the name does not
//! exist or has no records of the type asked (for `a`: neither A nor AAAA).

use std::ops::Range;

use crate::dns::{Dns, DnsResult, QType, Rdata};
use crate::records::spf::{self, Mechanism, Modifier, SpfRecord, TermKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The record was found and parses.
    Ok,
    /// The domain has no SPF record (`nx`: the name does not exist at all).
    NoRecord {
        nx: bool,
    },
    Multiple(usize),
    /// The record has a syntax error (counting stops: receivers stop too).
    Syntax,
    /// The domain is already being evaluated further up: an include/redirect loop.
    Loop,
    /// Not in the workspace, not in zonels.lock, not fetched.
    Unknown,
    /// The lookup failed (SERVFAIL, timeout).
    Failed(String),
    /// The target contains macros: it depends on the message.
    Macro,
    /// Not followed: the tree already needs more than [`MAX_COUNTED`] lookups.
    Cut,
}

#[derive(Clone, Debug)]
pub struct Node {
    /// Index of the term in its record.
    pub term: usize,
    /// The term's range in the record's value.
    pub range: Range<u32>,
    pub text: String,
    /// Lookups this term costs by itself (0 or 1).
    pub cost: u32,
    pub void: bool,
    /// For include/redirect: the target's tree.
    pub child: Option<Box<Tree>>,
    /// For `mx`: how many MX names the target has.
    pub mx_names: Option<usize>,
    /// The term's own lookup could not be answered (lower bound).
    pub unknown: bool,
    /// The term's own lookup failed.
    pub failed: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Tree {
    pub domain: String,
    pub status: Status,
    pub nodes: Vec<Node>,
}

impl Tree {
    /// Lookups of the whole tree (this record and everything it pulls in).
    pub fn total(&self) -> u32 {
        self.nodes.iter().map(|n| n.cost + n.child.as_ref().map_or(0, |c| c.total())).sum()
    }

    pub fn void_total(&self) -> u32 {
        self.nodes.iter().map(|n| u32::from(n.void) + n.child.as_ref().map_or(0, |c| c.void_total())).sum()
    }

    /// `true` when some part of the tree could not be resolved: the total is a lower bound.
    pub fn incomplete(&self) -> bool {
        matches!(self.status, Status::Unknown | Status::Macro)
            || self.nodes.iter().any(|n| n.unknown || n.child.as_ref().is_some_and(|c| c.incomplete()))
    }

    /// `true` when the total is a lower bound: part of the tree is unresolved, or was
    /// not followed because the count was already far past the limit.
    pub fn lower_bound(&self) -> bool {
        self.incomplete() || self.cut()
    }

    fn cut(&self) -> bool {
        self.status == Status::Cut || self.nodes.iter().any(|n| n.child.as_ref().is_some_and(|c| c.cut()))
    }

    /// The first unresolved name, depth first.
    pub fn first_unknown(&self) -> Option<String> {
        self.first_with(&|t| t.status == Status::Unknown, &|n| n.unknown)
    }

    /// The first include or redirect target that holds a macro, depth first.
    pub fn first_macro(&self) -> Option<String> {
        self.first_with(&|t| t.status == Status::Macro, &|_| false)
    }

    fn first_with(&self, tree: &dyn Fn(&Tree) -> bool, node: &dyn Fn(&Node) -> bool) -> Option<String> {
        if tree(self) {
            return Some(self.domain.clone());
        }
        for n in &self.nodes {
            if node(n) {
                return Some(n.text.clone());
            }
            if let Some(u) = n.child.as_ref().and_then(|c| c.first_with(tree, node)) {
                return Some(u);
            }
        }
        None
    }
}

/// Builds the tree of `record`, published at `domain`.
pub fn build(dns: &dyn Dns, domain: &str, record: &SpfRecord, value: &[u8]) -> Tree {
    build_with(dns, None, domain, record, value)
}

/// [`build`], taking the trees of include and redirect targets from `cache` where they
/// are known and putting there those it resolves (the same DNS view for every call).
pub fn build_with(dns: &dyn Dns, cache: Option<&TreeCache>, domain: &str, record: &SpfRecord, value: &[u8]) -> Tree {
    let mut b = Builder { dns, cache, stack: vec![crate::dns::key(domain)], counted: 0 };
    b.record(domain, record, value)
}

/// The trees of include and redirect targets already resolved, by name: most SPF
/// records of a large zone include the same few. Only a tree that does not depend on
/// where it was reached from is kept (no loop or cut in it), and it is reused only where
/// resolving it again would give the same (none of its names above it, within the
/// depth and count limits).
#[derive(Default)]
pub struct TreeCache {
    trees: std::sync::Mutex<rustc_hash::FxHashMap<String, std::sync::Arc<Cached>>>,
}

struct Cached {
    tree: Tree,
    /// The names of the tree and of everything below it.
    names: Vec<String>,
    /// How deep below it the tree goes.
    depth: usize,
}

impl Tree {
    /// The names this tree resolves, its own included, and how deep it goes; `None` when
    /// it holds a loop or a cut, which depend on the path it was reached by.
    fn context_free(&self) -> Option<(Vec<String>, usize)> {
        if matches!(self.status, Status::Loop | Status::Cut) {
            return None;
        }
        let mut names = vec![crate::dns::key(&self.domain)];
        let mut depth = 0;
        for c in self.nodes.iter().filter_map(|n| n.child.as_deref()) {
            if c.status == Status::Macro {
                continue;
            }
            let (n, d) = c.context_free()?;
            names.extend(n);
            depth = depth.max(d + 1);
        }
        Some((names, depth))
    }
}

const MAX_DEPTH: usize = 16;

/// Lookups counted in one tree beyond which includes and redirects are no longer
/// followed. Ten is the limit; a tree this far past it is reported either way, and a
/// web of records that include each other would otherwise take exponential time.
pub const MAX_COUNTED: u32 = 100;

struct Builder<'a> {
    dns: &'a dyn Dns,
    cache: Option<&'a TreeCache>,
    /// The names being evaluated, outermost first (for loops).
    stack: Vec<String>,
    /// Lookups counted so far, in the whole tree.
    counted: u32,
}

impl Builder<'_> {
    fn fetch(&mut self, domain: &str) -> Tree {
        let mut tree = Tree { domain: domain.trim_end_matches('.').to_string(), status: Status::Unknown, nodes: Vec::new() };
        let k = crate::dns::key(domain);
        if self.stack.contains(&k) {
            tree.status = Status::Loop;
            return tree;
        }
        if self.counted > MAX_COUNTED {
            tree.status = Status::Cut;
            return tree;
        }
        if self.stack.len() >= MAX_DEPTH {
            tree.status = Status::Loop;
            return tree;
        }
        let cached = self.cache.and_then(|c| c.trees.lock().ok()?.get(&k).cloned());
        if let Some(c) = cached
            && self.counted + c.tree.total() <= MAX_COUNTED
            && self.stack.len() + c.depth < MAX_DEPTH
            && !c.names.iter().any(|n| self.stack.contains(n))
        {
            self.counted += c.tree.total();
            return c.tree.clone();
        }
        let tree = self.resolve(domain, k.clone(), tree);
        if let Some(cache) = self.cache
            && let Some((names, depth)) = tree.context_free()
            && let Ok(mut trees) = cache.trees.lock()
        {
            trees.insert(k, std::sync::Arc::new(Cached { tree: tree.clone(), names, depth }));
        }
        tree
    }

    /// Looks up `domain`'s SPF record and builds its tree.
    fn resolve(&mut self, domain: &str, k: String, mut tree: Tree) -> Tree {
        let dns = self.dns;
        let Some((r, _)) = dns.lookup(domain, QType::Txt) else { return tree };
        let records = match r {
            DnsResult::Error(e) => {
                tree.status = Status::Failed(e);
                return tree;
            }
            DnsResult::NxDomain => {
                tree.status = Status::NoRecord { nx: true };
                return tree;
            }
            DnsResult::NoData => {
                tree.status = Status::NoRecord { nx: false };
                return tree;
            }
            DnsResult::Records(r) => r,
        };
        let spfs: Vec<Vec<u8>> = records
            .iter()
            .filter_map(|r| match r {
                Rdata::Txt(s) => Some(s.concat()),
                _ => None,
            })
            .filter(|v| spf::is_spf(v))
            .collect();
        match spfs.len() {
            0 => {
                tree.status = Status::NoRecord { nx: false };
                tree
            }
            1 => {
                let rec = spf::parse(&spfs[0]);
                self.stack.push(k);
                let t = self.record(domain, &rec, &spfs[0]);
                self.stack.pop();
                t
            }
            n => {
                tree.status = Status::Multiple(n);
                tree
            }
        }
    }

    /// An `include` or `redirect`: one lookup, plus the target's tree (a macro target
    /// depends on the message and is not followed).
    fn follow(&mut self, node: &mut Node, target: &spf::DomainSpec) {
        node.cost = 1;
        let child = match target.literal_name() {
            Some(name) => self.fetch(&name),
            None => Tree { domain: target.text.clone(), status: Status::Macro, nodes: Vec::new() },
        };
        node.void = matches!(child.status, Status::NoRecord { nx: true });
        node.child = Some(Box::new(child));
    }

    fn record(&mut self, domain: &str, rec: &SpfRecord, value: &[u8]) -> Tree {
        let dns = self.dns;
        let mut tree = Tree { domain: domain.trim_end_matches('.').to_string(), status: Status::Ok, nodes: Vec::new() };
        if !rec.errors.is_empty() {
            tree.status = Status::Syntax;
            return tree;
        }
        let has_all = rec.all().is_some();
        for (i, t) in rec.terms.iter().enumerate() {
            let text = crate::util::lossy(&value[t.range.start as usize..t.range.end as usize]).into_owned();
            let mut node = Node {
                term: i,
                range: t.range.clone(),
                text,
                cost: 0,
                void: false,
                child: None,
                mx_names: None,
                unknown: false,
                failed: None,
            };
            match &t.kind {
                TermKind::Directive { mechanism, .. } => match mechanism {
                    Mechanism::All | Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. } => {}
                    Mechanism::Include(d) => self.follow(&mut node, d),
                    Mechanism::A { domain: d, .. } => {
                        node.cost = 1;
                        let target = d.as_ref().map_or(Some(domain.to_string()), |d| d.literal_name());
                        if let Some(target) = target {
                            let a = dns.lookup(&target, QType::A);
                            let aaaa = dns.lookup(&target, QType::Aaaa);
                            match (a, aaaa) {
                                (Some((a, _)), Some((b, _))) => {
                                    if let DnsResult::Error(e) = &a {
                                        node.failed = Some(e.clone());
                                    } else if let DnsResult::Error(e) = &b {
                                        node.failed = Some(e.clone());
                                    } else {
                                        node.void = a.is_void() && b.is_void();
                                    }
                                }
                                _ => node.unknown = true,
                            }
                        }
                    }
                    Mechanism::Mx { domain: d, .. } => {
                        node.cost = 1;
                        let target = d.as_ref().map_or(Some(domain.to_string()), |d| d.literal_name());
                        if let Some(target) = target {
                            match dns.lookup(&target, QType::Mx) {
                                Some((DnsResult::Error(e), _)) => node.failed = Some(e),
                                Some((r, _)) => {
                                    node.void = r.is_void();
                                    node.mx_names = Some(r.records().iter().filter(|x| matches!(x, Rdata::Mx(_, n) if n != ".")).count());
                                }
                                None => node.unknown = true,
                            }
                        }
                    }
                    Mechanism::Ptr(_) => node.cost = 1,
                    Mechanism::Exists(d) => {
                        node.cost = 1;
                        if let Some(target) = d.literal_name() {
                            match dns.lookup(&target, QType::A) {
                                Some((DnsResult::Error(e), _)) => node.failed = Some(e),
                                Some((r, _)) => node.void = r.is_void(),
                                None => node.unknown = true,
                            }
                        }
                    }
                },
                TermKind::Modifier { modifier: Modifier::Redirect(d), .. } if !has_all => self.follow(&mut node, d),
                _ => {}
            }
            self.counted += node.cost;
            tree.nodes.push(node);
        }
        tree
    }
}

/// The lookups in evaluation order, depth first: (path of term texts, running total).
/// Used to find the term that is the 11th lookup.
pub fn walk(tree: &Tree, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, u32)>, running: &mut u32) {
    for n in &tree.nodes {
        if n.cost > 0 {
            *running += n.cost;
            path.push(n.text.clone());
            out.push((path.clone(), *running));
            if let Some(c) = &n.child {
                walk(c, path, out, running);
            }
            path.pop();
        }
    }
}

/// Renders the tree as `zonels spf DOMAIN` prints it.
pub fn render(tree: &Tree) -> String {
    let mut out = String::new();
    let mut running = 0;
    let mut void = 0;
    out.push_str(&format!("{}{}\n", tree.domain, status_note(&tree.status)));
    render_nodes(tree, 1, &mut running, &mut void, &mut out);
    let total = tree.total();
    let bound = if tree.lower_bound() { "at least " } else { "" };
    out.push_str(&format!(
        "\n{bound}{total} DNS lookup{} (limit 10), {} void (limit 2){}\n",
        if total == 1 { "" } else { "s" },
        tree.void_total(),
        if total > 10 || tree.void_total() > 2 { ": receivers return PermError" } else { "" }
    ));
    out
}

fn status_note(s: &Status) -> String {
    match s {
        Status::Ok => String::new(),
        Status::NoRecord { nx: true } => "  ✗ does not exist (no SPF record)".into(),
        Status::NoRecord { nx: false } => "  ✗ no SPF record".into(),
        Status::Multiple(n) => format!("  ✗ {n} SPF records (PermError)"),
        Status::Syntax => "  ✗ syntax error (PermError)".into(),
        Status::Loop => "  ✗ loop: already being evaluated".into(),
        Status::Unknown => "  ? not resolved (offline, not in the workspace or zonels.lock)".into(),
        Status::Failed(e) => format!("  ✗ lookup failed: {e} (TempError)"),
        Status::Macro => "  ? depends on the message (macro)".into(),
        Status::Cut => format!("  … not followed: the count is already past {MAX_COUNTED}"),
    }
}

fn render_nodes(tree: &Tree, depth: usize, running: &mut u32, void: &mut u32, out: &mut String) {
    for n in &tree.nodes {
        let indent = "  ".repeat(depth);
        let mut notes = Vec::new();
        if n.cost > 0 {
            *running += n.cost;
            notes.push(format!("+{} → {}", n.cost, running));
        }
        if n.void {
            *void += 1;
            notes.push(format!("void {void}"));
        }
        if *running > 10 && n.cost > 0 && *running - n.cost < 11 {
            notes.push("← exceeds the limit of 10".into());
        }
        if let Some(m) = n.mx_names.filter(|&m| m > 10) {
            notes.push(format!("{m} MX names (limit 10)"));
        }
        if n.unknown {
            notes.push("not resolved".into());
        }
        if let Some(e) = &n.failed {
            notes.push(format!("lookup failed: {e}"));
        }
        let notes = if notes.is_empty() { String::new() } else { format!("  [{}]", notes.join(", ")) };
        out.push_str(&format!("{indent}{}{notes}\n", n.text));
        if let Some(c) = &n.child {
            out.push_str(&format!("{indent}  {}{}\n", c.domain, status_note(&c.status)));
            render_nodes(c, depth + 2, running, void, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Answers, LayeredDns, LookupLog};

    fn answers(records: &[(String, String)]) -> Answers {
        let mut a = Answers::default();
        for (name, value) in records {
            let r = DnsResult::Records(vec![Rdata::Txt(vec![value.clone().into_bytes()])]);
            a.insert(name, QType::Txt, r, 0);
        }
        a
    }

    /// The trees built with a shared cache are the trees built without one, whatever
    /// order the records come in: through loops, shared includes, the depth limit and
    /// the count limit.
    #[test]
    fn cached_subtrees_are_the_subtrees_resolved_again() {
        let mut web: Vec<(String, String)> = vec![
            ("a.test".into(), "v=spf1 include:b.test include:c.test -all".into()),
            ("b.test".into(), "v=spf1 include:c.test include:d.test -all".into()),
            ("c.test".into(), "v=spf1 a:x.test ip4:192.0.2.1 -all".into()),
            ("d.test".into(), "v=spf1 include:a.test -all".into()),
            ("e.test".into(), "v=spf1 include:b.test redirect=c.test".into()),
            ("m.test".into(), "v=spf1 include:%{d}.test include:c.test -all".into()),
            ("n.test".into(), "v=spf1 include:nothing.test include:c.test -all".into()),
        ];
        // A chain deeper than the depth limit, and one whose count passes the cut.
        for i in 0..24 {
            web.push((format!("g{i}.test"), format!("v=spf1 include:g{}.test -all", i + 1)));
            web.push((format!("f{i}.test"), format!("v=spf1 a a a a a a include:f{}.test include:c.test -all", i + 1)));
        }
        web.push(("s.test".into(), "v=spf1 ip4:192.0.2.9 -all".into()));
        web.push(("x.test".into(), "v=spf1 include:s.test -all".into()));
        web.push(("y.test".into(), "v=spf1 include:x.test -all".into()));
        let snapshot = answers(&web);
        // A record checked at a name whose published record is another (an edited one):
        // `x.test`'s cached tree holds `s.test`, which is now being evaluated above it.
        web.push(("s.test".into(), "v=spf1 include:x.test -all".into()));
        let none = Answers::default();
        let log = LookupLog::default();
        let dns = LayeredDns::new(None, &snapshot, &none, &log);
        let fresh: Vec<String> =
            web.iter().map(|(n, v)| format!("{:?}", build(&dns, n, &spf::parse(v.as_bytes()), v.as_bytes()))).collect();
        let orders: [Vec<usize>; 3] =
            [(0..web.len()).collect(), (0..web.len()).rev().collect(), (0..web.len()).map(|i| (i * 7) % web.len()).collect()];
        for order in orders {
            let cache = TreeCache::default();
            for &i in &order {
                let (n, v) = &web[i];
                let tree = build_with(&dns, Some(&cache), n, &spf::parse(v.as_bytes()), v.as_bytes());
                assert_eq!(format!("{tree:?}"), fresh[i], "{n}");
            }
            assert!(cache.trees.lock().unwrap().contains_key("c.test."), "the shared include is cached");
            assert!(!cache.trees.lock().unwrap().contains_key("d.test."), "a tree with a loop is not");
        }
    }
}
