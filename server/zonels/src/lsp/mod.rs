//! `zonels lsp`: the language server. Every protocol type stays inside this module.

mod background;
mod convert;
mod features;
mod quick;
mod state;
mod transport;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};
use zonels_analysis::text::PositionEncoding;

use self::state::{Doc, Snapshot, State};

/// How long a burst of edits is allowed to settle before analysis (debounce).
const DEBOUNCE: Duration = Duration::from_millis(50);
/// A full analysis slower than this makes edits publish a quick look first.
const QUICK_LOOK_AFTER: Duration = Duration::from_millis(50);

/// Language ids editors give zone files.
pub const LANGUAGE_IDS: &[&str] = &["dns-zone", "bindzone", "zone", "dns"];

pub struct Backend {
    client: Client,
    /// Diagnostics go out this way (see [`transport::Outbox`]).
    outbox: transport::Outbox,
    state: Arc<Mutex<State>>,
    wake: Arc<Notify>,
    /// Names already asked of live DNS (so a name that cannot be answered is not asked again).
    asked: Arc<Mutex<BTreeSet<(String, zonels_analysis::dns::QType)>>>,
    /// Held while deciding whether findings are current and sending them, so a quick
    /// look never overtakes the full analysis of the same text.
    publishing: Arc<tokio::sync::Mutex<()>>,
    /// Counts the analyses the loop has stored; `None` until the loop runs.
    analysed: Arc<Mutex<Option<tokio::sync::watch::Receiver<u64>>>>,
}

/// How long a request waits for the analysis loop before analysing on its own.
const WAIT_FOR_ANALYSIS: Duration = Duration::from_secs(30);

/// Gives a stdout pipe room for a large file's diagnostics (400 kB for 1 000 findings):
/// with the default 64 kB the message crosses in pieces, each waiting for the client to
/// read the one before. Nothing changes when stdout is not a pipe or the system refuses.
fn widen_stdout_pipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: fcntl on our own stdout descriptor with an integer argument; a failure
    // is an error return, not undefined behaviour.
    unsafe {
        libc::fcntl(libc::STDOUT_FILENO, libc::F_SETPIPE_SZ, 1 << 20);
    }
}

/// Runs the server on stdin/stdout until the client exits.
pub fn run() -> i32 {
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("zonels: cannot start the runtime: {e}");
            return 2;
        }
    };
    widen_stdout_pipe();
    rt.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // The stdin reader sits in a blocking read; waiting for it would keep the process alive after `exit`.
    rt.shutdown_background();
    0
}

/// A server over any byte streams (the in-process tests use a duplex pipe).
pub async fn serve<I, O>(input: I, output: O)
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (checked_in, checked_out) = tokio::io::duplex(1 << 16);
    let input_done = tokio::spawn(transport::sanitize(input, checked_in, transport::MAX_MESSAGE));
    let (core_out, outbox) = transport::outbound(output);
    let (service, socket) = LspService::new(move |client| Backend::new(client, outbox));
    let server = Server::new(checked_out, core_out, socket).serve(service);
    // The protocol core ends only when every handler has, and a handler may wait for an
    // answer from a client that is gone (its input closed): after the input ends, the
    // work in hand gets a moment to finish, then the server stops regardless.
    tokio::select! {
        () = server => {}
        () = async {
            let _ = input_done.await;
            tokio::time::sleep(EXIT_GRACE).await;
        } => {}
    }
}

/// How long the server keeps going after its input has closed.
const EXIT_GRACE: Duration = Duration::from_secs(2);

fn internal(e: impl std::fmt::Display) -> Error {
    let mut err = Error::internal_error();
    err.message = e.to_string().into();
    err
}

impl Backend {
    fn new(client: Client, outbox: transport::Outbox) -> Backend {
        Backend {
            client,
            outbox,
            state: Arc::new(Mutex::new(State::new())),
            wake: Arc::new(Notify::new()),
            asked: Arc::new(Mutex::new(BTreeSet::new())),
            publishing: Arc::new(tokio::sync::Mutex::new(())),
            analysed: Arc::new(Mutex::new(None)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An analysis that has seen the current text of `uri`: the latest, or the analysis
    /// loop's next (a request never starts a second analysis beside the loop's: on a
    /// large zone both would compete for the CPU and each would take twice as long).
    async fn snapshot_for(&self, uri: &Uri) -> Result<Arc<Snapshot>> {
        let watch = self.analysed.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(mut rx) = watch {
            let deadline = tokio::time::Instant::now() + WAIT_FOR_ANALYSIS;
            loop {
                rx.borrow_and_update();
                if let Some(l) = self.current(uri) {
                    return Ok(l);
                }
                match tokio::time::timeout_at(deadline, rx.changed()).await {
                    Ok(Ok(())) => continue,
                    // The loop has ended or is stuck: analyse here.
                    _ => break,
                }
            }
        }
        let (job, latest) = {
            let s = self.lock();
            let current = s.docs.get(uri.as_str()).map(|(_, d)| d.version);
            match &s.latest {
                Some(l)
                    if current.is_none_or(|v| l.versions.get(uri.as_str()) == Some(&v))
                        && (current.is_some() || l.file_of_uri(uri).is_some()) =>
                {
                    (None, Some(l.clone()))
                }
                _ => (Some(s.input()), None),
            }
        };
        if let Some(l) = latest {
            return Ok(l);
        }
        let job = job.ok_or_else(|| internal("no analysis"))?;
        let snap = Arc::new(tokio::task::spawn_blocking(move || job.run()).await.map_err(internal)?);
        let replaced = self.lock().latest.replace(snap.clone());
        // Freed off the runtime's threads (and outside the lock).
        tokio::task::spawn_blocking(move || drop(replaced));
        Ok(snap)
    }

    /// The latest analysis, if it has seen the current text of `uri` (for a document
    /// that is not open, any analysis: a new one would not know it better).
    fn current(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        let s = self.lock();
        let l = s.latest.as_ref()?;
        let seen = s.docs.get(uri.as_str()).is_none_or(|(_, d)| l.versions.get(uri.as_str()) == Some(&d.version));
        seen.then(|| l.clone())
    }

    fn encoding(&self) -> PositionEncoding {
        self.lock().encoding
    }
}

/// The analysis loop: waits for a change, analyses, publishes; then fetches what DNS
/// lookups are missing and goes round again. The first change after a quiet spell is
/// analysed at once; changes arriving while an analysis runs, or within [`DEBOUNCE`] of
/// its start, are taken together by the next one.
async fn analysis_loop(
    client: Client,
    outbox: transport::Outbox,
    state: Arc<Mutex<State>>,
    wake: Arc<Notify>,
    asked: Arc<Mutex<BTreeSet<(String, zonels_analysis::dns::QType)>>>,
    publishing: Arc<tokio::sync::Mutex<()>>,
    analysed: tokio::sync::watch::Sender<u64>,
) {
    let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
    let background = match background::Background::start() {
        Ok(b) => b,
        Err(e) => {
            client.log_message(MessageType::ERROR, format!("zonels: cannot start the analysis thread: {e}")).await;
            return;
        }
    };
    let mut last_start: Option<tokio::time::Instant> = None;
    loop {
        wake.notified().await;
        if let Some(t) = last_start {
            tokio::time::sleep_until(t + DEBOUNCE).await;
        }
        last_start = Some(tokio::time::Instant::now());
        let job = {
            let s = lock();
            if s.shutting_down {
                return;
            }
            s.input()
        };
        let Some(mut snap) = background.run(move || job.run()).await else { continue };
        lock().adopt_unchanged(&mut snap);
        let snap = Arc::new(snap);
        let guard = publishing.lock().await;
        let (pushes, pull, replaced) = {
            let mut s = lock();
            // A newer analysis may already be stored (a request ran one); keep the newest.
            let newer = s.latest.as_ref().is_some_and(|l| l.versions.iter().any(|(k, v)| snap.versions.get(k).is_some_and(|sv| sv < v)));
            let replaced = if newer { None } else { s.latest.replace(snap.clone()) };
            (features::diagnostics_to_publish(&mut s, &snap), s.pull, replaced)
        };
        // Not freed here, under the lock that edits wait for.
        background.free(replaced);
        analysed.send_modify(|n| *n += 1);
        if pull {
            let _ = client.workspace_diagnostic_refresh().await;
        } else {
            for (uri, diags, version) in pushes {
                outbox.notify("textDocument/publishDiagnostics", &PublishDiagnosticsParams { uri, diagnostics: diags, version }).await;
            }
        }
        drop(guard);
        // Lookups the analysis could not answer: fetch them, without holding up typing.
        let missing: BTreeSet<_> = {
            let mut a = asked.lock().unwrap_or_else(|e| e.into_inner());
            let m: BTreeSet<_> = snap.missing.iter().filter(|k| !a.contains(*k)).cloned().collect();
            a.extend(m.iter().cloned());
            m
        };
        if missing.is_empty() || snap.offline {
            continue;
        }
        let Some(live) = features::live_resolver(&snap) else { continue };
        let (state2, wake2) = (state.clone(), wake.clone());
        tokio::spawn(async move {
            let mut answers = zonels_analysis::dns::Answers::default();
            let fetched = live.fetch_all(&missing, &mut answers, crate::resolve::now()).await;
            if fetched > 0 {
                state2.lock().unwrap_or_else(|e| e.into_inner()).live.entries.extend(answers.entries);
                wake2.notify_one();
            }
        });
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.clone()).unwrap_or_default();
        let encoding = if offered.contains(&PositionEncodingKind::UTF8) { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
        // Pull diagnostics only with a client that re-pulls when told to: a client that
        // pulls right after an edit but cannot be refreshed (Neovim 0.11) would keep the
        // findings of the text before the edit. Such clients get them pushed.
        let caps = &params.capabilities;
        let pull = caps.text_document.as_ref().and_then(|t| t.diagnostic.as_ref()).is_some()
            && caps.workspace.as_ref().and_then(|w| w.diagnostics.as_ref()).and_then(|d| d.refresh_support) == Some(true);
        let mut roots: Vec<std::path::PathBuf> =
            params.workspace_folders.iter().flatten().filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned())).collect();
        #[allow(deprecated)]
        if roots.is_empty()
            && let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
        {
            roots.push(p.into_owned());
        }
        {
            let mut s = self.lock();
            s.encoding = encoding;
            s.pull = pull;
            s.roots = roots;
            if let Some(opts) = params.initialization_options.as_ref() {
                let v = opts.get("settings").unwrap_or(opts);
                if let Ok(settings) = serde_json::from_value(v.get("zonels").cloned().unwrap_or_else(|| v.clone())) {
                    s.settings = settings;
                }
            }
        }
        Ok(InitializeResult {
            capabilities: features::capabilities(encoding, pull),
            server_info: Some(ServerInfo { name: "zonels".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.pull_settings().await;
        let state = self.state.clone();
        let indexed = tokio::task::spawn_blocking(move || {
            let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
            let (cfg, _, _) = s.config();
            s.index_roots(cfg.limits.max_file_size);
        })
        .await;
        if indexed.is_err() {
            self.client.log_message(MessageType::ERROR, "zonels: indexing the workspace failed").await;
        }
        let (analysed, watch) = tokio::sync::watch::channel(0);
        *self.analysed.lock().unwrap_or_else(|e| e.into_inner()) = Some(watch);
        tokio::spawn(analysis_loop(
            self.client.clone(),
            self.outbox.clone(),
            self.state.clone(),
            self.wake.clone(),
            self.asked.clone(),
            self.publishing.clone(),
            analysed,
        ));
        self.wake.notify_one();
    }

    async fn shutdown(&self) -> Result<()> {
        self.lock().shutting_down = true;
        self.wake.notify_one();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let Some(path) = doc.uri.to_file_path().map(|p| p.into_owned()) else { return };
        // Zone files by language id, or by name and content when the editor does not
        // know the language (`plaintext`); host files (YAML, JavaScript, Terraform) when
        // they hold records; other documents are not ours.
        let ours = (LANGUAGE_IDS.contains(&doc.language_id.as_str()) && !zonels_analysis::analysis::is_host_candidate(&path))
            || zonels_analysis::analysis::has_records(&path, &doc.text)
            || self.lock().disk.contains_key(&path);
        if !ours {
            return;
        }
        self.lock()
            .docs
            .insert(doc.uri.as_str().to_string(), (doc.uri.clone(), Doc::new(ropey::Rope::from_str(&doc.text), doc.version, path)));
        self.wake.notify_one();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        // Applied at the handler's first step, before it yields: notifications are started
        // in the order they arrive, so edits apply in order.
        self.lock().change(&uri, version, params.content_changes);
        // The quick look first: the full analysis would compete with it for the CPU.
        self.quick_look(&uri).await;
        self.wake.notify_one();
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let mut s = self.lock();
        if let Some((_, d)) = s.docs.get(params.text_document.uri.as_str()) {
            let (path, text) = (d.path.clone(), Arc::from(d.rope.to_string()));
            if s.disk.contains_key(&path) {
                s.disk.insert(path, text);
            }
        }
        drop(s);
        self.wake.notify_one();
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let in_workspace = {
            let mut s = self.lock();
            let doc = s.docs.remove(uri.as_str());
            doc.is_some_and(|(_, d)| s.disk.contains_key(&d.path))
        };
        if !in_workspace {
            self.lock().published.remove(uri.as_str());
            self.outbox
                .notify("textDocument/publishDiagnostics", &PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None })
                .await;
        }
        self.wake.notify_one();
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let v = params.settings.get("zonels").cloned().unwrap_or(params.settings);
        if let Ok(settings) = serde_json::from_value(v) {
            self.lock().settings = settings;
        } else {
            self.pull_settings().await;
        }
        self.asked.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.wake.notify_one();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut s = self.lock();
        for ev in params.changes {
            let Some(path) = ev.uri.to_file_path().map(|p| p.into_owned()) else { continue };
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            let text = std::fs::read_to_string(&path).ok().map(Arc::<str>::from);
            if name == crate::workspace::CONFIG_FILE {
                s.file_config = text.map(|t| (path, t));
            } else if name == zonels_analysis::lock::FILE_NAME {
                s.snapshot_text = text.map(|t| (path, t));
            } else {
                match text {
                    Some(t) if ev.typ != FileChangeType::DELETED => {
                        s.disk.insert(path, t);
                    }
                    _ => {
                        s.disk.remove(&path);
                    }
                }
            }
        }
        drop(s);
        self.wake.notify_one();
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let snap = self.snapshot_for(&uri).await?;
        Ok(features::hover(&snap, &uri, params.text_document_position_params.position, self.encoding()))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let snap = self.snapshot_for(&uri).await?;
        Ok(features::completion(&snap, &uri, params.text_document_position.position, self.encoding()))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let opts = self.lock().settings.inlay_hints.clone();
        if !opts.enabled {
            return Ok(Some(Vec::new()));
        }
        let snap = self.snapshot_for(&params.text_document.uri).await?;
        Ok(features::inlay_hints(&snap, &params.text_document.uri, params.range, self.encoding(), &opts))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let uri = params.text_document_position_params.text_document.uri;
        let snap = self.snapshot_for(&uri).await?;
        Ok(features::definition(&snap, &uri, params.text_document_position_params.position, self.encoding()))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = params.text_document_position.text_document.uri;
        let snap = self.snapshot_for(&uri).await?;
        Ok(features::references(&snap, &uri, params.text_document_position.position, self.encoding()))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let snap = self.snapshot_for(&params.text_document.uri).await?;
        Ok(features::symbols(&snap, &params.text_document.uri, self.encoding()))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let snap = self.snapshot_for(&params.text_document.uri).await?;
        Ok(features::folding(&snap, &params.text_document.uri))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let snap = self.snapshot_for(&params.text_document.uri).await?;
        Ok(features::semantic_tokens(&snap, &params.text_document.uri, self.encoding()))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let text = {
            let s = self.lock();
            match s.docs.get(params.text_document.uri.as_str()) {
                // Host files (YAML, JavaScript, Terraform) are formatted by their own tools.
                Some((_, d)) if zonels_analysis::analysis::is_host_candidate(&d.path) => return Ok(None),
                Some((_, d)) => d.rope.to_string(),
                None => return Ok(None),
            }
        };
        Ok(features::formatting(&text, self.encoding()))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let snap = self.snapshot_for(&params.text_document.uri).await?;
        Ok(features::code_actions(&snap, &params, self.encoding()))
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let snap = self.snapshot_for(&params.text_document.uri).await?;
        let (enc, limit) = {
            let s = self.lock();
            (s.encoding, s.settings.max_diagnostics_per_file)
        };
        let mut items = features::file_diagnostics(&snap, &params.text_document.uri, enc, limit);
        items.extend(self.lock().audit.get(params.text_document.uri.as_str()).into_iter().flatten().cloned());
        Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items },
        })))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command == features::EXPLAIN_COMMAND {
            let code = params.arguments.first().and_then(|a| a.as_str()).unwrap_or("");
            let Some(rule) = zonels_analysis::rules::by_code(code) else {
                return Err(Error::invalid_params(format!("unknown rule `{code}`")));
            };
            self.client.show_message(MessageType::INFO, format!("{}: {}", rule.code, rule.summary)).await;
            self.client.log_message(MessageType::INFO, format!("# {}\n\n{}", rule.code, rule.doc_text())).await;
            return Ok(Some(serde_json::Value::String(rule.doc_text())));
        }
        if params.command == features::AUDIT_COMMAND {
            return self.audit(&params.arguments).await;
        }
        Err(Error::method_not_found())
    }
}

impl Backend {
    /// Publishes the quick look at an edited document (see [`quick`]) when the full
    /// analysis of its text has not already been published.
    async fn quick_look(&self, uri: &Uri) {
        let (snap, rope, version, path, enc, limit, unchanged) = {
            let s = self.lock();
            let Some(snap) = s.latest.clone() else { return };
            let Some((_, doc)) = s.docs.get(uri.as_str()) else { return };
            let worth_it = s.settings.quick_look.unwrap_or(snap.elapsed >= QUICK_LOOK_AFTER);
            if !worth_it || s.pull || snap.versions.get(uri.as_str()) == Some(&doc.version) {
                return;
            }
            let unchanged = snap.versions.get(uri.as_str()).and_then(|v| doc.unchanged_since(*v));
            (snap, doc.rope.clone(), doc.version, doc.path.clone(), s.encoding, s.settings.max_diagnostics_per_file, unchanged)
        };
        let Some(file) = snap.files.get(&path).copied() else { return };
        let Some(found) = quick::findings(&snap, file, &rope, unchanged) else { return };
        let items = features::quick_diagnostics(&rope, &found, enc, limit);
        let _guard = self.publishing.lock().await;
        {
            let s = self.lock();
            let current = s.docs.get(uri.as_str()).is_some_and(|(_, d)| d.version == version);
            let analysed = s.latest.as_ref().is_some_and(|l| l.versions.get(uri.as_str()).is_some_and(|v| *v >= version));
            if !current || analysed {
                return;
            }
        }
        self.outbox
            .notify(
                "textDocument/publishDiagnostics",
                &PublishDiagnosticsParams { uri: uri.clone(), diagnostics: items, version: Some(version) },
            )
            .await;
    }

    /// `zonels.audit URI`: compares the document's zone with the published DNS and shows
    /// the differences as diagnostics in the document (until it is edited). Online, and
    /// only when asked.
    async fn audit(&self, args: &[LSPAny]) -> Result<Option<LSPAny>> {
        let uri: Uri = args
            .first()
            .and_then(|a| a.as_str())
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| Error::invalid_params("`zonels.audit` takes the URI of a zone file"))?;
        let snap = self.snapshot_for(&uri).await?;
        let Some(file) = snap.file_of_uri(&uri) else {
            return Err(Error::invalid_params(format!("`{}` is not a file of the workspace", uri.as_str())));
        };
        let editor_resolver = self.lock().settings.resolver.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job = snap.clone();
        // The audit runs its own runtime: a thread of its own, not one of the server's.
        std::thread::spawn(move || {
            let _ = tx.send(features::run_audit(&job, editor_resolver));
        });
        let found = match rx.await {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => {
                self.client.show_message(MessageType::ERROR, format!("zonels audit: {e}")).await;
                return Err(Error::invalid_params(e));
            }
            Err(e) => return Err(internal(e)),
        };
        let (enc, limit) = {
            let s = self.lock();
            (s.encoding, s.settings.max_diagnostics_per_file)
        };
        let items = features::lsp_diagnostics(&snap, found.iter().filter(|d| d.file == file), enc, limit);
        let count = items.len();
        let _guard = self.publishing.lock().await;
        let (version, pull) = {
            let mut s = self.lock();
            s.audit.insert(uri.as_str().to_string(), items.clone());
            s.published.insert(uri.as_str().to_string());
            (s.docs.get(uri.as_str()).map(|(_, d)| d.version), s.pull)
        };
        if pull {
            let _ = self.client.workspace_diagnostic_refresh().await;
        } else {
            let mut all = features::file_diagnostics(&snap, &uri, enc, limit);
            all.extend(items);
            self.outbox
                .notify("textDocument/publishDiagnostics", &PublishDiagnosticsParams { uri: uri.clone(), diagnostics: all, version })
                .await;
        }
        let what = if count == 1 { "difference".to_string() } else { "differences".to_string() };
        self.client.show_message(MessageType::INFO, format!("zonels audit: {count} {what} from the published DNS")).await;
        Ok(Some(serde_json::json!({ "findings": count })))
    }

    /// Asks the client for the `zonels` settings section, if it can answer.
    async fn pull_settings(&self) {
        let item = ConfigurationItem { scope_uri: None, section: Some("zonels".into()) };
        if let Ok(values) = self.client.configuration(vec![item]).await
            && let Some(v) = values.into_iter().next().filter(|v| !v.is_null())
            && let Ok(settings) = serde_json::from_value(v)
        {
            self.lock().settings = settings;
        }
    }
}
