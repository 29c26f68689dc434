/**
 * The editor server re-parses an edited buffer incrementally (tree-sitter's edited old tree, and
 * the converted top-level declarations that did not change). That must never change a finding:
 * after random edits, the parse equals a fresh parse node for node, and the published
 * diagnostics equal a fresh lint of the same text.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { fieldAllOf, IncrementalParser, parseGo } from "../src/language/parser.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { Engine } from "../src/cli/engine.js";
import { loadConfig } from "../src/cli/config.js";
import { ruleIds } from "../src/rules.js";
import { packageCache } from "../src/semantic/package.js";
import { BIN, ROOT, dump } from "./helpers.js";

/** A small seeded PRNG (mulberry32), so that a failure can be replayed. */
function prng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const LINES = ["\t// note\n", "\n", "var extra = 1\n", "type Extra struct{ A int }\n", "func extra() {}\n", "\tfoo()\n", "/* é 😀 */\n", "\t_ = strconv.Itoa(1)\n"];
const BROKEN = ["}", "{", "(", '"', "/*", "func", "x :=", "😀"];

/** One random edit of `text`: mostly edits that keep the file valid, some that break it. */
function randomEdit(text: string, rnd: (n: number) => number): { start: number; end: number; insert: string } {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const line = () => starts[rnd(starts.length)];
  switch (rnd(8)) {
    case 0:
    case 1:
    case 2: {
      const at = line();
      return { start: at, end: at, insert: LINES[rnd(LINES.length)] };
    }
    case 3: {
      const at = rnd(text.length + 1);
      return { start: at, end: at, insert: "x" };
    }
    case 4: {
      const l = rnd(starts.length - 1);
      return { start: starts[l], end: starts[l + 1], insert: "" };
    }
    case 5: {
      // Move a chunk of lines elsewhere (duplicated declarations, half functions).
      const a = rnd(starts.length - 1);
      const b = Math.min(starts.length - 1, a + 1 + rnd(8));
      const at = line();
      return { start: at, end: at, insert: text.slice(starts[a], starts[b]) };
    }
    case 6: {
      const at = rnd(text.length + 1);
      return { start: at, end: Math.min(text.length, at + rnd(20)), insert: BROKEN[rnd(BROKEN.length)] };
    }
    default: {
      const at = rnd(text.length + 1);
      return { start: at, end: Math.min(text.length, at + rnd(40)), insert: "" };
    }
  }
}

const FIXTURES = ["no-ignored-error/handlers_fiber.go", "no-sql-injection/fiber_echo.go", "no-unchecked-assertion"].map((f) => {
  const p = path.join(ROOT, "fixtures", f);
  return fs.statSync(p).isDirectory() ? path.join(p, fs.readdirSync(p).find((n) => n.endsWith(".go"))!) : p;
});

describe("incremental parsing", () => {
  it("equals a fresh parse after random edits, valid or not", () => {
    const modes: Record<string, number> = {};
    let anonymousChecked = 0;
    for (const [i, fixture] of FIXTURES.entries()) {
      const original = fs.readFileSync(fixture, "utf8");
      const rnd = prng(1000 + i);
      const parser = new IncrementalParser();
      let text = original;
      for (let step = 0; step < 200; step++) {
        const e = randomEdit(text, rnd);
        const next = text.slice(0, e.start) + e.insert + text.slice(e.end);
        // Keep broken versions now and then only, so that most steps can be incremental.
        if (parseGo(next).syntaxProblems.length === 0 || rnd(4) === 0) text = next;
        if (rnd(12) === 0) text = original;
        const got = parser.parse(text);
        modes[parser.lastMode] = (modes[parser.lastMode] ?? 0) + 1;
        const want = dump(parseGo(text));
        // Strings first (fast); the structural comparison only to show a difference.
        if (JSON.stringify(dump(got)) !== JSON.stringify(want)) expect(dump(got), `${path.basename(fixture)} step ${step}`).toEqual(want);
        // The lookups rules use find the same field nodes in moved declarations (operators too).
        const stack: GoNode[] = [got.ast];
        while (stack.length) {
          const n = stack.pop()!;
          stack.push(...n.children);
          for (const [k, v] of Object.entries(n.fields as Record<string, GoNode | GoNode[]>)) {
            if (fieldAllOf(n, k).length !== (Array.isArray(v) ? v.length : 1)) expect(fieldAllOf(n, k), `${path.basename(fixture)} step ${step} ${n.type}.${k}`).toEqual(Array.isArray(v) ? v : [v]);
            anonymousChecked += Array.isArray(v) || n.children.includes(v) ? 0 : 1;
          }
        }
      }
      parser.dispose();
    }
    // The test is only worth something if most steps took the incremental path.
    expect(modes.incremental).toBeGreaterThan(150);
    expect(modes.fresh).toBeGreaterThan(20);
    expect(anonymousChecked).toBeGreaterThan(1000);
  }, 120_000);
});

describe("an edited buffer's line index", () => {
  it("does not keep entries for the nodes of earlier versions", () => {
    // A function of 300 binary expressions (operators live in the line index), re-converted at every edit.
    const body = Array.from({ length: 300 }, (_, i) => `\tx += a${i} * b${i}`).join("\n");
    const make = (n: number) => `package p\n\nfunc f() {\n\t// edit ${"x".repeat(n)}\n${body}\n}\n\nfunc g() int { return 1 + 2 }\n`;
    const parser = new IncrementalParser();
    parser.parse(make(0));
    const fresh = parser.keptEntries;
    expect(fresh).toBeGreaterThanOrEqual(600);
    let most = 0;
    for (let i = 1; i <= 60; i++) {
      parser.parse(make(i));
      expect(parser.lastMode).toBe("incremental");
      most = Math.max(most, parser.keptEntries);
    }
    // Without forgetting, 60 edits would leave about 60 x 600 entries.
    expect(most).toBeLessThanOrEqual(2 * fresh + 1024 + 600);
    parser.dispose();
  });
});

interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string;
  message: string;
  severity?: number;
}

describe("goward lsp after incremental edits", () => {
  it("publishes the diagnostics of a fresh lint of the same text", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-incr-"));
    const proc = spawn(process.execPath, [BIN, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const waiting = new Map<string, (d: Diag[]) => void>();
    conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; version?: number; diagnostics: Diag[] }) => {
      waiting.get(`${p.uri}@${p.version}`)?.(p.diagnostics);
    });
    conn.listen();
    const config = loadConfig(undefined, dir, ruleIds);
    const fresh = new Engine({ config, ruleOverrides: {}, reportUnusedSuppressions: true, maxFileSize: config.maxFileSize });
    const freshLint = (file: string, text: string) => {
      packageCache.setOverlay(file, text); // drops any earlier parse of the file: this lint parses afresh
      return fresh.lintText(text, file).messages.map((m) => ({
        line: m.line - 1,
        character: m.column - 1,
        rule: m.ruleId?.replace(/^goward\//u, "") ?? undefined,
        message: m.message,
        severity: m.severity === 2 ? 1 : 2,
      }));
    };
    const published = (d: Diag[]) => d.map((x) => ({ line: x.range.start.line, character: x.range.start.character, rule: x.code, message: x.message, severity: x.severity }));
    try {
      await conn.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, initializationOptions: { debounceMs: 0 } });
      await conn.sendNotification("initialized", {});
      let compared = 0;
      let valid = 0;
      let withFindings = 0;
      for (const [i, fixture] of FIXTURES.entries()) {
        // The whole fixture package, so that the edited file has its siblings (and their types).
        const pkg = path.join(dir, `f${i}`);
        fs.cpSync(path.dirname(fixture), pkg, { recursive: true });
        const file = path.join(pkg, path.basename(fixture));
        let text = fs.readFileSync(fixture, "utf8");
        let lastValid = text;
        const uri = pathToFileURL(file).href;
        const next = (v: number) => new Promise<Diag[]>((r) => waiting.set(`${uri}@${v}`, r));
        let got = next(1);
        await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "go", version: 1, text } });
        expect(published(await got)).toEqual(freshLint(file, text));
        const rnd = prng(7 + i);
        for (let v = 2; v < 60; v++) {
          // One to three changes per notification, each applied to the text left by the previous.
          const changes = [];
          const pos = (offset: number) => {
            const before = text.slice(0, offset);
            const line = before.split("\n").length - 1;
            return { line, character: offset - (before.lastIndexOf("\n") + 1) };
          };
          if (text !== lastValid && rnd(2) === 0) {
            // Back to the last valid text, as one whole-document change (an undo, a paste).
            changes.push({ range: { start: pos(0), end: pos(text.length) }, text: lastValid });
            text = lastValid;
          }
          for (let k = 1 + rnd(3); k > 0; k--) {
            // Mostly edits that leave valid Go (where the incremental path is taken), some that break it.
            const wantValid = rnd(4) !== 0;
            let e = randomEdit(text, rnd);
            for (let tries = 0; wantValid && tries < 10; tries++) {
              if (parseGo(text.slice(0, e.start) + e.insert + text.slice(e.end)).syntaxProblems.length === 0) break;
              e = randomEdit(text, rnd);
            }
            changes.push({ range: { start: pos(e.start), end: pos(e.end) }, text: e.insert });
            text = text.slice(0, e.start) + e.insert + text.slice(e.end);
          }
          got = next(v);
          await conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: changes });
          const diagnostics = published(await got);
          expect(diagnostics, `${path.basename(fixture)} version ${v}`).toEqual(freshLint(file, text));
          compared++;
          if (parseGo(text).syntaxProblems.length === 0) {
            lastValid = text;
            valid++;
            if (diagnostics.some((d) => d.rule)) withFindings++;
          }
        }
        await conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
      }
      expect(compared).toBe(FIXTURES.length * 58);
      // Most versions must be valid Go, where the server takes the incremental path.
      expect(valid).toBeGreaterThan(compared / 2);
      expect(withFindings).toBeGreaterThan(valid * 0.8);
    } finally {
      proc.kill();
      conn.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
