//! SPF evaluation (RFC 7208 `check_host()`, macros included) of arbitrary records, with
//! a resolver that answers every TXT query with one of the input's records.
//!
//! Input: 4 bytes of client IPv4 address, the sender's local part up to a NUL, then
//! records separated by newlines (the first is the sender domain's).
#![no_main]

use std::net::{IpAddr, Ipv4Addr};

use libfuzzer_sys::fuzz_target;
use zonels_analysis::dns::{DnsResult, QType, Rdata};
use zonels_analysis::spf_eval::{Resolver, Session, check};

struct FromInput {
    records: Vec<Vec<u8>>,
    queries: usize,
}

impl Resolver for FromInput {
    fn query(&mut self, name: &str, t: QType) -> DnsResult {
        self.queries += 1;
        let pick = name.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
        match t {
            QType::Txt if name.trim_end_matches('.') == "example.com" => DnsResult::Records(vec![Rdata::Txt(vec![self.records[0].clone()])]),
            QType::Txt => match self.records.get(pick % (self.records.len() + 1)) {
                Some(r) => DnsResult::Records(vec![Rdata::Txt(r.chunks(255).map(<[u8]>::to_vec).collect())]),
                None => DnsResult::NxDomain,
            },
            QType::A if pick % 3 == 0 => DnsResult::Records(vec![Rdata::A(Ipv4Addr::new(192, 0, 2, (pick % 256) as u8))]),
            QType::Mx if pick % 2 == 0 => DnsResult::Records(vec![Rdata::Mx(10, format!("mx{}.example.com.", pick % 20))]),
            QType::Ptr => DnsResult::Records(vec![Rdata::Ptr(format!("host{}.example.com.", pick % 5))]),
            _ if pick % 7 == 0 => DnsResult::Error("timed out".into()),
            _ => DnsResult::NoData,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let ip = IpAddr::V4(Ipv4Addr::new(data[0], data[1], data[2], data[3]));
    let rest = &data[4..];
    let (local, records) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&b""[..], rest),
    };
    let records: Vec<Vec<u8>> = records.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let session = Session {
        ip,
        sender: format!("{}@example.com", String::from_utf8_lossy(local)),
        helo: "mail.example.com".into(),
        receiver: "mx.example.net".into(),
        now: 1_700_000_000,
    };
    let mut resolver = FromInput { records, queries: 0 };
    let out = check(&session, &mut resolver);
    // RFC 7208 §4.6.4: at most 10 lookups; each may cost an MX/PTR walk of 10 names.
    assert!(resolver.queries <= 400, "{} queries", resolver.queries);
    assert!(out.lookups <= 11);
});
