//! DKIM public keys (`p=`): base64, then DER. The RSA modulus size is computed without
//! refusing small keys (the `rsa` crate rejects keys under 1024 bits, so it could not
//! say "this key is 512 bits"); ed25519 keys are the raw 32 octets of RFC 8463.

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

const B64: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent));

const OID_RSA: spki::ObjectIdentifier = spki::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_ED25519: spki::ObjectIdentifier = spki::ObjectIdentifier::new_unwrap("1.3.101.112");

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyVerdict {
    /// `p=` empty: the key is revoked (RFC 6376 §3.6.1).
    Revoked,
    /// Not base64: the byte offset (in the white-space-free text) and why.
    BadEncoding(String),
    /// Decodes, but is not a key of the declared type.
    Bad(String),
    /// An RSA key; `pkcs1` when published as a bare RSAPublicKey rather than an SPKI.
    Rsa {
        bits: u32,
        pkcs1: bool,
    },
    Ed25519,
    /// An ed25519 key wrapped in a SubjectPublicKeyInfo: RFC 8463 wants the raw 32
    /// octets. Carries the base64 of the raw key, for the fix.
    Ed25519Spki {
        raw_base64: String,
    },
    /// `k=` names an algorithm we cannot check.
    Unchecked,
}

/// Removes folding white space from a `p=` value (RFC 6376 §3.6.1 allows FWS in it).
pub fn strip_fws(value: &str) -> std::borrow::Cow<'_, str> {
    // ASCII white space is at most 0x20: a test the compiler can run on many bytes at once.
    if value.bytes().any(|b| b <= b' ') {
        value.chars().filter(|c| !c.is_ascii_whitespace()).collect::<String>().into()
    } else {
        value.into()
    }
}

/// The characters of base64 text: letters, digits, `+`, `/` and the padding `=`.
const BASE64_CHARS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=';
        b += 1;
    }
    t
};

pub fn decode_base64(value: &str) -> Result<Vec<u8>, String> {
    let b = strip_fws(value);
    // Decoded first: a stray character is looked for (to name it) only when that fails.
    B64.decode(b.as_bytes()).map_err(|e| match e {
        _ if let Some(at) = b.bytes().position(|c| !BASE64_CHARS[c as usize]) => {
            let c = b[at..].chars().next().unwrap_or('?');
            format!("`{c}` (character {}) is not a base64 character", at + 1)
        }
        base64::DecodeError::InvalidLength(n) => {
            format!("the base64 text has an invalid length ({n} characters); a character is missing or extra")
        }
        base64::DecodeError::InvalidPadding => "the base64 padding (`=`) is wrong".to_string(),
        other => format!("not valid base64 ({other})"),
    })
}

/// Bit length of a big-endian unsigned integer.
fn bit_len(bytes: &[u8]) -> u32 {
    let first = bytes.iter().position(|&b| b != 0);
    match first {
        None => 0,
        Some(i) => (bytes.len() - i) as u32 * 8 - bytes[i].leading_zeros(),
    }
}

fn rsa_bits(der_bytes: &[u8]) -> Option<u32> {
    let key = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::try_from(der_bytes).ok()?;
    Some(bit_len(key.modulus.as_bytes()))
}

/// Checks the key in `p=` for key type `k` (`rsa` when absent).
pub fn analyze(key_type: &str, p: &str) -> KeyVerdict {
    if p.bytes().all(|b| b.is_ascii_whitespace()) {
        return KeyVerdict::Revoked;
    }
    let bytes = match decode_base64(p) {
        Ok(b) => b,
        Err(e) => return KeyVerdict::BadEncoding(e),
    };
    let spki = spki::SubjectPublicKeyInfoRef::try_from(bytes.as_slice()).ok();
    match key_type {
        "rsa" => {
            if let Some(s) = &spki {
                let oid = s.algorithm.oid;
                if oid == OID_RSA {
                    return match rsa_bits(s.subject_public_key.raw_bytes()) {
                        Some(bits) => KeyVerdict::Rsa { bits, pkcs1: false },
                        None => KeyVerdict::Bad("the SubjectPublicKeyInfo does not hold a valid RSAPublicKey".into()),
                    };
                }
                if oid == OID_ED25519 {
                    return KeyVerdict::Bad("this is an ed25519 key, but the record says (or defaults to) `k=rsa`; add `k=ed25519`".into());
                }
                return KeyVerdict::Bad(format!("this key's algorithm is {oid}, not RSA"));
            }
            if let Some(bits) = rsa_bits(&bytes) {
                return KeyVerdict::Rsa { bits, pkcs1: true };
            }
            if bytes.len() == 32 {
                return KeyVerdict::Bad(
                    "these 32 octets look like an ed25519 key, but the record says (or defaults to) `k=rsa`; add `k=ed25519`".into(),
                );
            }
            KeyVerdict::Bad(format!(
                "the {} decoded octets are not a DER SubjectPublicKeyInfo or RSAPublicKey; the key was probably cut short or mangled when pasted",
                bytes.len()
            ))
        }
        "ed25519" => {
            if bytes.len() == 32 {
                return KeyVerdict::Ed25519;
            }
            if let Some(s) = &spki {
                if s.algorithm.oid == OID_ED25519 {
                    let raw = s.subject_public_key.raw_bytes();
                    if raw.len() == 32 {
                        return KeyVerdict::Ed25519Spki { raw_base64: base64::engine::general_purpose::STANDARD.encode(raw) };
                    }
                }
                if s.algorithm.oid == OID_RSA {
                    return KeyVerdict::Bad("this is an RSA key, but the record says `k=ed25519`".into());
                }
            }
            KeyVerdict::Bad(format!("an ed25519 key is exactly 32 octets (RFC 8463 §4.2); this one is {}", bytes.len()))
        }
        _ => KeyVerdict::Unchecked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A 1024-bit RSA SubjectPublicKeyInfo (RFC 6376 Appendix C example key).
    const RSA1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";

    #[test]
    fn rsa_sizes() {
        assert_eq!(analyze("rsa", RSA1024), KeyVerdict::Rsa { bits: 1024, pkcs1: false });
        // Folding white space inside p= is allowed.
        let folded = format!("{} {}", &RSA1024[..40], &RSA1024[40..]);
        assert_eq!(analyze("rsa", &folded), KeyVerdict::Rsa { bits: 1024, pkcs1: false });
        // A 512-bit key is reported with its size, not refused.
        let small = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBANhq7FSYelR1Z5TddmOzdFnVrn7ouxKiEwWuuOBCXG9DjfpLP95ThS/oOMvjYdf2wMMAQgMewIxbKenQDhMJAvcCAwEAAQ==";
        assert_eq!(analyze("rsa", small), KeyVerdict::Rsa { bits: 512, pkcs1: false });
        let bare = "MEgCQQDYauxUmHpUdWeU3XZjs3RZ1a5+6LsSohMFrrjgQlxvQ436Sz/eU4Uv6DjL42HX9sDDAEIDHsCMWynp0A4TCQL3AgMBAAE=";
        assert_eq!(analyze("rsa", bare), KeyVerdict::Rsa { bits: 512, pkcs1: true });
    }

    #[test]
    fn broken_keys() {
        assert_eq!(analyze("rsa", ""), KeyVerdict::Revoked);
        assert!(matches!(analyze("rsa", "MIGf–MA0G"), KeyVerdict::BadEncoding(_)));
        assert!(matches!(analyze("rsa", &RSA1024[..100]), KeyVerdict::BadEncoding(_) | KeyVerdict::Bad(_)));
        let raw = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert_eq!(analyze("ed25519", &raw), KeyVerdict::Ed25519);
        assert!(matches!(analyze("rsa", &raw), KeyVerdict::Bad(m) if m.contains("ed25519")));
        // ed25519 in an SPKI (12-octet header + 32).
        let mut spki = vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
        spki.extend_from_slice(&[9u8; 32]);
        let b = base64::engine::general_purpose::STANDARD.encode(&spki);
        assert_eq!(
            analyze("ed25519", &b),
            KeyVerdict::Ed25519Spki { raw_base64: base64::engine::general_purpose::STANDARD.encode([9u8; 32]) }
        );
        assert_eq!(analyze("foo", RSA1024), KeyVerdict::Unchecked);
    }
}
