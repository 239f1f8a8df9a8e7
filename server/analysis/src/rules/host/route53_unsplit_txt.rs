use crate::diagnostics::{Diagnostic, Edit, FileId, Fix};
use crate::text::TextRange;

crate::declare_rule! {
    /// ## What it does
    /// Reports a TXT value in a Terraform `aws_route53_record` that has a string longer
    /// than 255 characters not split with `\"\"`.
    ///
    /// ## Why it matters
    /// A DNS character-string holds at most 255 octets. Route 53 does not split longer
    /// values for you: it rejects the change (`InvalidChangeBatch: … CharacterStringTooLong`)
    /// and `terraform apply` fails — typically when adding a 2048-bit DKIM key. In
    /// Terraform the value is split by writing `\"\"` between the pieces, which Route 53
    /// reads as two strings that receivers join back.
    ///
    /// ## Example
    /// ```hcl
    /// records = ["v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…(300 characters)"]
    /// ```
    /// Use instead:
    /// ```hcl
    /// records = ["v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEF…\"\"…IDAQAB"]
    /// ```
    ///
    /// ## Fix
    /// Inserts `\"\"` every 255 characters.
    ///
    /// ## Reference
    /// RFC 1035 §3.3 (character-string); Route 53 "TXT record type" documentation.
    pub static RULE = {
        code: "host/route53-unsplit-txt",
        severity: Error,
        fix: Safe,
        summary: "Terraform Route 53 TXT value over 255 characters not split with `\\\"\\\"`",
    }
}

/// `piece` (decoded length `len`) is longer than 255; `splits` are the file offsets
/// (inside the literal, verbatim) where `\"\"` goes to cut it into strings of at most 255.
pub fn diagnostic(file: FileId, piece: TextRange, len: usize, splits: &[u32], record_start: u32) -> Diagnostic {
    let d = Diagnostic::new(
        &RULE,
        file,
        piece,
        format!("this string is {len} characters long and Route 53 does not split TXT values: write `\\\"\\\"` at least every 255 characters or the change is rejected"),
    )
    .for_record(record_start);
    if splits.is_empty() {
        return d;
    }
    let edits = splits.iter().map(|&at| Edit::insert(file, at, "\\\"\\\"")).collect();
    d.with_fix(Fix::safe(format!("Split into {} strings with `\\\"\\\"`", splits.len() + 1), edits))
}
