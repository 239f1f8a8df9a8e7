//! SMTP TLS reporting records at `_smtp._tls.<domain>` (RFC 8460 §3):
//! `v=TLSRPTv1; rua=mailto:…,https://…`.

use std::ops::Range;

use super::tag_list;

pub fn looks_like(value: &[u8]) -> bool {
    value.len() >= 10 && value[..10].eq_ignore_ascii_case(b"v=TLSRPTv1")
}

pub fn check(value: &[u8]) -> Vec<(Range<u32>, String)> {
    let tags = tag_list::parse(value, false);
    let mut out: Vec<(Range<u32>, String)> = tags.errors.iter().map(|e| (e.range.clone(), e.message.clone())).collect();
    match tags.first() {
        Some(v) if v.name == "v" && v.value == "TLSRPTv1" => {}
        Some(v) if v.name == "v" => out.push((v.range.clone(), format!("`v={}` must be exactly `v=TLSRPTv1` (RFC 8460 §3)", v.value))),
        Some(first) => out.push((first.range.clone(), "the record must start with `v=TLSRPTv1` (RFC 8460 §3)".into())),
        None => out.push((0..value.len() as u32, "an empty record: write `v=TLSRPTv1; rua=mailto:tls-reports@example.com`".into())),
    }
    match tags.get("rua") {
        Some(rua) => {
            for (uri, range) in tag_list::split_value(&rua, b',') {
                let lower = uri.to_ascii_lowercase();
                let ok = if let Some(addr) = lower.strip_prefix("mailto:") {
                    super::dmarc::valid_address(addr)
                } else if let Some(rest) = lower.strip_prefix("https://") {
                    !rest.is_empty() && !rest.starts_with('/')
                } else {
                    false
                };
                if !ok {
                    out.push((range, format!("`{uri}` is not a `mailto:` address or an `https:` URL (RFC 8460 §3)")));
                }
            }
        }
        None => {
            if tags.errors.is_empty() {
                out.push((0..value.len() as u32, "missing `rua=`: where should reports go? (RFC 8460 §3)".into()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn checks() {
        assert!(super::check(b"v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.com/v1").is_empty());
        assert_eq!(super::check(b"v=TLSRPTv1; rua=tls@example.com").len(), 1);
        assert_eq!(super::check(b"v=TLSRPTv1").len(), 1);
    }
}
