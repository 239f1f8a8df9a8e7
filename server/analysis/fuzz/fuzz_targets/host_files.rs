//! Host files of arbitrary text through each extractor: octoDNS YAML, DNSControl
//! JavaScript, Terraform HCL. The first byte picks the format.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zonels_analysis::config::Limits;
use zonels_analysis::diagnostics::FileId;
use zonels_analysis::hosts::{HostInput, lower};
use zonels_analysis::model::{Format, OriginSource};
use zonels_analysis::name::Name;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let (format, file) = match pick % 3 {
        0 => (Format::OctoDns, "config/example.com.yaml"),
        1 => (Format::DnsControl, "dnsconfig.js"),
        _ => (Format::Terraform, "dns.tf"),
    };
    let text = String::from_utf8_lossy(rest);
    let limits = Limits::default();
    let input = HostInput {
        file: FileId(0),
        path: Path::new(file),
        text: &text,
        origin: Name::parse_absolute("example.com").ok(),
        origin_source: OriginSource::FileName,
        limits: &limits,
    };
    let _ = lower(format, &input);
});
