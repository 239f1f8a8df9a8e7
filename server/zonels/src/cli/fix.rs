//! `--fix`: apply safe fixes atomically, re-check, repeat until nothing is left to fix.

use std::collections::BTreeMap;

use zonels_analysis::FileId;
use zonels_analysis::analysis::Analysis;
use zonels_analysis::diagnostics::{Applicability, Edit, apply_edits};

use crate::safe_write::write_atomically;
use crate::workspace::{LoadRequest, Workspace};

/// Rounds of fix-and-recheck: a fix can make another one possible (a merged SPF record
/// that then needs its `all` moved), but never endlessly.
const MAX_ROUNDS: usize = 8;

/// Applies every safe fix, re-analysing after each round. Returns the final workspace,
/// its analysis and how many fixes were applied.
pub fn run(req: &LoadRequest, mut ws: Workspace, mut analysis: Analysis) -> Result<(Workspace, Analysis, usize), String> {
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let mut per_file: BTreeMap<FileId, Vec<Edit>> = BTreeMap::new();
        let mut round = 0;
        for d in &analysis.diagnostics {
            let Some(fix) = d.fixes.iter().find(|f| f.applicability == Applicability::Safe) else {
                continue;
            };
            // A fix is applied whole or not at all: skip it if any edit overlaps one taken.
            let clashes = fix
                .edits
                .iter()
                .any(|e| ws.sources.get(e.file).lossy || per_file.get(&e.file).is_some_and(|taken| taken.iter().any(|t| overlaps(t, e))));
            if clashes {
                continue;
            }
            for e in &fix.edits {
                per_file.entry(e.file).or_default().push(e.clone());
            }
            round += 1;
        }
        if round == 0 {
            break;
        }
        for (file, edits) in &per_file {
            let src = ws.sources.get(*file);
            let refs: Vec<&Edit> = edits.iter().collect();
            let new_text =
                apply_edits(&src.text, &refs).ok_or_else(|| format!("fixes for `{}` overlap; nothing written", src.display_path))?;
            write_atomically(&src.path, src.text.as_bytes(), new_text.as_bytes())
                .map_err(|e| format!("cannot fix `{}`: {e}", src.display_path))?;
        }
        applied += round;
        ws = Workspace::load(req).map_err(|e| e.to_string())?;
        analysis = ws.analyze();
    }
    Ok((ws, analysis, applied))
}

/// Two edits clash when their ranges intersect, when both insert at one point, or when
/// one inserts inside the other's range.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.range.intersects(b.range)
        || a.range.start == b.range.start
        || (a.range.is_empty() && b.range.contains(a.range.start))
        || (b.range.is_empty() && a.range.contains(b.range.start))
}
