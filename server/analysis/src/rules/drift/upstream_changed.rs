crate::declare_rule! {
    /// ## What it does
    /// With `zonels audit --since-lock`: reports an answer in `zonels.lock` that the DNS
    /// no longer gives, typically a provider's SPF record behind your `include:`. What
    /// the change does to your own records is reported beside it, under the usual rules
    /// (an include that grew past the budget is `spf/too-many-lookups`).
    ///
    /// ## Why it matters
    /// Offline checks and pre-commit hooks trust `zonels.lock`. When an ESP adds includes
    /// to its record, your SPF record can cross the limit of 10 lookups without a single
    /// change in your repository, and every receiver then returns PermError.
    ///
    /// ## Example
    /// ```text
    /// zonels.lock: _spf.esp.example TXT "v=spf1 ip4:198.51.100.0/24 -all"
    /// now:         _spf.esp.example TXT "v=spf1 include:a.esp.example include:b.esp.example … -all"
    /// ```
    /// Run `zonels lock`, review what changed, and commit the new snapshot.
    ///
    /// ## Reference
    /// RFC 7208 §4.6.4 (the lookup limit counts the whole include tree).
    pub static RULE = {
        code: "drift/upstream-changed",
        severity: Warning,
        fix: None,
        summary: "an answer in zonels.lock has changed upstream",
    }
}
