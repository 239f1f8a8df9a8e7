crate::declare_rule! {
    /// ## What it does
    /// Reports a line of a zone file that cannot be parsed: unbalanced parentheses or
    /// quotes, a bad escape, an unknown or malformed directive, a record without a type.
    /// The message says what was expected. Parsing resumes at the next record, so one
    /// mistake does not hide the rest of the file.
    ///
    /// ## Why it matters
    /// Name servers refuse to load a zone with a syntax error: BIND logs
    /// `not loaded due to errors` and keeps serving the previous version, or nothing at
    /// all on a new server. Every record in the zone — MX, SPF, DKIM, DMARC — is then
    /// stale or missing, and mail to and from the domain fails.
    ///
    /// ## Example
    /// ```zone
    /// @   IN  SOA ns1 hostmaster ( 2024010101 7200 3600 1209600 300
    /// www IN  A   192.0.2.10
    /// ```
    /// Use instead:
    /// ```zone
    /// @   IN  SOA ns1 hostmaster ( 2024010101 7200 3600 1209600 300 )
    /// www IN  A   192.0.2.10
    /// ```
    ///
    /// ## Reference
    /// RFC 1035 §5.1 (master file format); BIND 9 Administrator Reference Manual, "Zone File".
    pub static RULE = {
        code: "zone/syntax",
        severity: Error,
        fix: None,
        summary: "a line cannot be parsed (unbalanced parentheses or quotes, bad escape, bad directive)",
    }
}
