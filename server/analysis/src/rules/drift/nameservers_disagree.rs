crate::declare_rule! {
    /// ## What it does
    /// Reports a mail-relevant name for which the zone's authoritative servers give
    /// different answers. Reported by `zonels audit`, which asks each server directly.
    ///
    /// ## Why it matters
    /// Resolvers pick a server at random: receivers see one record or the other, so
    /// mail passes or fails depending on which server was asked. Usually a change that
    /// reached one server and not the other (a failed zone transfer, a second provider
    /// not updated).
    ///
    /// ## Example
    /// ```text
    /// _dmarc.example.com TXT: ns1 serves "v=DMARC1; p=reject", ns2 serves "v=DMARC1; p=none"
    /// ```
    ///
    /// ## Reference
    /// RFC 1034 §4.3.5 (zone transfers keep secondaries in step), RFC 1996 (NOTIFY).
    pub static RULE = {
        code: "drift/nameservers-disagree",
        severity: Warning,
        fix: None,
        summary: "the zone's authoritative servers give different answers",
    }
}
