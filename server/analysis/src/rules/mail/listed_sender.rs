crate::declare_rule! {
    /// ## What it does
    /// Reports an address the workspace authorises to send mail (an `ip4:`/`ip6:` term
    /// of an SPF record, or the address of an MX host) that is listed on a DNS blocklist
    /// given with `zonels audit --dnsbl LIST,…` (or `[audit] dnsbl` in `zonels.toml`).
    /// The finding quotes the list's reason (its TXT record). No list is queried unless
    /// configured.
    ///
    /// ## Why it matters
    /// Receivers that use the list refuse mail from the address outright, before SPF or
    /// DMARC are even looked at: `550 5.7.1 Service unavailable; client host blocked`.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:192.0.2.10 -all"   ; 10.2.0.192.zen.example → 127.0.0.2
    /// ```
    /// Find out why (the reason names a lookup page), stop what caused it, and ask the
    /// list for removal; or send from another address.
    ///
    /// ## Reference
    /// RFC 5782 §2.1 (DNS blocklists: reversed octets under the list's zone, an A
    /// record in 127.0.0.0/8 when listed, a TXT record with the reason).
    pub static RULE = {
        code: "mail/listed-sender",
        severity: Error,
        fix: None,
        summary: "an authorised sender address is on a configured DNS blocklist",
    }
}
