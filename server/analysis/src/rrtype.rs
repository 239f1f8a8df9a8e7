//! Resource record types and classes: mnemonics, numbers, meaning and defining RFC.
//!
//! Our own table rather than hickory's `RecordType`, which lacks SPF(99), LOC, URI
//! and other types that appear in real zones, and carries no descriptions for hover.

use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RrType(pub u16);

pub struct RrTypeInfo {
    pub code: u16,
    pub mnemonic: &'static str,
    pub description: &'static str,
    pub rfc: &'static str,
    /// Query/meta types (OPT, ANY, AXFR …) cannot appear in a zone file.
    pub meta: bool,
}

macro_rules! types {
    ($( $code:literal $name:ident $mn:literal $rfc:literal $desc:literal $(meta $meta:literal)?;)*) => {
        impl RrType {
            $(pub const $name: RrType = RrType($code);)*
        }
        pub static RR_TYPES: &[RrTypeInfo] = &[
            $(RrTypeInfo { code: $code, mnemonic: $mn, description: $desc, rfc: $rfc, meta: false $(|| $meta)? },)*
        ];
    };
}

types! {
    1 A "A" "RFC 1035" "IPv4 host address";
    2 NS "NS" "RFC 1035" "authoritative name server for the zone or a delegation";
    3 MD "MD" "RFC 1035" "mail destination (obsolete, use MX)";
    4 MF "MF" "RFC 1035" "mail forwarder (obsolete, use MX)";
    5 CNAME "CNAME" "RFC 1035" "canonical name: this name is an alias of another";
    6 SOA "SOA" "RFC 1035" "start of a zone of authority: primary server, contact, serial and timers";
    7 MB "MB" "RFC 1035" "mailbox domain name (experimental)";
    8 MG "MG" "RFC 1035" "mail group member (experimental)";
    9 MR "MR" "RFC 1035" "mail rename domain name (experimental)";
    10 NULL "NULL" "RFC 1035" "null record (experimental)";
    11 WKS "WKS" "RFC 1035" "well-known services (obsolete)";
    12 PTR "PTR" "RFC 1035" "domain name pointer, used for reverse DNS";
    13 HINFO "HINFO" "RFC 1035, RFC 8482" "host information: CPU and OS";
    14 MINFO "MINFO" "RFC 1035" "mailbox or mail list information (experimental)";
    15 MX "MX" "RFC 1035, RFC 7505" "mail exchange: the hosts that receive mail for this name, by preference";
    16 TXT "TXT" "RFC 1035" "text strings; carries SPF, DKIM, DMARC, MTA-STS, TLS-RPT and BIMI policies";
    17 RP "RP" "RFC 1183" "responsible person";
    18 AFSDB "AFSDB" "RFC 1183" "AFS database location";
    19 X25 "X25" "RFC 1183" "X.25 PSDN address";
    20 ISDN "ISDN" "RFC 1183" "ISDN address";
    21 RT "RT" "RFC 1183" "route through";
    22 NSAP "NSAP" "RFC 1706" "NSAP address";
    23 NSAP_PTR "NSAP-PTR" "RFC 1706" "NSAP pointer";
    24 SIG "SIG" "RFC 2535" "security signature (obsolete, use RRSIG)";
    25 KEY "KEY" "RFC 2535" "security key";
    26 PX "PX" "RFC 2163" "X.400 mail mapping";
    27 GPOS "GPOS" "RFC 1712" "geographical position";
    28 AAAA "AAAA" "RFC 3596" "IPv6 host address";
    29 LOC "LOC" "RFC 1876" "location information";
    30 NXT "NXT" "RFC 2535" "next domain (obsolete, use NSEC)";
    33 SRV "SRV" "RFC 2782" "service locator: priority, weight, port and target host";
    35 NAPTR "NAPTR" "RFC 3403" "naming authority pointer";
    36 KX "KX" "RFC 2230" "key exchanger";
    37 CERT "CERT" "RFC 4398" "certificate";
    38 A6 "A6" "RFC 6563" "IPv6 address (historic)";
    39 DNAME "DNAME" "RFC 6672" "delegation name: redirects a whole subtree";
    41 OPT "OPT" "RFC 6891" "EDNS option pseudo-record" meta true;
    42 APL "APL" "RFC 3123" "address prefix list";
    43 DS "DS" "RFC 4034" "delegation signer: hash of a child zone's DNSKEY";
    44 SSHFP "SSHFP" "RFC 4255" "SSH key fingerprint";
    45 IPSECKEY "IPSECKEY" "RFC 4025" "IPsec key";
    46 RRSIG "RRSIG" "RFC 4034" "DNSSEC signature over an RRset";
    47 NSEC "NSEC" "RFC 4034" "DNSSEC authenticated denial: next name";
    48 DNSKEY "DNSKEY" "RFC 4034" "DNSSEC public key";
    49 DHCID "DHCID" "RFC 4701" "DHCP identifier";
    50 NSEC3 "NSEC3" "RFC 5155" "DNSSEC hashed authenticated denial";
    51 NSEC3PARAM "NSEC3PARAM" "RFC 5155" "NSEC3 parameters";
    52 TLSA "TLSA" "RFC 6698" "DANE TLS certificate association";
    53 SMIMEA "SMIMEA" "RFC 8162" "S/MIME certificate association";
    55 HIP "HIP" "RFC 8005" "host identity protocol";
    56 NINFO "NINFO" "IANA" "zone status information";
    57 RKEY "RKEY" "IANA" "resource key";
    58 TALINK "TALINK" "IANA" "trust anchor link";
    59 CDS "CDS" "RFC 7344" "child copy of DS";
    60 CDNSKEY "CDNSKEY" "RFC 7344" "child copy of DNSKEY";
    61 OPENPGPKEY "OPENPGPKEY" "RFC 7929" "OpenPGP public key";
    62 CSYNC "CSYNC" "RFC 7477" "child-to-parent synchronisation";
    63 ZONEMD "ZONEMD" "RFC 8976" "message digest over the zone";
    64 SVCB "SVCB" "RFC 9460" "service binding";
    65 HTTPS "HTTPS" "RFC 9460" "HTTPS service binding";
    66 DSYNC "DSYNC" "RFC 9859" "DS synchronisation endpoint";
    99 SPF "SPF" "RFC 4408 (removed by RFC 7208 §14.1)" "SPF policy as its own type: obsolete, publish SPF as TXT";
    104 NID "NID" "RFC 6742" "ILNP node identifier";
    105 L32 "L32" "RFC 6742" "ILNP 32-bit locator";
    106 L64 "L64" "RFC 6742" "ILNP 64-bit locator";
    107 LP "LP" "RFC 6742" "ILNP locator pointer";
    108 EUI48 "EUI48" "RFC 7043" "48-bit MAC address";
    109 EUI64 "EUI64" "RFC 7043" "64-bit EUI address";
    249 TKEY "TKEY" "RFC 2930" "transaction key" meta true;
    250 TSIG "TSIG" "RFC 8945" "transaction signature" meta true;
    251 IXFR "IXFR" "RFC 1995" "incremental zone transfer" meta true;
    252 AXFR "AXFR" "RFC 5936" "zone transfer" meta true;
    253 MAILB "MAILB" "RFC 1035" "mailbox-related records" meta true;
    254 MAILA "MAILA" "RFC 1035" "mail agent records" meta true;
    255 ANY "ANY" "RFC 8482" "any type" meta true;
    256 URI "URI" "RFC 7553" "uniform resource identifier";
    257 CAA "CAA" "RFC 8659" "certification authority authorisation";
    258 AVC "AVC" "IANA" "application visibility and control";
    259 DOA "DOA" "IANA" "digital object architecture";
    260 AMTRELAY "AMTRELAY" "RFC 8777" "automatic multicast tunnelling relay";
    261 RESINFO "RESINFO" "RFC 9606" "resolver information";
    32768 TA "TA" "IANA" "DNSSEC trust authority";
    32769 DLV "DLV" "RFC 8749" "DNSSEC lookaside validation (historic)";
}

impl RrType {
    pub fn info(self) -> Option<&'static RrTypeInfo> {
        RR_TYPES.iter().find(|t| t.code == self.0)
    }

    /// Parses a mnemonic (any case) or RFC 3597 `TYPEnnn`.
    pub fn from_mnemonic(s: &str) -> Option<RrType> {
        if s.len() > 10 {
            return None;
        }
        let mut buf = [0u8; 10];
        let upper = &mut buf[..s.len()];
        upper.copy_from_slice(s.as_bytes());
        upper.make_ascii_uppercase();
        // Common types first: this runs once per record.
        let t = match &*upper {
            b"A" => RrType::A,
            b"AAAA" => RrType::AAAA,
            b"CNAME" => RrType::CNAME,
            b"TXT" => RrType::TXT,
            b"MX" => RrType::MX,
            b"NS" => RrType::NS,
            b"SRV" => RrType::SRV,
            b"CAA" => RrType::CAA,
            b"SOA" => RrType::SOA,
            b"PTR" => RrType::PTR,
            _ => {
                if let Some(num) = upper.strip_prefix(b"TYPE") {
                    return parse_u16(num).map(RrType);
                }
                let upper = std::str::from_utf8(upper).ok()?;
                return RR_TYPES.iter().find(|t| t.mnemonic == upper).map(|t| RrType(t.code));
            }
        };
        Some(t)
    }

    pub fn mnemonic(self) -> Option<&'static str> {
        self.info().map(|i| i.mnemonic)
    }

    pub fn is_meta(self) -> bool {
        self.info().is_some_and(|i| i.meta) || (128..=255).contains(&self.0)
    }
}

fn parse_u16(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v: u32 = digits.iter().fold(0, |a, &d| a * 10 + (d - b'0') as u32);
    u16::try_from(v).ok()
}

impl fmt::Display for RrType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(m) => f.write_str(m),
            None => write!(f, "TYPE{}", self.0),
        }
    }
}

impl fmt::Debug for RrType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// DNS classes as they appear in master files.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct RrClass(pub u16);

impl RrClass {
    pub const IN: RrClass = RrClass(1);
    pub const CH: RrClass = RrClass(3);
    pub const HS: RrClass = RrClass(4);

    pub fn from_mnemonic(s: &str) -> Option<RrClass> {
        if s.eq_ignore_ascii_case("IN") {
            Some(RrClass::IN)
        } else if s.eq_ignore_ascii_case("CH") || s.eq_ignore_ascii_case("CHAOS") {
            Some(RrClass::CH)
        } else if s.eq_ignore_ascii_case("HS") {
            Some(RrClass::HS)
        } else if s.len() > 5 && s.as_bytes()[..5].eq_ignore_ascii_case(b"CLASS") {
            parse_u16(&s.as_bytes()[5..]).map(RrClass)
        } else {
            None
        }
    }
}

impl fmt::Display for RrClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("IN"),
            3 => f.write_str("CH"),
            4 => f.write_str("HS"),
            n => write!(f, "CLASS{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mnemonics() {
        assert_eq!(RrType::from_mnemonic("txt"), Some(RrType::TXT));
        assert_eq!(RrType::from_mnemonic("spf"), Some(RrType::SPF));
        assert_eq!(RrType::from_mnemonic("TYPE65280"), Some(RrType(65280)));
        assert_eq!(RrType::from_mnemonic("TYPE70000"), None);
        assert_eq!(RrType::from_mnemonic("FOOBAR"), None);
        assert_eq!(RrType(65280).to_string(), "TYPE65280");
        assert_eq!(RrType::from_mnemonic("NSAP-PTR"), Some(RrType::NSAP_PTR));
        assert!(RrType::ANY.is_meta());
        assert_eq!(RrClass::from_mnemonic("class1"), Some(RrClass::IN));
    }
}
