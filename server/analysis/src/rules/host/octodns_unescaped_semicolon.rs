use crate::diagnostics::{Diagnostic, Edit, FileId, Fix};
use crate::model::{Literal, LiteralStyle};
use crate::text::TextRange;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `;` written bare in an octoDNS TXT or SPF value.
    ///
    /// ## Why it matters
    /// octoDNS requires semicolons in TXT values to be escaped as `\;` and refuses to
    /// load a zone with a bare one ("unescaped ;"), so the whole zone is not synced:
    /// not the DMARC record being added, and not any other change in the file. DMARC
    /// and DKIM records are lists of `tag=value;` pairs, so this is the mistake almost
    /// every new octoDNS user makes with them.
    ///
    /// ## Example
    /// ```yaml
    /// _dmarc:
    ///   type: TXT
    ///   value: v=DMARC1; p=reject
    /// ```
    /// Use instead:
    /// ```yaml
    /// _dmarc:
    ///   type: TXT
    ///   value: v=DMARC1\; p=reject
    /// ```
    ///
    /// ## Fix
    /// Escapes each bare `;` (`\;`, or `\\;` inside a double-quoted YAML string).
    ///
    /// ## Reference
    /// octoDNS `TxtValue` validation ("unescaped ;").
    pub static RULE = {
        code: "host/octodns-unescaped-semicolon",
        severity: Error,
        fix: Safe,
        summary: "octoDNS TXT/SPF value with an unescaped `;` (octoDNS rejects it)",
    }
}

/// Checks one octoDNS TXT value as written: `raw` is the literal's text (quotes
/// included) at `lit.range`.
pub fn check(file: FileId, lit: &Literal, raw: &str, record_start: u32, out: &mut Vec<Diagnostic>) {
    let double = lit.style == LiteralStyle::YamlDouble;
    let b = raw.as_bytes();
    let mut bare = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        if c != b';' {
            continue;
        }
        // Count the backslashes before it: in a double-quoted string `\\;` is the
        // escaped form (the YAML escape `\\` yields the backslash octoDNS wants).
        let slashes = b[..i].iter().rev().take_while(|&&x| x == b'\\').count();
        let escaped = if double { slashes >= 2 } else { slashes >= 1 };
        if !escaped {
            bare.push(i);
        }
    }
    let Some(&first) = bare.first() else { return };
    let at = |i: usize| lit.range.start + i as u32;
    let insert = if double { "\\\\" } else { "\\" };
    let edits = bare.iter().map(|&i| Edit::insert(file, at(i), insert)).collect();
    let n = bare.len();
    out.push(
        Diagnostic::new(
            &RULE,
            file,
            TextRange::new(at(first), at(first) + 1),
            format!("octoDNS refuses TXT values with a bare `;` ({n} in this value): write `{insert};` so the zone loads",),
        )
        .for_record(record_start)
        .with_fix(Fix::safe(format!("Escape {} as `{insert};`", if n == 1 { "the semicolon" } else { "the semicolons" }), edits)),
    );
}
