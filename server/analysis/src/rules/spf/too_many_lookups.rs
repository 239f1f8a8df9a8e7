use crate::diagnostics::{Diagnostic, Fix};
use crate::dns::{Dns, DnsResult, QType, Rdata, Source};
use crate::mail::spf_tree::{Status, Tree, walk};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{Mechanism, Qualifier, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports an SPF record whose evaluation can take more than 10 DNS-querying terms,
    /// counted through the whole include/redirect tree — the workspace's own records,
    /// `zonels.lock`, and live DNS unless offline. The message names the term that is the
    /// 11th lookup and the heaviest branches.
    ///
    /// How zonels counts (RFC 7208 §4.6.4): `include`, `a`, `mx`, `ptr`, `exists` and
    /// `redirect` cost one lookup each, and an include or redirect adds everything its
    /// target costs; `all`, `ip4`, `ip6` and `exp` cost nothing; a `redirect` next to
    /// `all` is never followed and not counted. The address lookups for the names an
    /// `mx` returns are not counted toward 10 (they have their own limit, see
    /// `spf/mx-too-many-names`). The count covers every branch, so it is an upper bound
    /// of what any evaluation can spend — receivers stop at the first match, but a
    /// sender that matches late (or not at all) makes them walk the whole tree.
    ///
    /// ## Why it matters
    /// At the 11th lookup receivers stop and return PermError: the domain's mail no
    /// longer passes SPF, and under an enforcing DMARC policy without DKIM it is
    /// rejected with `550 5.7.1`. It is the most common SPF failure, usually caused by
    /// one more provider's `include:`.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net include:mailgun.org include:servers.mcsv.net -all"
    /// ```
    /// Use instead: drop includes for services no longer used, replace `a`/`mx` with
    /// `ip4:`/`ip6:`, or send some mail from a subdomain with its own SPF record.
    ///
    /// ## Fix
    /// Where it is safe: removes an `include:` that repeats one already in the tree
    /// (safe: the same senders stay authorised). Offered in the editor: `a`/`mx` whose
    /// hosts are in the workspace, replaced by their `ip4:`/`ip6:` addresses (the record
    /// must then change whenever those hosts do); and flattening an external `include:`
    /// that holds only addresses into them — with a warning in the title, because the
    /// provider can change its addresses at any time and your record will not follow.
    ///
    /// ## Reference
    /// RFC 7208 §4.6.4 (DNS lookup limits).
    pub static RULE = {
        code: "spf/too-many-lookups",
        severity: Error,
        fix: Mixed,
        summary: "more than 10 DNS-querying terms through the include tree",
    }
}

pub fn check(cx: &MailCtx<'_>, dns: &dyn Dns, m: &MailRecord, s: &SpfRecord, tree: &Tree, out: &mut Vec<Diagnostic>) {
    let total = tree.total();
    if total <= 10 {
        return;
    }
    let mut seq = Vec::new();
    walk(tree, &mut Vec::new(), &mut seq, &mut 0);
    let Some((path, _)) = seq.iter().find(|(_, n)| *n == 11) else { return };
    let Some(node) = tree.nodes.iter().find(|n| n.text == path[0]) else { return };
    let mut branches: Vec<(u32, &str)> =
        tree.nodes.iter().filter(|n| n.cost > 0).map(|n| (n.cost + n.child.as_ref().map_or(0, |c| c.total()), n.text.as_str())).collect();
    branches.sort_by_key(|b| std::cmp::Reverse(b.0));
    let heaviest: Vec<String> = branches.iter().take(3).map(|(c, t)| format!("`{t}` ({c})")).collect();
    let at = if path.len() > 1 {
        format!(
            "`{}` (via {})",
            path[path.len() - 1],
            path[..path.len() - 1].iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(" → ")
        )
    } else {
        format!("`{}`", path[0])
    };
    let bound = if tree.lower_bound() { "at least " } else { "" };
    let mut d = m.diag(
        &RULE,
        node.range.clone(),
        format!(
            "{at} is the 11th DNS lookup; receivers stop at 10 and return PermError (RFC 7208 §4.6.4). This record costs {bound}{total} lookups; the heaviest: {}",
            heaviest.join(", ")
        ),
    );
    for f in fixes(cx, dns, m, s, tree) {
        d = d.with_fix(f);
    }
    out.push(d);
}

/// Includes reachable below term `skip` of the tree (their targets).
fn nested_includes(t: &Tree, out: &mut Vec<String>) {
    for n in &t.nodes {
        if let Some(c) = &n.child {
            out.push(c.domain.to_ascii_lowercase());
            nested_includes(c, out);
        }
    }
}

fn fixes(cx: &MailCtx<'_>, dns: &dyn Dns, m: &MailRecord, s: &SpfRecord, tree: &Tree) -> Vec<Fix> {
    let mut fixes = Vec::new();
    // An include whose target is already pulled in elsewhere in the tree.
    for (i, n) in tree.nodes.iter().enumerate() {
        let Some(c) = &n.child else { continue };
        if !matches!(s.terms[n.term].mechanism(), Some(Mechanism::Include(_))) || c.status != Status::Ok {
            continue;
        }
        let target = c.domain.to_ascii_lowercase();
        let elsewhere = tree.nodes.iter().enumerate().any(|(j, o)| {
            j != i
                && o.child.as_ref().is_some_and(|oc| {
                    let mut inner = Vec::new();
                    nested_includes(oc, &mut inner);
                    (j < i && oc.domain.eq_ignore_ascii_case(&target)) || inner.contains(&target)
                })
        });
        if elsewhere && s.terms[n.term].qualifier() == Some(Qualifier::Pass) {
            let saved = n.cost + c.total();
            fixes.push(Fix::safe(
                format!("Remove `{}`: it is already included elsewhere in the tree (saves {})", n.text, lookups(saved)),
                m.replace(cx, super::term_deletion(s, n.term), ""),
            ));
        }
    }
    // `a`/`mx` on hosts the workspace answers for: their addresses.
    for n in &tree.nodes {
        let Some(mech) = s.terms[n.term].mechanism() else { continue };
        let hosts = match mech {
            Mechanism::A { domain, cidr } if cidr.v4.is_none() && cidr.v6.is_none() => {
                vec![domain.as_ref().map_or(Some(m.owner.to_string()), |d| d.literal_name())]
            }
            Mechanism::Mx { domain, cidr } if cidr.v4.is_none() && cidr.v6.is_none() => {
                let target = domain.as_ref().map_or(Some(m.owner.to_string()), |d| d.literal_name());
                let names = target.and_then(|t| match dns.lookup(&t, QType::Mx) {
                    Some((DnsResult::Records(r), Source::Workspace)) => Some(
                        r.iter()
                            .filter_map(|x| match x {
                                Rdata::Mx(_, n) => Some(Some(n.clone())),
                                _ => None,
                            })
                            .collect::<Vec<_>>(),
                    ),
                    _ => None,
                });
                match names {
                    Some(n) if !n.is_empty() => n,
                    _ => continue,
                }
            }
            _ => continue,
        };
        let mut terms = Vec::new();
        let mut ok = true;
        for h in hosts {
            let Some(h) = h else {
                ok = false;
                break;
            };
            for (t, prefix) in [(QType::A, "ip4"), (QType::Aaaa, "ip6")] {
                match dns.lookup(&h, t) {
                    Some((DnsResult::Records(r), Source::Workspace)) => {
                        for x in r {
                            match x {
                                Rdata::A(a) => terms.push(format!("{prefix}:{a}")),
                                Rdata::Aaaa(a) => terms.push(format!("{prefix}:{a}")),
                                _ => {}
                            }
                        }
                    }
                    Some((DnsResult::NoData | DnsResult::NxDomain, Source::Workspace)) => {}
                    _ => ok = false,
                }
            }
        }
        if !ok || terms.is_empty() {
            continue;
        }
        let q = match s.terms[n.term].qualifier() {
            Some(Qualifier::Pass) | None => String::new(),
            Some(q) => q.symbol().to_string(),
        };
        let new: Vec<String> = terms.iter().map(|t| format!("{q}{t}")).collect();
        fixes.push(Fix::unsafe_(
            format!(
                "Replace `{}` with {} (saves a lookup; the record must then change whenever those hosts' addresses do)",
                n.text,
                new.join(" ")
            ),
            m.replace(cx, n.range.clone(), &new.join(" ")),
        ));
    }
    // An external include that holds nothing but addresses.
    for n in &tree.nodes {
        let Some(c) = &n.child else { continue };
        if !matches!(s.terms[n.term].mechanism(), Some(Mechanism::Include(_))) || s.terms[n.term].qualifier() != Some(Qualifier::Pass) {
            continue;
        }
        if cx.ws.zone_of(&crate::name::Name::parse_absolute(&c.domain).unwrap_or_else(|_| crate::name::Name::root())).is_some() {
            continue;
        }
        let mut ips = Vec::new();
        if !flatten(c, &mut ips) || ips.is_empty() {
            continue;
        }
        let saved = n.cost + c.total();
        fixes.push(Fix::unsafe_(
            format!(
                "Flatten `{}` into its {} address ranges (saves {}). WARNING: the provider can change its addresses at any time and your record will not follow",
                n.text,
                ips.len(),
                lookups(saved)
            ),
            m.replace(cx, n.range.clone(), &ips.join(" ")),
        ));
    }
    // A fix is offered only when it brings the record back within the limit.
    let total = tree.total();
    fixes.retain(|f| total - saved_by(f) <= 10);
    fixes
}

fn lookups(n: u32) -> String {
    if n == 1 { "a lookup".into() } else { format!("{n} lookups") }
}

/// The lookups a fix saves, as its title states them (`saves N lookups`, `saves a lookup`).
fn saved_by(f: &Fix) -> u32 {
    if f.title.contains("saves a lookup") {
        return 1;
    }
    f.title.split("saves ").nth(1).and_then(|r| r.split_whitespace().next()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// The `ip4:`/`ip6:` terms of a tree made only of passing address mechanisms (and
/// includes of such trees), ending in a non-passing `all`; `false` otherwise.
fn flatten(t: &Tree, out: &mut Vec<String>) -> bool {
    if t.status != Status::Ok {
        return false;
    }
    for n in &t.nodes {
        let text = n.text.trim_start_matches('+');
        if let Some(c) = &n.child {
            if !text.starts_with("include:") || !flatten(c, out) {
                return false;
            }
        } else if text.starts_with("ip4:") || text.starts_with("ip6:") {
            out.push(text.to_string());
        } else if n.text.ends_with("all") && !n.text.starts_with('+') && n.text != "all" {
            // `~all`/`-all`/`?all`: an include passes only on a match, so these are neutral here.
        } else {
            return false;
        }
    }
    true
}
