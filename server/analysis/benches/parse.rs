//! In-process parse and check of generated zones (bench/zones.sh makes them), whole
//! and phase by phase (parse; the zone index; the mail records' classification):
//! `cargo bench -p zonels-analysis`. Reports throughput in bytes.

use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zonels_analysis::analysis::{AnalysisInput, analyze};
use zonels_analysis::config::Config;
use zonels_analysis::diagnostics::FileId;
use zonels_analysis::source::{NoIncludes, SourceDb};
use zonels_analysis::zone::index::ZoneIndex;

fn zone(name: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/out").join(name);
    std::fs::read_to_string(p).ok()
}

/// A one-file workspace holding `example.com.zone`, and the default configuration.
struct Workspace {
    db: SourceDb,
    files: [FileId; 1],
    config: Config,
}

impl Workspace {
    fn new(text: &Arc<str>) -> Self {
        let mut db = SourceDb::new();
        let id = db.add("example.com.zone", "/bench/example.com.zone", text.clone());
        Workspace { db, files: [id], config: Config::default() }
    }

    fn input(&self) -> AnalysisInput<'_> {
        AnalysisInput {
            sources: &self.db,
            dns: zonels_analysis::analysis::DnsInputs::none(),
            zone_files: &self.files,
            root: Path::new("/bench"),
            config: &self.config,
            loader: &NoIncludes,
        }
    }
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
        g.bench_function(file, |b| b.iter(|| analyze(&Workspace::new(&text).input()).diagnostics.len()));
        g.finish();
        phases(c, file, &text);
    }
}

/// The phases of a check, each on its own, on the 100k zone.
fn phases(c: &mut Criterion, file: &str, text: &Arc<str>) {
    if file != "z100k.zone" {
        return;
    }
    let ws = Workspace::new(text);
    let input = ws.input();
    let mut g = c.benchmark_group("phase");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("parse", |b| b.iter(|| zonels_analysis::analysis::parse_zones(&input).len()));
    let zones: Vec<_> = zonels_analysis::analysis::parse_zones(&input).into_iter().map(|p| p.zone).collect();
    g.bench_function("index", |b| b.iter(|| ZoneIndex::new(&zones[0].records).names().count()));
    g.bench_function("classify", |b| b.iter(|| zonels_analysis::mail::classify_zones(&zones, &ws.db).0.len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
