crate::declare_rule! {
    /// ## What it does
    /// Reports a mail-relevant record (SPF, DKIM, DMARC, MTA-STS, TLS-RPT, BIMI, MX) that
    /// the repository has and the zone's authoritative servers do not serve. Reported by
    /// `zonels audit`.
    ///
    /// ## Why it matters
    /// Receivers see the published DNS, not the repository. A DKIM key that was never
    /// deployed makes every signature fail (`dkim=fail (no key)`); a missing SPF record
    /// leaves `spf=none`; under an enforcing DMARC policy that is `550 5.7.1`.
    ///
    /// ## Example
    /// ```zone
    /// s2._domainkey IN TXT "v=DKIM1; k=rsa; p=MIIBIjAN…"   ; not served by ns1/ns2
    /// ```
    /// Deploy the repository (the usual fix), or, when the record was removed on
    /// purpose, delete it from the repository (the fix offered).
    ///
    /// ## Reference
    /// RFC 7208 §4.4, RFC 6376 §3.6.2, RFC 9989 §4.10 (records are looked up in the DNS).
    pub static RULE = {
        code: "drift/missing",
        severity: Error,
        fix: Unsafe,
        summary: "a mail-relevant record in the repository is not published",
    }
}
