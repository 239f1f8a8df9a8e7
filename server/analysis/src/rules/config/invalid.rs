crate::declare_rule! {
    /// ## What it does
    /// Reports a problem in `zonels.toml`: invalid TOML, an unknown rule code, a level
    /// other than `off`/`info`/`warning`/`error`, a bad glob or zone name in `[zones]`,
    /// an unknown key. The finding points at the key or value.
    ///
    /// ## Why it matters
    /// A setting that is not understood is not applied: a rule you meant to switch off
    /// keeps firing, or an origin override does not take effect. The rest of the file
    /// still applies.
    ///
    /// ## Example
    /// ```toml
    /// [rules]
    /// "spf/ptr" = "off"
    /// ```
    /// Use instead:
    /// ```toml
    /// [rules]
    /// "spf/ptr-mechanism" = "off"
    /// ```
    ///
    /// ## Reference
    /// zonels documentation, "Configuration".
    pub static RULE = {
        code: "config/invalid",
        severity: Error,
        fix: None,
        summary: "zonels.toml has an error",
    }
}
