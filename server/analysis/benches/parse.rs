//! In-process parse and check of generated zones (bench/zones.sh makes them):
//! `cargo bench -p zonels-analysis`. Reports throughput in bytes.

use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zonels_analysis::analysis::{AnalysisInput, analyze};
use zonels_analysis::config::Config;
use zonels_analysis::source::{NoIncludes, SourceDb};

fn zone(name: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/out").join(name);
    std::fs::read_to_string(p).ok()
}

fn bench(c: &mut Criterion) {
    for (file, samples) in [("z10k.zone", 30), ("z100k.zone", 10)] {
        let Some(text) = zone(file) else {
            eprintln!("bench/out/{file} missing: run bench/zones.sh first");
            continue;
        };
        let mut g = c.benchmark_group("check");
        g.sample_size(samples);
        g.throughput(Throughput::Bytes(text.len() as u64));
        let text: Arc<str> = Arc::from(text);
        g.bench_function(file, |b| {
            b.iter(|| {
                let mut db = SourceDb::new();
                let id = db.add("example.com.zone", "/bench/example.com.zone", text.clone());
                let config = Config::default();
                let files = [id];
                let input = AnalysisInput {
                    sources: &db,
                    dns: zonels_analysis::analysis::DnsInputs::none(),
                    zone_files: &files,
                    root: Path::new("/bench"),
                    config: &config,
                    loader: &NoIncludes,
                };
                analyze(&input).diagnostics.len()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
