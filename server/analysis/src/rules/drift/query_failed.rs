crate::declare_rule! {
    /// ## What it does
    /// Reports an authoritative server (or the resolver) that did not answer the
    /// audit's queries for a zone: a timeout, SERVFAIL or REFUSED, or a malformed answer.
    /// Its records could not be compared. Reported by `zonels audit`.
    ///
    /// ## Why it matters
    /// A name server that does not answer for its zone makes receivers retry another or
    /// give up with a temporary error (`451 4.4.3`): mail is delayed. It is also a gap
    /// in the audit: what that server serves is unknown.
    ///
    /// ## Example
    /// ```text
    /// ns2.example.com (192.0.2.53:53) did not answer for example.com: timed out
    /// ```
    ///
    /// ## Reference
    /// RFC 1035 §4.1.1 (RCODE), RFC 8906 (a server that does not answer).
    pub static RULE = {
        code: "drift/query-failed",
        severity: Warning,
        fix: None,
        summary: "a server did not answer the audit's queries",
    }
}
