// End-to-end self-test, run only when ZONELS_E2E_OUT is set in the environment of the
// VS Code server (the project's tests run it in code-server): opens ZONELS_E2E_FILE,
// waits for the findings ZONELS_E2E_EXPECT (comma-separated codes), asks for a hover and
// the code actions of ZONELS_E2E_FIX, shows the quick-fix menu and writes
// `<out>.ready` (a screenshot can be taken then), waits for `<out>.go`, applies the quick
// fix through the workspace API and waits for its finding to go. The result is written to
// ZONELS_E2E_OUT as JSON.
import * as fs from 'fs';
import * as vscode from 'vscode';

interface Result {
  uri?: string;
  languageId?: string;
  diagnostics?: { line: number; col: number; code: string; message: string }[];
  hover?: string[];
  codeActions?: string[];
  applied?: string;
  fixed?: boolean;
  error?: string;
  ms?: number;
}

function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

function until<T>(what: () => T | undefined, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const now = what();
    if (now !== undefined) {
      return resolve(now);
    }
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      const v = what();
      if (v !== undefined) {
        sub.dispose();
        clearTimeout(timer);
        resolve(v);
      }
    });
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(what());
    }, ms);
  });
}

async function waitForFile(file: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export async function selfTest(output: vscode.OutputChannel): Promise<void> {
  const out = process.env.ZONELS_E2E_OUT as string;
  const uri = vscode.Uri.file(process.env.ZONELS_E2E_FILE as string);
  const expect = (process.env.ZONELS_E2E_EXPECT || '').split(',').filter((c) => c);
  const fixCode = process.env.ZONELS_E2E_FIX || expect[0];
  const res: Result = { uri: uri.toString() };
  const t0 = Date.now();
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    res.languageId = doc.languageId;
    const diags = await until(() => {
      const d = vscode.languages.getDiagnostics(uri);
      return expect.every((c) => d.some((x) => codeOf(x) === c)) ? d : undefined;
    }, 30000);
    const all = vscode.languages.getDiagnostics(uri);
    res.diagnostics = all.map((d) => ({ line: d.range.start.line + 1, col: d.range.start.character + 1, code: codeOf(d), message: d.message }));
    if (!diags) {
      throw new Error(`expected findings ${expect.join(', ')} did not arrive`);
    }
    const target = diags.find((d) => codeOf(d) === fixCode) as vscode.Diagnostic;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, target.range.start);
    res.hover = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      target.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    res.codeActions = actions.map((a) => a.title);
    const fix =
      actions.find((a) => a.edit && a.diagnostics?.some((d) => codeOf(d) === fixCode)) ??
      actions.find((a) => a.edit && a.kind?.value === 'quickfix' && !a.title.startsWith('Suppress'));
    if (!fix || !fix.edit) {
      throw new Error(`no quick fix for ${fixCode}`);
    }
    // Show the quick-fix menu where the finding is, for the screenshot.
    editor.selection = new vscode.Selection(target.range.start, target.range.start);
    editor.revealRange(target.range);
    await vscode.commands.executeCommand('editor.action.quickFix');
    fs.writeFileSync(`${out}.ready`, '');
    await waitForFile(`${out}.go`, 30000);
    await vscode.commands.executeCommand('hideCodeActionWidget');
    res.applied = fix.title;
    await vscode.workspace.applyEdit(fix.edit);
    const gone = await until(() => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === fixCode) ? undefined : true), 30000);
    res.fixed = gone === true;
  } catch (e) {
    res.error = String((e as Error)?.stack || e);
  }
  res.ms = Date.now() - t0;
  output.appendLine(`self-test: ${JSON.stringify(res)}`);
  fs.writeFileSync(out, JSON.stringify(res, null, 2));
}
