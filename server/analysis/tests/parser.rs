//! Parser corpus: tricky valid files and broken ones. Each case renders the records
//! (owner, TTL, class, type, data, and the source text of every span) and the findings
//! with their spans; the snapshots are the expectations.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zonels_analysis::config::Limits;
use zonels_analysis::diagnostics::FileId;
use zonels_analysis::model::OriginSource;
use zonels_analysis::name::Name;
use zonels_analysis::source::{IncludeError, SourceLoader};
use zonels_analysis::text::{LineIndex, PositionEncoding, TextRange};
use zonels_analysis::zone::{ParseInput, parse_zone};

struct MemLoader(HashMap<PathBuf, (FileId, Arc<str>)>);

impl SourceLoader for MemLoader {
    fn load(&self, path: &Path) -> Result<(FileId, Arc<str>), IncludeError> {
        self.0.get(path).cloned().ok_or(IncludeError::NotFound)
    }
}

fn pos(text: &str, r: TextRange) -> String {
    let idx = LineIndex::new(text);
    let a = idx.line_col(text, r.start, PositionEncoding::Utf32);
    let b = idx.line_col(text, r.end, PositionEncoding::Utf32);
    format!("{}:{}-{}:{}", a.line + 1, a.col + 1, b.line + 1, b.col + 1)
}

/// Parses `text` as `/ws/example.com.zone` (origin from the file name) with the given
/// include files, and renders the result.
fn check_with(text: &str, includes: &[(&str, &str)]) -> String {
    let mut files: Vec<(String, Arc<str>)> = vec![("main".into(), Arc::from(text))];
    let mut map = HashMap::new();
    for (i, (name, body)) in includes.iter().enumerate() {
        let id = FileId(i as u32 + 1);
        map.insert(PathBuf::from(format!("/ws/{name}")), (id, Arc::from(*body)));
        files.push((name.to_string(), Arc::from(*body)));
    }
    let loader = MemLoader(map);
    let limits = Limits::default();
    let parsed = parse_zone(ParseInput {
        file: FileId(0),
        path: Path::new("/ws/example.com.zone"),
        text,
        origin: Some(Name::parse_absolute("example.com.").unwrap()),
        origin_source: OriginSource::FileName,
        root: Path::new("/ws"),
        loader: &loader,
        limits: &limits,
    });
    let mut out = String::new();
    out.push_str(&format!("apex {}\n", parsed.zone.apex));
    for r in &parsed.zone.records {
        let (fname, ftext) = &files[r.file.0 as usize];
        let data = r.rdata_text(ftext).replace('\n', "⏎");
        out.push_str(&format!(
            "{} {} {} {} [{}]{} @{}:{}{}\n",
            r.owner,
            r.ttl,
            r.class,
            r.rtype,
            data,
            if r.bad_rdata { " BAD" } else { "" },
            fname,
            pos(ftext, r.span),
            r.owner_span.get().map(|s| format!(" owner={:?}", &ftext[s])).unwrap_or_default(),
        ));
    }
    for d in &parsed.diagnostics {
        let (fname, ftext) = &files[d.file.0 as usize];
        out.push_str(&format!("{} {}:{} {:?}: {}\n", d.code(), fname, pos(ftext, d.range), &ftext[d.range], d.message));
    }
    out
}

fn check(text: &str) -> String {
    check_with(text, &[])
}

macro_rules! case {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), check($text));
        }
    };
}

case!(
    multi_line_soa_with_comments,
    "$TTL 1h ; default\n@ IN SOA ns1.example.com. hostmaster.example.com. ( ; open\n\t2024010101 ; serial\n\t2h ; refresh\n\t1h ; retry\n\t2w ; expire\n\t5m ) ; minimum\n  IN NS ns1\nns1 IN A 192.0.2.53\n"
);

case!(
    class_and_ttl_in_either_order,
    "$TTL 300\na 60 IN A 192.0.2.1\nb IN 60 A 192.0.2.2\nc IN A 192.0.2.3\nd 1h30m A 192.0.2.4\ne A 192.0.2.5\n"
);

case!(
    owner_inheritance_apex_and_absolute_names,
    "$TTL 1h\n@ IN A 192.0.2.1\n  IN AAAA 2001:db8::1\nwww IN A 192.0.2.2\n\tIN TXT \"www\"\nmail.example.net. IN A 192.0.2.3\n\tIN MX 10 mail\n$ORIGIN sub.example.com.\nhost IN A 192.0.2.4\n@ IN MX 10 host\n"
);

case!(
    quoted_strings_escapes_and_comments,
    "$TTL 1h\nt1 IN TXT \"a;b\" \"c\\\"d\" ; comment after quotes\nt2 IN TXT \"v=DKIM1\\; p=abc\" \"\\065\\066\"\nt3 IN TXT unquoted multi word text\nt4 IN TXT ( \"part one\"\n            \"part two\" ) ; done\nt5 IN TXT \"emoji 😀 kept\"\n"
);

case!(
    rfc3597_generic_and_type_numbers,
    "$TTL 1h\nx IN TYPE65280 \\# 4 0a000001\ny IN A \\# 4 C0000201\nz IN TYPE65281 \\# 0\nbad IN TYPE65282 \\# 2 0a000001\n"
);

case!(
    generate_directive,
    "$TTL 1h\n$GENERATE 1-3 host-$ A 192.0.2.$\n$GENERATE 10-12/2 ${0,3,d}.rev PTR host-$.example.com.\n$GENERATE 1-2 h$ 300 IN CNAME \"target-${5,2,x}\"\n$GENERATE 1-2 bad$ A 192.0.2.${300}\n"
);

case!(crlf_line_endings, "$TTL 1h\r\n@ IN A 192.0.2.1\r\n  IN TXT \"crlf\" ; note\r\nwww IN A 192.0.2.2\r\n");

case!(
    broken_lines_recover,
    "$TTL 1h\na IN A 192.0.2.1\nb IN TXT \"no end\nc IN A 1.2.3\nd 1h30 IN A 192.0.2.4\ne IN ZZZ x\nf IN A 192.0.2.6 )\n  IN A 192.0.2.66\ng IN TXT \"\\300\"\nh IN MX 10 ( mail\ni IN A 192.0.2.9\n"
);

case!(
    directives_misused,
    "$TTL\n$TTL 1h 2h\n$ORIGIN\n$INCLUDE\n$ORIGIN a..b.\n$GENERATE 5-1 x A 192.0.2.1\n$GENERATE 1-2\n  IN A 192.0.2.1\nok IN A 192.0.2.2\n"
);

case!(class_mismatch_and_meta_types, "$TTL 1h\na IN A 192.0.2.1\nb CH TXT \"chaos\"\nc IN ANY 1\nd IN IN A 192.0.2.4\n");

#[test]
fn include_with_origin_and_restore() {
    let main = "$TTL 1h\n@ IN SOA ns1 host 1 2 3 4 5\nwww IN A 192.0.2.1\n$INCLUDE sub.inc sub.example.com.\nafter IN A 192.0.2.9\n  IN TXT \"inherits after\"\n";
    let inc = "@ IN A 192.0.2.2\nhost IN A 192.0.2.3\n$ORIGIN other.example.com.\nx IN A 192.0.2.4\n";
    insta::assert_snapshot!("include_with_origin_and_restore", check_with(main, &[("sub.inc", inc)]));
}

#[test]
fn recovery_keeps_every_later_record() {
    // One broken record in a thousand: every other record must survive.
    let mut text = String::from("$TTL 1h\n");
    for i in 0..1000 {
        if i % 100 == 50 {
            text.push_str(&format!("h{i} IN TXT \"broken ( \n"));
        } else {
            text.push_str(&format!("h{i} IN A 192.0.2.{}\n", i % 250));
        }
    }
    let out = check(&text);
    assert_eq!(out.lines().filter(|l| l.contains(" A [")).count(), 990);
    assert_eq!(out.lines().filter(|l| l.starts_with("zone/syntax")).count(), 10);
}
