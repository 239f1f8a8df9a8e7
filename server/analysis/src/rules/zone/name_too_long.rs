crate::declare_rule! {
    /// ## What it does
    /// Reports a name with a label longer than 63 octets or a total wire length over
    /// 255 octets (owner names and names inside record data, after the origin is
    /// appended).
    ///
    /// ## Why it matters
    /// Such a name cannot exist in the DNS: the zone does not load, and a DKIM selector or
    /// `_report._dmarc` name that long can never be queried.
    ///
    /// ## Example
    /// ```zone
    /// averyveryveryveryveryveryveryveryveryveryveryveryveryverylonglabel IN A 192.0.2.1
    /// ```
    /// Use instead: a label of at most 63 characters.
    ///
    /// ## Reference
    /// RFC 1035 §2.3.4 (size limits); RFC 2181 §11.
    pub static RULE = {
        code: "zone/name-too-long",
        severity: Error,
        fix: None,
        summary: "label over 63 or name over 255 octets",
    }
}
