use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports characters that look like ASCII but are not, inside an SPF, DKIM, DMARC,
    /// MTA-STS, TLS-RPT or BIMI record: en and em dashes and the minus sign for `-`,
    /// smart quotes, non-breaking, zero-width and other Unicode spaces. They come from
    /// copying a record out of a document, a chat or a web page.
    ///
    /// ## Why it matters
    /// To a receiver `v=spf1 –all` holds an unknown term, not `-all`: the whole SPF record
    /// is PermError. A non-breaking space inside a DKIM key breaks its base64; one after
    /// `v=DMARC1;` can get the record discarded. The zone looks perfect on screen.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.example.net –all"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.example.net -all"
    /// ```
    ///
    /// ## Fix
    /// Replaces each character with its ASCII counterpart, or removes it (zero-width
    /// characters, smart double quotes). Safe: it is what the record was meant to say.
    ///
    /// ## Reference
    /// RFC 7208 §3.1 (7-bit ASCII); RFC 6376 §3.2 (tag-value characters).
    pub static RULE = {
        code: "txt/lookalike-character",
        severity: Error,
        fix: Safe,
        summary: "a Unicode lookalike character in a mail-auth record",
    }
}

/// The ASCII a lookalike character stands for (empty: remove it).
pub fn ascii_for(ch: char) -> Option<&'static str> {
    Some(match ch {
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => "",
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => "",
        '\u{FF1B}' => ";",
        '\u{FF1D}' => "=",
        '\u{FF1A}' => ":",
        _ => return None,
    })
}

fn describe(ch: char) -> &'static str {
    match ch {
        '\u{2013}' => "an en dash",
        '\u{2014}' => "an em dash",
        '\u{2212}' => "a minus sign",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2015}' | '\u{FE63}' | '\u{FF0D}' => "a Unicode dash",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => "a curly single quote",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => "a curly double quote",
        '\u{00A0}' | '\u{202F}' => "a non-breaking space",
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "a zero-width character",
        '\u{00AD}' => "a soft hyphen",
        '\u{FF1B}' | '\u{FF1D}' | '\u{FF1A}' => "a full-width punctuation mark",
        _ => "a Unicode space",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, out: &mut Vec<Diagnostic>) {
    if !m.kind.is_mail_auth() {
        return;
    }
    let bytes = m.value.bytes();
    // Every lookalike is outside ASCII.
    if bytes.is_ascii() {
        return;
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    for (i, ch) in text.char_indices() {
        let Some(ascii) = ascii_for(ch) else { continue };
        let range = i as u32..(i + ch.len_utf8()) as u32;
        let shown = if ascii.is_empty() {
            "remove it".to_string()
        } else if ascii == " " {
            "use a plain space".to_string()
        } else {
            format!("use `{ascii}`")
        };
        let title =
            if ascii.is_empty() { format!("Remove {}", describe(ch)) } else { format!("Replace {} with `{}`", describe(ch), ascii) };
        out.push(
            m.diag(
                &RULE,
                range.clone(),
                format!(
                    "{} (U+{:04X}) where ASCII is expected — receivers do not read it as the character it looks like; {shown}",
                    describe(ch),
                    ch as u32
                ),
            )
            .with_fix(Fix::safe(title, m.replace(cx, range, ascii))),
        );
    }
}
