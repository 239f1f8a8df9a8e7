//! Protocol answers built from an analysis snapshot.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::*;
use zonels_analysis::diagnostics::{Applicability, Diagnostic, Edit, FileId, Severity};
use zonels_analysis::ide::{self, complete::ItemKind};
use zonels_analysis::source::SourceFile;
use zonels_analysis::text::{PositionEncoding, TextRange};

use super::convert;
use super::quick::Place;
use super::state::{InlaySettings, Snapshot, State};
use crate::resolve::{self, Live};

pub const EXPLAIN_COMMAND: &str = "zonels.explain";
/// Audits the zone of the document given as the argument against the published DNS.
pub const AUDIT_COMMAND: &str = "zonels.audit";
pub const FIX_ALL_KIND: &str = "source.fixAll.zonels";

pub fn capabilities(enc: PositionEncoding, pull: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(enc)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), "=".into(), " ".into(), "\"".into()]),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL_KIND)]),
            ..Default::default()
        })),
        inlay_hint_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
            legend: SemanticTokensLegend {
                token_types: ide::tokens::TokenType::ALL.iter().map(|t| SemanticTokenType::new(t.name())).collect(),
                token_modifiers: Vec::new(),
            },
            full: Some(SemanticTokensFullOptions::Bool(true)),
            range: None,
            ..Default::default()
        })),
        diagnostic_provider: pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("zonels".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                ..Default::default()
            })
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![EXPLAIN_COMMAND.into(), AUDIT_COMMAND.into()],
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn uri_of(snap: &Snapshot, file: FileId) -> Option<Uri> {
    snap.uris.get(file.0 as usize).cloned().flatten()
}

pub fn to_lsp(snap: &Snapshot, d: &Diagnostic, enc: PositionEncoding) -> tower_lsp_server::ls_types::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let uri = uri_of(snap, r.file)?;
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range: convert::range(snap.world.sources.get(r.file), r.range, enc) },
                message: r.message.clone(),
            })
        })
        .collect();
    to_lsp_in(snap.world.sources.get(d.file), d, enc, related)
}

/// A finding as the protocol has it, its positions taken in `src`.
fn to_lsp_in(
    src: &SourceFile,
    d: &Diagnostic,
    enc: PositionEncoding,
    related: Vec<DiagnosticRelatedInformation>,
) -> tower_lsp_server::ls_types::Diagnostic {
    lsp_diagnostic(d, convert::range(src, d.range, enc), related)
}

fn lsp_diagnostic(d: &Diagnostic, range: Range, related: Vec<DiagnosticRelatedInformation>) -> tower_lsp_server::ls_types::Diagnostic {
    tower_lsp_server::ls_types::Diagnostic {
        range,
        severity: Some(convert::severity(d.severity)),
        code: Some(NumberOrString::String(d.code().to_string())),
        code_description: convert::rule_doc_uri(d.code()).map(|href| CodeDescription { href }),
        source: Some("zonels".into()),
        message: d.message.to_string(),
        related_information: if related.is_empty() { None } else { Some(related) },
        tags: None,
        data: None,
    }
}

/// The quick look's findings for one document, as the client gets them.
pub fn quick_diagnostics(
    rope: &ropey::Rope,
    quick: &super::quick::Quick<'_>,
    enc: PositionEncoding,
    limit: usize,
) -> Vec<tower_lsp_server::ls_types::Diagnostic> {
    let (shown, hidden) = quick.shown(limit);
    let mut out: Vec<_> = shown
        .into_iter()
        .map(|(d, place)| {
            let range = match place {
                Place::New(r) => convert::rope_range(rope, r, enc),
                // Unchanged lines: the old text's line index says where (quicker than
                // the rope's tree).
                Place::Old(lines) => {
                    let mut r = convert::range(quick.old, d.range, enc);
                    r.start.line = (r.start.line as i64 + lines) as u32;
                    r.end.line = (r.end.line as i64 + lines) as u32;
                    r
                }
            };
            lsp_diagnostic(d, range, Vec::new())
        })
        .collect();
    if hidden > 0 {
        out.insert(0, hidden_note(hidden, limit));
    }
    out
}

/// At most `limit` of a file's findings (0: all), errors before warnings before notes,
/// each group in file order; when some are left out, a note at the top of the file says
/// how many and where to see them.
pub fn capped<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>, limit: usize) -> (Vec<&'a Diagnostic>, usize) {
    cap(diags.into_iter().collect(), limit, |d| d.severity, |d| (d.range.start, d.range.end))
}

/// [`capped`] over any items, given their severity and position: every item of the
/// most severe levels and, of the level where the limit falls, the first ones in the
/// given order; then sorted by position (same position: the more severe first). The
/// items are counted, not sorted, to choose them: this runs on every keystroke.
pub fn cap<T>(all: Vec<T>, limit: usize, severity: impl Fn(&T) -> Severity, position: impl Fn(&T) -> (u32, u32)) -> (Vec<T>, usize) {
    if limit == 0 || all.len() <= limit {
        return (all, 0);
    }
    let rank = |s: Severity| s as usize;
    let mut counts = [0usize; 3];
    for d in &all {
        counts[rank(severity(d))] += 1;
    }
    // `cut`: the level the limit falls in, and how many of its items fit.
    let (mut cut, mut room) = (0, limit);
    while counts[cut] < room {
        room -= counts[cut];
        cut += 1;
    }
    let hidden = all.len() - limit;
    let mut shown: Vec<T> = Vec::with_capacity(limit);
    for d in all {
        let r = rank(severity(&d));
        if r < cut {
            shown.push(d);
        } else if r == cut && room > 0 {
            room -= 1;
            shown.push(d);
        }
    }
    shown.sort_by_key(|d| (position(d), severity(d)));
    (shown, hidden)
}

/// The note standing in for the findings a cap left out.
fn hidden_note(hidden: usize, limit: usize) -> tower_lsp_server::ls_types::Diagnostic {
    tower_lsp_server::ls_types::Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::INFORMATION),
        source: Some("zonels".into()),
        message: format!(
            "{hidden} more finding{} in this file not shown: the editor gets the first {limit} (errors first; setting `zonels.maxDiagnosticsPerFile`, 0 for all). `zonels check` lists every one.",
            if hidden == 1 { "" } else { "s" }
        ),
        ..Default::default()
    }
}

/// A file's findings as the client gets them: capped, converted.
pub fn lsp_diagnostics<'a>(
    snap: &Snapshot,
    diags: impl IntoIterator<Item = &'a Diagnostic>,
    enc: PositionEncoding,
    limit: usize,
) -> Vec<tower_lsp_server::ls_types::Diagnostic> {
    let (shown, hidden) = capped(diags, limit);
    let mut out: Vec<_> = shown.into_iter().map(|d| to_lsp(snap, d, enc)).collect();
    if hidden > 0 {
        out.insert(0, hidden_note(hidden, limit));
    }
    out
}

/// What to push after an analysis: every file with findings (and every file that had
/// some before), open documents only when the analysis saw their current version.
pub fn diagnostics_to_publish(state: &mut State, snap: &Snapshot) -> Vec<(Uri, Vec<tower_lsp_server::ls_types::Diagnostic>, Option<i32>)> {
    let enc = state.encoding;
    let limit = state.settings.max_diagnostics_per_file;
    let mut by_file: HashMap<FileId, Vec<&Diagnostic>> = HashMap::new();
    for d in &snap.diagnostics {
        by_file.entry(d.file).or_default().push(d);
    }
    let mut out = Vec::new();
    let mut now_published = std::collections::BTreeSet::new();
    for (i, uri) in snap.uris.iter().enumerate() {
        let Some(uri) = uri else { continue };
        let key = uri.as_str().to_string();
        let version = match state.docs.get(&key) {
            Some((_, d)) => {
                if snap.versions.get(&key) != Some(&d.version) {
                    // A newer text is waiting for its own analysis.
                    if state.published.contains(&key) {
                        now_published.insert(key.clone());
                    }
                    continue;
                }
                Some(d.version)
            }
            None => None,
        };
        let diags = by_file.remove(&FileId(i as u32)).unwrap_or_default();
        if diags.is_empty() && !state.published.contains(&key) && !state.audit.contains_key(&key) {
            continue;
        }
        if !diags.is_empty() || state.audit.contains_key(&key) {
            now_published.insert(key.clone());
        }
        let mut items = lsp_diagnostics(snap, diags, enc, limit);
        items.extend(state.audit.get(&key).into_iter().flatten().cloned());
        out.push((uri.clone(), items, version));
    }
    // Files that vanished from the analysis: clear what was published for them.
    for key in state.published.iter() {
        if !now_published.contains(key)
            && !out.iter().any(|(u, _, _)| u.as_str() == key)
            && let Ok(uri) = key.parse::<Uri>()
        {
            out.push((uri, Vec::new(), None));
        }
    }
    state.published = now_published;
    out
}

pub fn file_diagnostics(snap: &Snapshot, uri: &Uri, enc: PositionEncoding, limit: usize) -> Vec<tower_lsp_server::ls_types::Diagnostic> {
    let Some(file) = snap.file_of_uri(uri) else { return Vec::new() };
    lsp_diagnostics(snap, snap.diagnostics.iter().filter(|d| d.file == file), enc, limit)
}

/// `zonels audit` of the analysed workspace (open documents as they are in the editor),
/// with the servers `zonels.toml` names (`[audit]`, `[resolve] resolver`) or the
/// editor's `resolver` setting. Runs its own runtime: call it off the server's.
pub fn run_audit(snap: &Snapshot, editor_resolver: Option<String>) -> Result<Vec<Diagnostic>, String> {
    let config = &snap.world.config;
    let settings = crate::audit::AuditSettings::from_config(config, editor_resolver, None, &[], &[])?;
    let mut zone_files: Vec<FileId> = snap.files.values().copied().collect();
    zone_files.sort();
    let root = snap.world.sources.get(FileId(0)).path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let mut ws = crate::workspace::Workspace::from_parts(
        root,
        &snap.world.sources,
        config.clone(),
        zone_files,
        snap.world.snapshot.clone(),
        snap.world.live.clone(),
    );
    Ok(crate::audit::run(&mut ws, &settings)?.diagnostics)
}

/// The live resolver an analysis's settings call for (none offline, or when the system
/// resolver is not allowed and none is configured).
pub fn live_resolver(snap: &Snapshot) -> Option<Arc<Live>> {
    let server = snap.resolver.as_deref().and_then(|s| resolve::parse_server(s).ok());
    if server.is_none() && !resolve::system_resolver_allowed() {
        return None;
    }
    let mut settings = resolve::Settings { server, ..Default::default() };
    if let Some(ms) = snap.world.config.resolve.timeout_ms {
        settings.timeout = std::time::Duration::from_millis(ms);
    }
    Live::new(&settings).ok().map(Arc::new)
}

fn file_offset(snap: &Snapshot, uri: &Uri, pos: Position, enc: PositionEncoding) -> Option<(FileId, u32)> {
    let file = snap.file_of_uri(uri)?;
    Some((file, convert::offset(snap.world.sources.get(file), pos, enc)))
}

pub fn hover(snap: &Snapshot, uri: &Uri, pos: Position, enc: PositionEncoding) -> Option<Hover> {
    let (file, offset) = file_offset(snap, uri, pos, enc)?;
    let h = ide::hover::hover(&snap.world, file, offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: h.markdown }),
        range: Some(convert::range(snap.world.sources.get(file), h.range, enc)),
    })
}

pub fn completion(snap: &Snapshot, uri: &Uri, pos: Position, enc: PositionEncoding) -> Option<CompletionResponse> {
    let (file, offset) = file_offset(snap, uri, pos, enc)?;
    let src = snap.world.sources.get(file);
    let items = ide::complete::complete(&snap.world, file, offset)
        .into_iter()
        .map(|i| CompletionItem {
            label: i.label.clone(),
            kind: Some(match i.kind {
                ItemKind::Keyword => CompletionItemKind::KEYWORD,
                ItemKind::TypeName => CompletionItemKind::CLASS,
                ItemKind::Value => CompletionItemKind::VALUE,
                ItemKind::Property => CompletionItemKind::PROPERTY,
                ItemKind::Reference => CompletionItemKind::REFERENCE,
                ItemKind::Snippet => CompletionItemKind::SNIPPET,
            }),
            detail: (!i.detail.is_empty()).then(|| i.detail.clone()),
            documentation: (!i.documentation.is_empty()).then(|| Documentation::String(i.documentation.clone())),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: convert::range(src, i.replace, enc),
                new_text: i.insert.unwrap_or(i.label),
            })),
            ..Default::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}

pub fn inlay_hints(snap: &Snapshot, uri: &Uri, range: Range, enc: PositionEncoding, opts: &InlaySettings) -> Option<Vec<InlayHint>> {
    let file = snap.file_of_uri(uri)?;
    let src = snap.world.sources.get(file);
    let r = convert::text_range(src, range, enc);
    let o = ide::inlay::Options { lookups: opts.lookups, keys: opts.keys, ttls: opts.ttls };
    Some(
        ide::inlay::hints(&snap.world, file, r, o)
            .into_iter()
            .map(|h| InlayHint {
                position: convert::position(src, h.offset, enc),
                label: InlayHintLabel::String(h.label),
                kind: Some(InlayHintKind::TYPE),
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    )
}

fn locations(snap: &Snapshot, targets: Vec<(FileId, TextRange)>, enc: PositionEncoding) -> Vec<Location> {
    targets
        .into_iter()
        .filter_map(|(f, r)| Some(Location { uri: uri_of(snap, f)?, range: convert::range(snap.world.sources.get(f), r, enc) }))
        .collect()
}

pub fn definition(snap: &Snapshot, uri: &Uri, pos: Position, enc: PositionEncoding) -> Option<GotoDefinitionResponse> {
    let (file, offset) = file_offset(snap, uri, pos, enc)?;
    let locs = locations(snap, ide::navigate::definition(&snap.world, file, offset), enc);
    (!locs.is_empty()).then_some(GotoDefinitionResponse::Array(locs))
}

pub fn references(snap: &Snapshot, uri: &Uri, pos: Position, enc: PositionEncoding) -> Option<Vec<Location>> {
    let (file, offset) = file_offset(snap, uri, pos, enc)?;
    Some(locations(snap, ide::navigate::references(&snap.world, file, offset), enc))
}

#[allow(deprecated)]
pub fn symbols(snap: &Snapshot, uri: &Uri, enc: PositionEncoding) -> Option<DocumentSymbolResponse> {
    let file = snap.file_of_uri(uri)?;
    let src = snap.world.sources.get(file);
    let syms = ide::navigate::symbols(&snap.world, file)
        .into_iter()
        .map(|s| DocumentSymbol {
            name: s.name,
            detail: Some(s.detail),
            kind: SymbolKind::NAMESPACE,
            tags: None,
            deprecated: None,
            range: convert::range(src, s.range, enc),
            selection_range: convert::range(src, s.selection, enc),
            children: Some(
                s.children
                    .into_iter()
                    .map(|(t, r)| DocumentSymbol {
                        name: t,
                        detail: None,
                        kind: SymbolKind::FIELD,
                        tags: None,
                        deprecated: None,
                        range: convert::range(src, r, enc),
                        selection_range: convert::range(src, r, enc),
                        children: None,
                    })
                    .collect(),
            ),
        })
        .collect();
    Some(DocumentSymbolResponse::Nested(syms))
}

pub fn folding(snap: &Snapshot, uri: &Uri) -> Option<Vec<FoldingRange>> {
    let file = snap.file_of_uri(uri)?;
    Some(
        ide::navigate::folding(&snap.world, file)
            .into_iter()
            .map(|(a, b, comment)| FoldingRange {
                start_line: a,
                end_line: b,
                kind: Some(if comment { FoldingRangeKind::Comment } else { FoldingRangeKind::Region }),
                ..Default::default()
            })
            .collect(),
    )
}

pub fn semantic_tokens(snap: &Snapshot, uri: &Uri, enc: PositionEncoding) -> Option<SemanticTokensResult> {
    let file = snap.file_of_uri(uri)?;
    let src = snap.world.sources.get(file);
    let mut data = Vec::new();
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for (r, t) in ide::tokens::tokens(&snap.world, file) {
        let start = convert::position(src, r.start, enc);
        let end = convert::position(src, r.end, enc);
        if end.line != start.line {
            continue;
        }
        let delta_line = start.line - last_line;
        let delta_start = if delta_line == 0 { start.character - last_col } else { start.character };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: ide::tokens::TokenType::ALL.iter().position(|x| *x == t).unwrap_or(0) as u32,
            token_modifiers_bitset: 0,
        });
        last_line = start.line;
        last_col = start.character;
    }
    Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data }))
}

/// Formatting as one edit per changed line, so cursors and marks elsewhere stay put.
pub fn formatting(text: &str, enc: PositionEncoding) -> Option<Vec<TextEdit>> {
    let formatted = ide::format::format(text)?;
    if formatted == text {
        return Some(Vec::new());
    }
    let old: Vec<&str> = text.split_inclusive('\n').collect();
    let new: Vec<&str> = formatted.split_inclusive('\n').collect();
    if old.len() != new.len() {
        let mut db = zonels_analysis::source::SourceDb::new();
        let id = db.add("", "", Arc::from(text));
        let src = db.get(id);
        return Some(vec![TextEdit { range: convert::range(src, TextRange::new(0, text.len() as u32), enc), new_text: formatted }]);
    }
    let mut edits = Vec::new();
    for (i, (a, b)) in old.iter().zip(&new).enumerate() {
        if a != b {
            let a_body = a.trim_end_matches(['\n', '\r']);
            let b_body = b.trim_end_matches(['\n', '\r']);
            let end = zonels_analysis::text::column_width(a_body, enc);
            edits.push(TextEdit {
                range: Range { start: Position { line: i as u32, character: 0 }, end: Position { line: i as u32, character: end } },
                new_text: b_body.to_string(),
            });
        }
    }
    Some(edits)
}

fn workspace_edit(snap: &Snapshot, edits: &[Edit], enc: PositionEncoding) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for e in edits {
        let uri = uri_of(snap, e.file)?;
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit { range: convert::range(snap.world.sources.get(e.file), e.range, enc), new_text: e.new_text.clone() });
    }
    Some(WorkspaceEdit { changes: Some(changes), ..Default::default() })
}

/// The line-start offset of the record a finding is about, and its indentation.
fn suppression_point(snap: &Snapshot, d: &Diagnostic) -> (u32, String) {
    let src = snap.world.sources.get(d.file);
    let idx = src.line_index();
    let line = idx.line_of(d.record_start.unwrap_or(d.range.start));
    let start = idx.line_start(line);
    let text = src.line_text(line);
    let indent: String = text.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    (start, indent)
}

pub fn code_actions(snap: &Snapshot, params: &CodeActionParams, enc: PositionEncoding) -> Option<CodeActionResponse> {
    let uri = &params.text_document.uri;
    let file = snap.file_of_uri(uri)?;
    let src = snap.world.sources.get(file);
    let range = convert::text_range(src, params.range, enc);
    let only = params.context.only.clone();
    let wants = |kind: &CodeActionKind| only.as_ref().is_none_or(|o| o.iter().any(|k| kind.as_str().starts_with(k.as_str())));
    let mut out = Vec::new();
    let here: Vec<&Diagnostic> = snap
        .diagnostics
        .iter()
        .filter(|d| d.file == file && (d.range.intersects(range) || d.range.touches(range.start) || range.touches(d.range.start)))
        .collect();
    if wants(&CodeActionKind::QUICKFIX) {
        for d in &here {
            let lsp_diag = to_lsp(snap, d, enc);
            let mut preferred_given = false;
            for f in &d.fixes {
                let Some(edit) = workspace_edit(snap, &f.edits, enc) else { continue };
                let preferred = f.applicability == Applicability::Safe && !preferred_given;
                preferred_given |= preferred;
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: f.title.to_string(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag.clone()]),
                    edit: Some(edit),
                    is_preferred: Some(preferred),
                    ..Default::default()
                }));
            }
            let (at, indent) = suppression_point(snap, d);
            let prefix = zonels_analysis::analysis::comment_syntax_of(&src.path).prefix();
            let suppress = Edit::insert(d.file, at, format!("{indent}{prefix} zonels-ignore: {}\n", d.code()));
            if let Some(edit) = workspace_edit(snap, &[suppress], enc) {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Suppress `{}` here", d.code()),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag.clone()]),
                    edit: Some(edit),
                    ..Default::default()
                }));
            }
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Show documentation for `{}`", d.code()),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diag]),
                command: Some(Command {
                    title: format!("Explain {}", d.code()),
                    command: EXPLAIN_COMMAND.into(),
                    arguments: Some(vec![serde_json::Value::String(d.code().into())]),
                }),
                ..Default::default()
            }));
        }
    }
    let fix_all = CodeActionKind::new(FIX_ALL_KIND);
    if only.as_ref().is_some_and(|o| o.iter().any(|k| fix_all.as_str().starts_with(k.as_str()))) {
        let mut taken: Vec<Edit> = Vec::new();
        for d in snap.diagnostics.iter().filter(|d| d.file == file) {
            let Some(f) = d.fixes.iter().find(|f| f.applicability == Applicability::Safe) else { continue };
            let clash = f
                .edits
                .iter()
                .any(|e| e.file != file || taken.iter().any(|t| t.range.intersects(e.range) || t.range.start == e.range.start));
            if !clash {
                taken.extend(f.edits.iter().cloned());
            }
        }
        if let Some(edit) = workspace_edit(snap, &taken, enc).filter(|_| !taken.is_empty()) {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Apply every safe zonels fix".into(),
                kind: Some(fix_all),
                edit: Some(edit),
                ..Default::default()
            }));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finding as the cap sees it: severity, position, and which one it is.
    type Item = (Severity, (u32, u32), usize);

    /// The cap as a sort states it: stable by severity, the first `limit`, by position.
    fn cap_by_sorting(mut all: Vec<Item>, limit: usize) -> (Vec<Item>, usize) {
        if limit == 0 || all.len() <= limit {
            return (all, 0);
        }
        all.sort_by_key(|d| d.0);
        let hidden = all.len() - limit;
        all.truncate(limit);
        all.sort_by_key(|d| d.1);
        (all, hidden)
    }

    #[test]
    fn the_cap_keeps_the_most_severe_findings_first_in_order() {
        let (e, w, i) = (Severity::Error, Severity::Warning, Severity::Info);
        // Two errors, three warnings, an info; a warning and an error share a position.
        let items = vec![(w, (1, 2), 0), (i, (2, 3), 1), (w, (3, 4), 2), (e, (5, 6), 3), (w, (5, 6), 4), (e, (9, 9), 5)];
        let (shown, hidden) = cap(items.clone(), 4, |d| d.0, |d| d.1);
        assert_eq!(hidden, 2);
        assert_eq!(shown, vec![(w, (1, 2), 0), (w, (3, 4), 2), (e, (5, 6), 3), (e, (9, 9), 5)]);
        let (shown, hidden) = cap(items.clone(), 0, |d| d.0, |d| d.1);
        assert_eq!((shown.len(), hidden), (6, 0));
        // Pseudo-random lists, every limit: the same as sorting them all.
        let mut seed = 7u64;
        for len in 0..40 {
            let items: Vec<_> = (0..len)
                .map(|k| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    let sev = [e, w, i][(seed >> 33) as usize % 3];
                    let at = (seed >> 40) as u32 % 8;
                    (sev, (at, at + (seed >> 50) as u32 % 2), k)
                })
                .collect();
            for limit in 0..=len + 1 {
                assert_eq!(cap(items.clone(), limit, |d| d.0, |d| d.1), cap_by_sorting(items.clone(), limit), "{items:?} limit {limit}");
            }
        }
    }
}
