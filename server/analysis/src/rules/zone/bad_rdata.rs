crate::declare_rule! {
    /// ## What it does
    /// Reports record data that does not parse for its type: an A record with `1.2.3`,
    /// an MX without a preference, an SOA with the wrong number of fields, a `\#`
    /// generic record whose length does not match its hex data. The finding points at
    /// the field that is wrong.
    ///
    /// ## Why it matters
    /// The zone does not load. A wrong MX or A record for a mail host also sends mail
    /// nowhere.
    ///
    /// ## Example
    /// ```zone
    /// @ IN MX mail.example.com.
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN MX 10 mail.example.com.
    /// ```
    ///
    /// ## Reference
    /// RFC 1035 §3.3 and §5.1; the RFC defining each type (RFC 2782 SRV, RFC 8659 CAA, …);
    /// RFC 3597 §5.
    pub static RULE = {
        code: "zone/bad-rdata",
        severity: Error,
        fix: None,
        summary: "record data does not parse for its type",
    }
}
