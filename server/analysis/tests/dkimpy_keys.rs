//! dkimpy's test key records (from its sdist, fetched by tests/run) parse to the same key
//! type and size with zonels as with dkimpy itself, run as the oracle.

use std::path::PathBuf;
use std::process::Command;

use zonels_analysis::records::dkim;
use zonels_analysis::records::dkim_key::KeyVerdict;

fn test_data() -> PathBuf {
    std::env::var_os("ZONELS_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-data"))
}

/// For each key record file: what dkimpy makes of it (`rsa <bits>`, `ed25519 32`, or `error`).
const ORACLE: &str = r#"
import sys, base64, dkim.util, dkim.crypto
for path in sys.argv[1:]:
    text = open(path, 'rb').read().strip()
    try:
        tags = dkim.util.parse_tag_value(text)
        k = tags.get(b'k', b'rsa')
        p = base64.b64decode(tags[b'p'])
        if k == b'ed25519':
            print(path, 'ed25519', len(p) * 8 if len(p) == 32 else 'error')
        elif k == b'rsa':
            key = dkim.crypto.parse_public_key(p)
            print(path, 'rsa', key['modulus'].bit_length())
        else:
            print(path, 'error')
    except Exception as e:
        print(path, 'error')
"#;

#[test]
fn same_key_type_and_size_as_dkimpy() {
    let data = test_data().join("dkimpy-1.1.8/dkim/tests/data");
    let python = test_data().join("venv/bin/python");
    assert!(data.is_dir() && python.exists(), "dkimpy test data missing in {}: run ./tests/run, which fetches it", test_data().display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "dns"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    let out = Command::new(&python).arg("-c").arg(ORACLE).args(&files).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let oracle = String::from_utf8(out.stdout).unwrap();
    let mut mismatches = Vec::new();
    for line in oracle.lines() {
        let mut parts = line.split_whitespace();
        let path = parts.next().unwrap();
        let theirs: Vec<&str> = parts.collect();
        let rec = dkim::parse(std::fs::read(path).unwrap().trim_ascii());
        let ours = match (&rec.key, rec.key_type.as_str()) {
            (Some(KeyVerdict::Rsa { bits, .. }), "rsa") => format!("rsa {bits}"),
            (Some(KeyVerdict::Ed25519), "ed25519") => "ed25519 256".to_string(),
            _ => "error".to_string(),
        };
        if ours != theirs.join(" ") {
            mismatches.push(format!("{path}: zonels `{ours}`, dkimpy `{}`", theirs.join(" ")));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
