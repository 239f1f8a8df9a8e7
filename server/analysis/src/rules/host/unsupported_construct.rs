crate::declare_rule! {
    /// ## What it does
    /// Reports a record, or part of one, that a DNS-as-code file builds in a way zonels
    /// cannot work out without running the tool: a function call it does not know, a
    /// loop, a `require`, an interpolation of something that is not a constant. It says
    /// what was skipped.
    ///
    /// ## Why it matters
    /// zonels reads octoDNS, DNSControl and Terraform files as written and never runs
    /// them. What it cannot evaluate, it cannot check: an SPF record assembled by a
    /// helper function may be over the lookup limit without any finding. The note makes
    /// the gap visible rather than letting silence look like a clean bill.
    ///
    /// ## Example
    /// ```js
    /// D("example.com", REG, DnsProvider(DSP),
    ///   TXT("@", spfFor("example.com")),   // a helper: not evaluated
    /// END);
    /// ```
    /// Use instead: write the value as a string (or a `var` holding one), or use
    /// `SPF_BUILDER`, which zonels understands.
    ///
    /// ## Reference
    /// DNSControl `dnsconfig.js` reference; Terraform expressions; octoDNS YAML provider.
    pub static RULE = {
        code: "host/unsupported-construct",
        severity: Info,
        fix: None,
        summary: "a record built dynamically that zonels cannot evaluate; it says what was skipped",
    }
}
