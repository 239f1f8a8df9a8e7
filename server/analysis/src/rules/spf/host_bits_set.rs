use std::net::{Ipv4Addr, Ipv6Addr};

use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{Mechanism, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports an `ip4:`/`ip6:` network with host bits set, such as `ip4:192.0.2.10/24`,
    /// and says which range it really means (here 192.0.2.0/24).
    ///
    /// ## Why it matters
    /// Receivers mask the address, so the term authorises the whole network — often far
    /// more than the one host the writer had in mind (`/24` instead of `/32`).
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:192.0.2.10/24 -all"
    /// ```
    /// Use instead, for the one host: `ip4:192.0.2.10`; for the network: `ip4:192.0.2.0/24`.
    ///
    /// ## Reference
    /// RFC 7208 §5.6 (`ip4`, `ip6`); RFC 4632 §3.1 (prefix notation).
    pub static RULE = {
        code: "spf/host-bits-set",
        severity: Info,
        fix: None,
        summary: "a network with host bits set",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    for t in &s.terms {
        let (written, network, prefix) = match t.mechanism() {
            Some(Mechanism::Ip4 { addr, prefix: Some(p) }) => {
                let mask = if *p == 0 { 0 } else { u32::MAX << (32 - p) };
                let net = Ipv4Addr::from(u32::from(*addr) & mask);
                (addr.to_string(), net.to_string(), *p)
            }
            Some(Mechanism::Ip6 { addr, prefix: Some(p) }) => {
                let mask = if *p == 0 { 0 } else { u128::MAX << (128 - p) };
                let net = Ipv6Addr::from(u128::from(*addr) & mask);
                (addr.to_string(), net.to_string(), *p)
            }
            _ => continue,
        };
        if written != network {
            out.push(m.diag(
                &RULE,
                t.range.clone(),
                format!("`{written}/{prefix}` has host bits set: it means the whole network {network}/{prefix}; write that, or drop `/{prefix}` for the single host"),
            ));
        }
    }
}
