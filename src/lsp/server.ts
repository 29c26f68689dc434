/**
 * `goward lsp`: a Language Server over stdio wrapping one long-lived engine. Diagnostics on open,
 * change (debounced) and save, with rule ids and documentation links; unsaved buffers feed the
 * package model, so editing one file updates the findings of its open siblings. Code actions:
 * each autofix and suggestion, "ignore with a reason" (`//goward:ignore`), and
 * `source.fixAll.goward`.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Linter } from "eslint";
import {
  CodeAction,
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
  TextEdit,
  type Diagnostic,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { Engine } from "../cli/engine.js";
import { findConfig, loadConfig, CONFIG_NAMES } from "../cli/config.js";
import { ruleIds } from "../rules.js";
import { docsUrl } from "../meta.js";
import { packageCache, registerFile } from "../semantic/package.js";
import { IncrementalParser } from "../language/parser.js";
import { stripBom } from "../read-file.js";
import type { MessageWithRelated } from "../related.js";

const FIX_ALL = `${CodeActionKind.SourceFixAll}.goward`;
const DEBOUNCE_MS = 150;

interface DiagnosticData {
  rule: string | null;
  fix?: Linter.LintMessage["fix"];
  suggestions?: Array<{ desc: string; fix: NonNullable<Linter.LintMessage["fix"]> }>;
}

export function startLanguageServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): void {
  const connection = createConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  let root = process.cwd();
  let engine: Engine | undefined;
  const timers = new Map<string, NodeJS.Timeout>();
  /** Per open document: its previous parse, so that an edit re-parses and converts only what changed. */
  const parsers = new Map<string, IncrementalParser>();

  const makeEngine = (): Engine => {
    let config;
    try {
      config = loadConfig(findConfig(root), root, ruleIds);
    } catch (e) {
      connection.window.showErrorMessage(`goward: ${(e as Error).message}`);
      config = loadConfig(undefined, root, ruleIds);
    }
    return new Engine({ config, ruleOverrides: {}, reportUnusedSuppressions: true, maxFileSize: config.maxFileSize });
  };
  const getEngine = () => (engine ??= makeEngine());
  const fsPath = (uri: string) => (uri.startsWith("file:") ? fileURLToPath(uri) : path.join(root, uri.replace(/[^A-Za-z0-9_.-]/gu, "_")));

  const lint = (doc: TextDocument): void => {
    if (!doc.uri.endsWith(".go")) return;
    const file = fsPath(doc.uri);
    const text = doc.getText();
    let messages: Linter.LintMessage[] = [];
    try {
      // Parse here, incrementally, and hand the result to the linter and the package model
      // (both take a remembered parse of the same text instead of parsing again).
      const body = stripBom(text);
      if (!body.includes("\u0000")) {
        let incremental = parsers.get(doc.uri);
        if (!incremental) parsers.set(doc.uri, (incremental = new IncrementalParser()));
        const out = incremental.parse(body);
        packageCache.rememberParse(file, body, out);
        registerFile(out.ast, file);
      }
      messages = getEngine().lintText(text, file).messages;
    } catch (e) {
      connection.console.error(`goward: ${(e as Error).message}`);
    }
    const diagnostics: Diagnostic[] = messages.map((m) => {
      const rule = m.ruleId?.replace(/^goward\//u, "") ?? null;
      const start = { line: Math.max(0, m.line - 1), character: Math.max(0, m.column - 1) };
      const end = m.endLine !== undefined ? { line: m.endLine - 1, character: Math.max(0, (m.endColumn ?? m.column) - 1) } : start;
      const data: DiagnosticData = { rule, fix: m.fix, suggestions: m.suggestions?.map((s) => ({ desc: s.desc, fix: s.fix })) };
      return {
        range: { start, end },
        severity: m.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        source: "goward",
        message: m.message,
        ...(rule && ruleIds.has(rule) ? { code: rule, codeDescription: { href: docsUrl(rule) } } : {}),
        ...((m as MessageWithRelated).relatedLocations?.length
          ? {
              relatedInformation: (m as MessageWithRelated).relatedLocations!.map((r) => ({
                location: { uri: pathToFileURL(r.file).href, range: { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.line - 1, character: r.column - 1 } } },
                message: r.message,
              })),
            }
          : {}),
        data,
      };
    });
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const lastLint = new Map<string, number>();
  const lintNow = (uri: string) => {
    timers.delete(uri);
    const current = documents.get(uri);
    if (!current) return;
    lastLint.set(uri, Date.now());
    lint(current);
  };
  /**
   * Re-lints a document and, since its package changed, the other open files of its directory.
   * The edited file is linted at once when it has been quiet for a while (leading edge), else at
   * the end of a burst of keystrokes (trailing edge); siblings always wait for the burst to end.
   */
  let debounceMs = DEBOUNCE_MS;
  const schedule = (doc: TextDocument): void => {
    const dir = path.dirname(fsPath(doc.uri));
    for (const other of documents.all()) {
      if (path.dirname(fsPath(other.uri)) !== dir) continue;
      const pending = timers.get(other.uri);
      clearTimeout(pending);
      if (other.uri === doc.uri && !pending && Date.now() - (lastLint.get(doc.uri) ?? 0) >= debounceMs) {
        timers.set(other.uri, setTimeout(() => lintNow(other.uri), 0));
        continue;
      }
      timers.set(other.uri, setTimeout(() => lintNow(other.uri), other.uri === doc.uri ? debounceMs : debounceMs * 2));
    }
  };

  connection.onInitialize((params) => {
    // `initializationOptions.debounceMs`: how long a burst of keystrokes is waited out (default 150).
    const d = (params.initializationOptions as { debounceMs?: unknown } | undefined)?.debounceMs;
    if (typeof d === "number" && d >= 0 && d <= 10_000) debounceMs = d;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (folder?.startsWith("file:")) root = fileURLToPath(folder);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL] },
      },
      serverInfo: { name: "goward" },
    };
  });
  connection.onInitialized(() => {
    void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
  });

  documents.onDidOpen((e) => {
    packageCache.setOverlay(fsPath(e.document.uri), e.document.getText());
    lastLint.set(e.document.uri, Date.now());
    lint(e.document);
  });
  documents.onDidChangeContent((e) => {
    if (CONFIG_NAMES.includes(path.basename(fsPath(e.document.uri)))) return;
    packageCache.setOverlay(fsPath(e.document.uri), e.document.getText());
    schedule(e.document);
  });
  documents.onDidSave((e) => {
    if (CONFIG_NAMES.includes(path.basename(fsPath(e.document.uri)))) {
      engine = undefined;
      for (const d of documents.all()) lint(d);
    }
  });
  documents.onDidClose((e) => {
    const file = fsPath(e.document.uri);
    clearTimeout(timers.get(e.document.uri));
    parsers.get(e.document.uri)?.dispose();
    parsers.delete(e.document.uri);
    packageCache.setOverlay(file, undefined);
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onDidChangeWatchedFiles((e) => {
    if (e.changes.some((c) => CONFIG_NAMES.includes(path.basename(fsPath(c.uri))))) {
      engine = undefined;
      for (const d of documents.all()) lint(d);
    }
    for (const c of e.changes) packageCache.invalidate(fsPath(c.uri));
  });
  connection.onDidChangeConfiguration(() => {
    engine = undefined;
    for (const d of documents.all()) lint(d);
  });

  const edit = (doc: TextDocument, fix: { range: [number, number]; text: string }): TextEdit =>
    TextEdit.replace({ start: doc.positionAt(fix.range[0]), end: doc.positionAt(fix.range[1]) }, fix.text);

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const actions: CodeAction[] = [];
    const only = params.context.only;
    if (!only || only.some((k) => FIX_ALL.startsWith(k))) {
      const { output, fixed } = getEngine().fixText(doc.getText(), fsPath(doc.uri));
      if (fixed) {
        actions.push({
          title: "Fix all goward problems in this file",
          kind: FIX_ALL,
          edit: { changes: { [doc.uri]: [TextEdit.replace({ start: doc.positionAt(0), end: doc.positionAt(doc.getText().length) }, output)] } },
        });
      }
    }
    if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix))) return actions;
    // Clients may drop `data`: then the findings of the current text are matched by position and rule.
    let fresh: Linter.LintMessage[] | undefined;
    const dataFor = (d: Diagnostic): DiagnosticData | undefined => {
      if (d.data) return d.data as DiagnosticData;
      fresh ??= getEngine().lintText(doc.getText(), fsPath(doc.uri)).messages;
      const m = fresh.find((x) => x.line - 1 === d.range.start.line && x.column - 1 === d.range.start.character && x.ruleId === `goward/${String(d.code)}`);
      return m ? { rule: String(d.code), fix: m.fix, suggestions: m.suggestions?.map((s) => ({ desc: s.desc, fix: s.fix })) } : undefined;
    };
    for (const d of params.context.diagnostics) {
      if ((d.source !== undefined && d.source !== "goward") || !d.range) continue;
      const data = dataFor(d);
      if (!data?.rule) continue;
      if (data.fix) {
        actions.push({ title: `Fix: ${data.rule}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [doc.uri]: [edit(doc, data.fix)] } } });
      }
      for (const s of data.suggestions ?? []) {
        actions.push({ title: s.desc, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [doc.uri]: [edit(doc, s.fix)] } } });
      }
      const line = d.range.start.line;
      const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      const indent = /^[ \t]*/u.exec(lineText)![0];
      actions.push({
        title: `Ignore ${data.rule} here, with a reason`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [doc.uri]: [TextEdit.insert({ line, character: 0 }, `${indent}//goward:ignore ${data.rule} <why this is safe>\n`)] } },
      });
    }
    return actions;
  });

  // Diagnostics for long editing sessions: heap after a full GC when node runs with --expose-gc.
  connection.onRequest("goward/memory", () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
  });

  connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    for (const p of parsers.values()) p.dispose();
    parsers.clear();
    packageCache.clear();
  });
  connection.onExit(() => process.exit(0));

  documents.listen(connection);
  connection.listen();
}


