crate::declare_rule! {
    /// ## What it does
    /// Reports a `zonels.lock` that cannot be read: invalid TOML, an unknown version, an
    /// entry with an unsupported type, a bad time or record data it cannot parse.
    ///
    /// ## Why it matters
    /// The snapshot is what makes offline checks (CI, pre-commit) see the SPF records of
    /// your providers. Entries that cannot be read are ignored, so lookups through them
    /// become unresolved and lookup counts turn into lower bounds.
    ///
    /// ## Example
    /// ```toml
    /// [[answer]]
    /// name = "_spf.google.com."
    /// type = "TXT"
    /// rcode = "NOERROR"
    /// fetched = "yesterday"
    /// ```
    /// Use instead: regenerate the file with `zonels lock`.
    ///
    /// ## Reference
    /// zonels documentation, "zonels.lock".
    pub static RULE = {
        code: "lock/invalid",
        severity: Error,
        fix: None,
        summary: "zonels.lock has an entry that cannot be read",
    }
}
