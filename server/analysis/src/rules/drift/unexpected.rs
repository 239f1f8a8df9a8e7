crate::declare_rule! {
    /// ## What it does
    /// Reports a record the zone's authoritative servers serve at a mail-relevant name
    /// that the repository does not have: typically a second SPF record or a DMARC
    /// record added in a provider's console. Reported by `zonels audit`, together with
    /// what the usual rules say about the published records (a second SPF record is
    /// also `spf/multiple-records`).
    ///
    /// ## Why it matters
    /// The next deployment from the repository silently removes it, or, while it stays,
    /// it changes how receivers judge your mail: two SPF records are a PermError for
    /// every message (`550 5.7.1`).
    ///
    /// ## Example
    /// ```zone
    /// ; published, not in the repository:
    /// example.com. 300 IN TXT "v=spf1 include:_spf.esp.example ~all"
    /// ```
    /// Remove it from the provider, or add it to the repository (the fix offered).
    ///
    /// ## Reference
    /// RFC 7208 §3.2 (one SPF record), §4.5.
    pub static RULE = {
        code: "drift/unexpected",
        severity: Error,
        fix: Unsafe,
        summary: "a published record is not in the repository",
    }
}
