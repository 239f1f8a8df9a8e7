crate::declare_rule! {
    /// ## What it does
    /// Notes a mail-relevant record published with the same data as the repository's
    /// but a different TTL. Reported by `zonels audit`.
    ///
    /// ## Why it matters
    /// Harmless for delivery today, but it shows the zone was changed outside the
    /// repository, and the TTL decides how long a bad change lingers in caches.
    ///
    /// ## Example
    /// ```zone
    /// @ 3600 IN TXT "v=spf1 mx -all"   ; published with TTL 300
    /// ```
    ///
    /// ## Reference
    /// RFC 2181 §8 (TTLs).
    pub static RULE = {
        code: "drift/ttl",
        severity: Info,
        fix: Safe,
        summary: "same data published with a different TTL",
    }
}
