//! A hostile repository, case by case: what someone could commit to make a checker
//! crash, hang, read outside the workspace or exhaust memory. The CLI tests check each
//! case on its own (tests/hostile.rs); the whole repository also goes through the
//! language server (tests/lsp.rs).
#![allow(dead_code)]

use std::fs;
use std::path::Path;

pub const HEAD: &str = "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.53\n";

/// One case: writes its files into a folder; names the findings it must produce.
pub struct Case {
    pub name: &'static str,
    pub write: fn(&Path),
    /// (file, finding code) pairs the case must yield; the file is relative to the folder.
    pub expect: &'static [(&'static str, &'static str)],
}

pub const CASES: &[Case] = &[
    Case { name: "junk", write: junk_bytes, expect: &[("example.com.zone", "zone/bad-rdata")] },
    Case {
        name: "long-line",
        write: long_line,
        expect: &[("example.com.zone", "zone/txt-string-too-long"), ("example.com.zone", "zone/bad-rdata")],
    },
    Case {
        name: "parentheses",
        write: parentheses,
        expect: &[("example.com.zone", "zone/limit-exceeded"), ("example.com.zone", "zone/bad-rdata")],
    },
    Case {
        name: "includes",
        write: includes,
        expect: &[("example.com.zone", "zone/include-cycle"), ("example.com.zone", "zone/include-not-found")],
    },
    Case { name: "include-chain", write: include_chain, expect: &[("f31.inc", "zone/limit-exceeded")] },
    Case { name: "yaml-aliases", write: yaml_alias_bomb, expect: &[("config/example.com.yaml", "zone/limit-exceeded")] },
    Case { name: "deep-js", write: deep_javascript, expect: &[("dnsconfig.js", "zone/limit-exceeded")] },
    Case { name: "terraform", write: broken_terraform, expect: &[("dns.tf", "zone/syntax"), ("dns.tf", "spf/permissive-all")] },
    Case {
        name: "spf-web",
        write: spf_web,
        expect: &[("example.com.zone", "spf/too-many-lookups"), ("example.com.zone", "spf/include-loop")],
    },
    Case {
        name: "macros",
        write: macro_bombs,
        expect: &[("example.com.zone", "spf/unresolved"), ("example.com.zone", "zone/txt-string-too-long")],
    },
];

/// Writes every case into its own folder under `dir`, each with its own domain
/// (`example.com` becomes `<case>.example.com`, in names and contents), so that the
/// cases do not meet in one zone.
pub fn repository(dir: &Path) {
    for case in CASES {
        let sub = dir.join(case.name);
        fs::create_dir_all(&sub).unwrap();
        (case.write)(&sub);
        rename_domain(&sub, &format!("{}.example.com", case.name));
    }
}

/// The (path from the repository root, code) pairs [`repository`] must yield.
pub fn expected() -> Vec<(String, &'static str)> {
    CASES
        .iter()
        .flat_map(|c| {
            c.expect
                .iter()
                .map(move |(f, code)| (format!("{}/{}", c.name, f.replace("example.com", &format!("{}.example.com", c.name))), *code))
        })
        .collect()
}

fn rename_domain(dir: &Path, domain: &str) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            rename_domain(&path, domain);
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let mut out = Vec::with_capacity(bytes.len());
        let mut rest = &bytes[..];
        while let Some(i) = rest.windows(11).position(|w| w == b"example.com") {
            out.extend_from_slice(&rest[..i]);
            out.extend_from_slice(domain.as_bytes());
            rest = &rest[i + 11..];
        }
        out.extend_from_slice(rest);
        let name = path.file_name().unwrap().to_str().unwrap().replace("example.com", domain);
        fs::remove_file(&path).unwrap();
        fs::write(dir.join(name), out).unwrap();
    }
}

/// Deterministic pseudo-random bytes, NULs and all, and a zone with invalid UTF-8.
pub fn junk_bytes(dir: &Path) {
    let mut x: u32 = 0x1234_5678;
    let junk: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x & 0xff) as u8
        })
        .collect();
    fs::write(dir.join("junk.zone"), &junk).unwrap();
    let mut bad_utf8 = HEAD.as_bytes().to_vec();
    bad_utf8.extend_from_slice(b"txt IN TXT \"\xff\xfe\x00 broken \xc3\x28\"\nwww IN A 192.0.2.1\nbad IN A 1.2.3\n");
    fs::write(dir.join("example.com.zone"), bad_utf8).unwrap();
}

/// A 20 MB line, then records that must still be checked.
pub fn long_line(dir: &Path) {
    let mut text = HEAD.to_string();
    text.push_str("big IN TXT \"");
    text.push_str(&"x".repeat(20 * 1024 * 1024));
    text.push_str("\"\nafter IN A 192.0.2.1\nbad IN A 1.2.3\n");
    fs::write(dir.join("example.com.zone"), text).unwrap();
}

/// 100 000 nested parentheses.
pub fn parentheses(dir: &Path) {
    let mut text = HEAD.to_string();
    text.push_str("deep IN TXT ");
    text.push_str(&"(".repeat(100_000));
    text.push_str(" \"x\" ");
    text.push_str(&")".repeat(100_000));
    text.push_str("\nafter IN A 1.2.3\n");
    fs::write(dir.join("example.com.zone"), text).unwrap();
}

/// An include loop, `/etc/passwd` by absolute and relative path, and a symlink out.
pub fn includes(dir: &Path) {
    fs::create_dir_all(dir.join(".git")).unwrap();
    let mut text = HEAD.to_string();
    text.push_str("$INCLUDE example.com.zone\n$INCLUDE /etc/passwd\n$INCLUDE ../../../../../../../../etc/passwd\n");
    fs::write(dir.join("example.com.zone"), &text).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", dir.join("link.inc")).unwrap();
        fs::write(dir.join("other.com.zone"), format!("{}$INCLUDE link.inc\n", HEAD.replace("example.com", "other.com"))).unwrap();
    }
}

/// A chain of 2 000 `$INCLUDE`s.
pub fn include_chain(dir: &Path) {
    fs::write(dir.join("example.com.zone"), format!("{HEAD}$INCLUDE f0.inc\n")).unwrap();
    for i in 0..2000 {
        fs::write(dir.join(format!("f{i}.inc")), format!("h{i} IN A 192.0.2.1\n$INCLUDE f{}.inc\n", i + 1)).unwrap();
    }
}

/// Nine levels of nine merges each (387 420 489 mappings if expanded), and the same as
/// lists of lists.
pub fn yaml_alias_bomb(dir: &Path) {
    fs::create_dir_all(dir.join("config")).unwrap();
    let mut text = String::from("---\n_bomb:\n  a: &a {type: TXT, value: \"v=spf1 -all\"}\n");
    let levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in levels.windows(2) {
        let merges = vec![format!("<<: *{}", w[0]); 9].join(", ");
        text.push_str(&format!("  {}: &{} {{{merges}}}\n", w[1], w[1]));
    }
    text.push_str("  la: &la [\"v=spf1 -all\", \"v=spf1 -all\"]\n");
    text.push_str("  lb: &lb [*la, *la, *la, *la, *la, *la, *la, *la, *la]\n");
    text.push_str("  lc: &lc [*lb, *lb, *lb, *lb, *lb, *lb, *lb, *lb, *lb]\n");
    text.push_str("lists:\n  type: TXT\n  values: *lc\n'':\n  <<: *i\nwww:\n  type: A\n  value: 192.0.2.1\n");
    fs::write(dir.join("config/example.com.yaml"), text).unwrap();
}

/// DNSControl calls and string concatenations nested 5 000 deep.
pub fn deep_javascript(dir: &Path) {
    let depth = 5000;
    let mut text = String::from("var REG = NewRegistrar(\"none\");\nD(\"example.com\", REG,\n  A(\"www\", \"192.0.2.1\"),\n  TXT(\"@\", ");
    text.push_str(&"f(".repeat(depth));
    text.push_str("\"v=spf1 -all\"");
    text.push_str(&")".repeat(depth));
    text.push_str("),\n  TXT(\"deep\", ");
    text.push_str(&"(\"a\" + ".repeat(depth));
    text.push_str("\"b\"");
    text.push_str(&")".repeat(depth));
    text.push_str("),\nEND);\n");
    fs::write(dir.join("dnsconfig.js"), text).unwrap();
}

/// Terraform cut off mid-resource, and 100 000 open brackets.
pub fn broken_terraform(dir: &Path) {
    let text = concat!(
        "resource \"aws_route53_zone\" \"main\" {\n  name = \"example.com\"\n}\n\n",
        "resource \"aws_route53_record\" \"spf\" {\n  zone_id = aws_route53_zone.main.zone_id\n  name = \"example.com\"\n  type = \"TXT\"\n",
        "  records = [\"v=spf1 +all\"]\n}\n\n",
        "resource \"aws_route53_record\" \"broken\" {\n  zone_id = aws_route53_zone.main.zone_id\n  name = \"_dmarc\n  type = \"TXT\"\n  records = [\"v=DMARC1; p=reject\"\n",
        "resource \"aws_route53_record\" \"x\" { records = [[[[[[[[[[[[ \n",
    );
    fs::write(dir.join("dns.tf"), text).unwrap();
    let mut deep = String::from("locals {\n  x = ");
    deep.push_str(&"[".repeat(100_000));
    fs::write(dir.join("deep.tf"), deep + "\n}\nresource \"aws_route53_zone\" \"z\" {\n  name = \"example.org\"\n}\n").unwrap();
}

/// 500 names whose SPF records include each other: a web full of cycles, every name
/// reachable from the apex.
pub fn spf_web(dir: &Path) {
    let mut text = HEAD.to_string();
    text.push_str("@ IN TXT \"v=spf1 include:s0.example.com -all\"\n");
    for i in 0..500 {
        let (a, b, c) = ((i * 7 + 1) % 500, (i * 13 + 2) % 500, (i * 31 + 3) % 500);
        text.push_str(&format!(
            "s{i} IN TXT \"v=spf1 include:s{a}.example.com include:s{b}.example.com include:s{c}.example.com a mx -all\"\n"
        ));
    }
    fs::write(dir.join("example.com.zone"), text).unwrap();
}

/// SPF macros built to expand without end: long repetitions, huge digit transformers,
/// delimiters galore, and an `exp=` chain.
pub fn macro_bombs(dir: &Path) {
    // A repository root, so that `zonels spf` finds the zone.
    fs::create_dir_all(dir.join(".git")).unwrap();
    let mut text = HEAD.to_string();
    let repeat = "%{l}.".repeat(200);
    text.push_str(&format!("@ IN TXT \"v=spf1 exists:{}%{{d}} redirect=r1.example.com\"\n", &repeat[..240]));
    text.push_str(
        "r1 IN TXT \"v=spf1 exists:%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{d} include:%{d99999999999999999999r}.x -all\"\n",
    );
    text.push_str("r2 IN TXT \"v=spf1 exists:%{l1r-.+,/_=}%{o1r-.+,/_=}%{h1r-.+,/_=}.%{d} exp=e.example.com -all\"\n");
    text.push_str("e IN TXT \"%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}\"\n");
    fs::write(dir.join("example.com.zone"), text).unwrap();
}
