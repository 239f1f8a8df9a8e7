//! MTA-STS policy discovery records at `_mta-sts.<domain>` (RFC 8461 §3.1):
//! `v=STSv1; id=<1-32 letters and digits>;`.

use std::ops::Range;

use super::tag_list;

pub fn looks_like(value: &[u8]) -> bool {
    value.len() >= 7 && value[..7].eq_ignore_ascii_case(b"v=STSv1")
}

/// Problems with the record, each with its range in the value.
pub fn check(value: &[u8]) -> Vec<(Range<u32>, String)> {
    let tags = tag_list::parse(value, false);
    let mut out: Vec<(Range<u32>, String)> = tags.errors.iter().map(|e| (e.range.clone(), e.message.clone())).collect();
    match tags.first() {
        Some(v) if v.name == "v" && v.value == "STSv1" => {}
        Some(v) if v.name == "v" => out.push((v.range.clone(), format!("`v={}` must be exactly `v=STSv1` (RFC 8461 §3.1)", v.value))),
        Some(first) => out.push((first.range.clone(), "the record must start with `v=STSv1` (RFC 8461 §3.1)".into())),
        None => out.push((0..value.len() as u32, "an empty record: write `v=STSv1; id=<policy id>;` (RFC 8461 §3.1)".into())),
    }
    match tags.get("id") {
        Some(id) => {
            if id.value.is_empty() || id.value.len() > 32 || !id.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
                out.push((id.range.clone(), format!("`id={}` must be 1 to 32 letters and digits (RFC 8461 §3.1)", id.value)));
            }
        }
        None => {
            if tags.errors.is_empty() {
                out.push((0..value.len() as u32, "missing `id=`: senders use it to notice a changed policy (RFC 8461 §3.1)".into()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn checks() {
        assert!(super::check(b"v=STSv1; id=20160831085700Z;").is_empty());
        assert_eq!(super::check(b"v=STSv1; id=2016-08-31").len(), 1);
        assert_eq!(super::check(b"v=STSv1;").len(), 1);
        assert_eq!(super::check(b"id=1; v=STSv1").len(), 1);
    }
}
