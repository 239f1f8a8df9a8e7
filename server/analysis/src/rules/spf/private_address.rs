use std::net::{Ipv4Addr, Ipv6Addr};

use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{Mechanism, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports `ip4:`/`ip6:` mechanisms in private (RFC 1918, RFC 4193), loopback or
    /// link-local ranges. Documentation ranges (192.0.2.0/24, 198.51.100.0/24,
    /// 203.0.113.0/24, 2001:db8::/32) are not reported: examples use them.
    ///
    /// ## Why it matters
    /// No mail from the internet comes from these addresses, so the term authorises
    /// nothing — it usually means an internal relay's address was listed instead of the
    /// public address it sends from, and that relay's mail fails SPF.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:10.1.2.0/24 -all"
    /// ```
    /// Use instead: the public address the relay's mail leaves from.
    ///
    /// ## Reference
    /// RFC 1918, RFC 4193, RFC 5735, RFC 6890 (special-purpose addresses); RFC 7208 §5.6.
    pub static RULE = {
        code: "spf/private-address",
        severity: Warning,
        fix: None,
        summary: "ip4/ip6 in a private, loopback or link-local range",
    }
}

fn v4_kind(a: Ipv4Addr) -> Option<&'static str> {
    if a.is_private() {
        Some("private (RFC 1918)")
    } else if a.is_loopback() {
        Some("loopback")
    } else if a.is_link_local() {
        Some("link-local")
    } else if a.octets()[0] == 100 && (64..128).contains(&a.octets()[1]) {
        Some("carrier-grade NAT (RFC 6598)")
    } else {
        None
    }
}

fn v6_kind(a: Ipv6Addr) -> Option<&'static str> {
    let s = a.segments();
    if a.is_loopback() {
        Some("loopback")
    } else if (s[0] & 0xfe00) == 0xfc00 {
        Some("unique local (RFC 4193)")
    } else if (s[0] & 0xffc0) == 0xfe80 {
        Some("link-local")
    } else {
        a.to_ipv4_mapped().and_then(v4_kind)
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    for t in &s.terms {
        let kind = match t.mechanism() {
            Some(Mechanism::Ip4 { addr, prefix }) if prefix.is_none_or(|p| p >= 8) => v4_kind(*addr),
            Some(Mechanism::Ip6 { addr, prefix }) if prefix.is_none_or(|p| p >= 7) => v6_kind(*addr),
            _ => None,
        };
        if let Some(kind) = kind {
            let text = crate::util::lossy(&m.value.bytes()[t.range.start as usize..t.range.end as usize]).into_owned();
            out.push(m.diag(
                &RULE,
                t.range.clone(),
                format!("`{text}` is a {kind} address: mail from the internet never comes from it; list the public address the mail is sent from"),
            ));
        }
    }
}
