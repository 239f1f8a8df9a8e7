crate::declare_rule! {
    /// ## What it does
    /// Notes answers in `zonels.lock` older than the configured age (`[resolve]
    /// max_age_days`, 30 by default).
    ///
    /// ## Why it matters
    /// Providers change their SPF records: an old snapshot can hide that an `include:`
    /// now costs more lookups and pushes your record over the limit of 10. Refresh it
    /// with `zonels lock` now and then (a scheduled CI job is a good place).
    ///
    /// ## Example
    /// ```toml
    /// fetched = "2024-01-05T09:00:00Z"
    /// ```
    /// Use instead: `zonels lock`, and commit the result.
    ///
    /// ## Reference
    /// zonels documentation, "zonels.lock".
    pub static RULE = {
        code: "lock/stale-entry",
        severity: Info,
        fix: None,
        summary: "zonels.lock answers older than the configured age",
    }
}
