//! BIMI assertion records at `<selector>._bimi.<domain>`: `v=BIMI1; l=https://…svg; a=https://…pem`.

use std::ops::Range;

use super::tag_list;

pub fn looks_like(value: &[u8]) -> bool {
    value.len() >= 7 && value[..7].eq_ignore_ascii_case(b"v=BIMI1")
}

pub fn check(value: &[u8]) -> Vec<(Range<u32>, String)> {
    let tags = tag_list::parse(value, false);
    let mut out: Vec<(Range<u32>, String)> = tags.errors.iter().map(|e| (e.range.clone(), e.message.clone())).collect();
    match tags.first() {
        Some(v) if v.name == "v" && v.value == "BIMI1" => {}
        Some(v) if v.name == "v" => out.push((v.range.clone(), format!("`v={}` must be exactly `v=BIMI1`", v.value))),
        Some(first) => out.push((first.range.clone(), "the record must start with `v=BIMI1`".into())),
        None => out.push((0..value.len() as u32, "an empty record: write `v=BIMI1; l=https://example.com/logo.svg`".into())),
    }
    for (name, what) in [("l", "the logo"), ("a", "the mark certificate")] {
        if let Some(t) = tags.get(name) {
            // An empty `l=` declines to publish a logo; that is allowed.
            for (uri, range) in tag_list::split_value(&t, b',') {
                if uri.is_empty() && name == "l" {
                    continue;
                }
                let lower = uri.to_ascii_lowercase();
                if !lower.starts_with("https://") {
                    out.push((range, format!("`{uri}`: {what} must be an `https://` URL")));
                } else if name == "l" && !lower.ends_with(".svg") {
                    out.push((range, format!("`{uri}`: the logo must be an SVG file (Tiny PS profile)")));
                }
            }
        }
    }
    if tags.get("l").is_none() && tags.errors.is_empty() {
        out.push((0..value.len() as u32, "missing `l=`: the URL of the logo (empty to decline)".into()));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn checks() {
        assert!(super::check(b"v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem").is_empty());
        assert!(super::check(b"v=BIMI1; l=;").is_empty());
        assert_eq!(super::check(b"v=BIMI1; l=http://example.com/logo.png").len(), 1);
    }
}
