crate::declare_rule! {
    /// ## What it does
    /// Reports a mail-relevant record whose published content differs from the
    /// repository's: a DKIM key rotated by an ESP, a DMARC policy edited by hand, an
    /// SPF record changed in a console. The message shows the published value.
    /// Reported by `zonels audit`.
    ///
    /// ## Why it matters
    /// Reviews and checks run against the repository; receivers run against the DNS.
    /// Until the two agree, what was reviewed is not what decides delivery.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=reject"   ; published: "v=DMARC1; p=none"
    /// ```
    /// Deploy the repository, or, when the published value is right, take it into the
    /// repository (the fix offered).
    ///
    /// ## Reference
    /// RFC 1034 §4.3.2 (authoritative answers).
    pub static RULE = {
        code: "drift/changed",
        severity: Error,
        fix: Unsafe,
        summary: "published content differs from the repository's",
    }
}
