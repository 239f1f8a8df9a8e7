//! A zone file of arbitrary bytes through the whole analysis: parser, zone checks and
//! every mail rule (offline).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zonels_analysis::analysis::{AnalysisInput, DnsInputs, analyze};
use zonels_analysis::config::Config;
use zonels_analysis::source::{NoIncludes, SourceDb};

fuzz_target!(|data: &[u8]| {
    let mut db = SourceDb::new();
    let id = db.add_bytes("example.com.zone", "/fuzz/example.com.zone", data.to_vec());
    let config = Config::default();
    let input = AnalysisInput {
        sources: &db,
        dns: DnsInputs::none(),
        zone_files: &[id],
        root: Path::new("/fuzz"),
        config: &config,
        loader: &NoIncludes,
    };
    let _ = analyze(&input);
});
