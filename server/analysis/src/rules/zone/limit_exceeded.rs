crate::declare_rule! {
    /// ## What it does
    /// Reports input that goes past one of zonels' resource limits: file size, fields in
    /// one record, parenthesis nesting, `$INCLUDE` depth and count, `$GENERATE` range,
    /// records per zone, expression nesting in DNSControl and Terraform files, YAML
    /// aliases expanded in an octoDNS file. The message names the limit and the `[limits]` key in
    /// `zonels.toml` that raises it.
    ///
    /// ## Why it matters
    /// The limits keep zonels fast and its memory bounded on any repository, including
    /// hostile ones. Real zones rarely come near them; when one does, the part past the
    /// limit is not checked, and you should know.
    ///
    /// ## Example
    /// ```zone
    /// $GENERATE 1-10000000 host-$ A 192.0.2.1
    /// ```
    /// Use instead: a smaller range, or raise `max_generate`:
    /// ```toml
    /// [limits]
    /// max_generate = 20000000
    /// ```
    ///
    /// ## Reference
    /// zonels documentation, `[limits]` in `zonels.toml`.
    pub static RULE = {
        code: "zone/limit-exceeded",
        severity: Error,
        fix: None,
        summary: "input exceeds a configured resource limit",
    }
}

/// The finding for a whole file over `limits.max_file_size` (it is then not checked).
pub fn file_too_large(file: crate::diagnostics::FileId, size: u64, limit: u64) -> crate::diagnostics::Diagnostic {
    crate::diagnostics::Diagnostic::new(
        &RULE,
        file,
        crate::text::TextRange::default(),
        format!("file is {size} bytes, over the {limit}-byte limit; it is not checked (raise `limits.max_file_size` in zonels.toml)"),
    )
}
