/** `goward lsp` driven over stdio with vscode-jsonrpc: the protocol details an editor relies on. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { BIN, ROOT } from "./helpers.js";

interface Diag {
  range: { start: { line: number; character: number } };
  code?: string;
  codeDescription?: { href: string };
  message: string;
  source: string;
  data?: unknown;
}
interface Publish {
  uri: string;
  version?: number;
  diagnostics: Diag[];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-lsp-"));
const serverGo = 'package api\n\nimport "gorm.io/gorm"\n\ntype Server struct {\n\tdb *gorm.DB\n}\n';
const handlerGo = `package api

import "github.com/gofiber/fiber/v2"

func (s *Server) Me(c *fiber.Ctx) error {
	id := c.Locals("userID").(uint)
	var out []string
	if err := s.db.Where("id = ?", id).Find(&out).Error; err != nil {
		return err
	}
	return c.JSON(out)
}
`;
fs.writeFileSync(path.join(dir, "server.go"), serverGo);
fs.writeFileSync(path.join(dir, "handler.go"), handlerGo);
const serverUri = pathToFileURL(path.join(dir, "server.go")).href;
const handlerUri = pathToFileURL(path.join(dir, "handler.go")).href;

let proc: ChildProcess;
let conn: MessageConnection;
const published: Publish[] = [];
const waiters: Array<{ pred: (p: Publish) => boolean; resolve: (p: Publish) => void }> = [];

function waitFor(pred: (p: Publish) => boolean, timeout = 10_000): Promise<Publish> {
  const hit = published.find(pred);
  if (hit) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("timed out waiting for diagnostics")), timeout);
    waiters.push({ pred, resolve: (p) => (clearTimeout(t), resolve(p)) });
  });
}

beforeAll(async () => {
  proc = spawn(process.execPath, [BIN, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.onNotification("textDocument/publishDiagnostics", (p: Publish) => {
    published.push(p);
    for (const w of [...waiters]) if (w.pred(p)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(p));
  });
  conn.listen();
  const init = await conn.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, workspaceFolders: null });
  expect((init as { capabilities: { textDocumentSync: { change: number } } }).capabilities.textDocumentSync.change).toBe(2);
  await conn.sendNotification("initialized", {});
}, 30_000);

afterAll(() => {
  proc?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("goward lsp", () => {
  it("publishes diagnostics on open, with rule ids, doc links and the document version", async () => {
    await conn.sendNotification("textDocument/didOpen", { textDocument: { uri: handlerUri, languageId: "go", version: 1, text: handlerGo } });
    const p = await waitFor((x) => x.uri === handlerUri && x.version === 1);
    expect(p.diagnostics.map((d) => [d.code, d.range.start.line]).sort()).toEqual([
      ["no-unchecked-assertion", 5],
      ["require-db-context", 7],
    ]);
    expect(p.diagnostics[0].source).toBe("goward");
    expect(p.diagnostics.every((d) => d.codeDescription?.href.includes(`docs/rules/${d.code}.md`))).toBe(true);
  });

  it("offers quick fixes, an ignore-with-reason action and source.fixAll.goward", async () => {
    const p = await waitFor((x) => x.uri === handlerUri && x.version === 1);
    const db = p.diagnostics.find((d) => d.code === "require-db-context")!;
    const actions = (await conn.sendRequest("textDocument/codeAction", {
      textDocument: { uri: handlerUri },
      range: db.range,
      context: { diagnostics: [db] },
    })) as Array<{ title: string; kind: string; edit: { changes: Record<string, Array<{ newText: string; range: unknown }>> } }>;
    const titles = actions.map((a) => a.title);
    expect(titles).toContain("Fix: require-db-context");
    expect(titles).toContain("Ignore require-db-context here, with a reason");
    expect(titles).toContain("Fix all goward problems in this file");
    const fix = actions.find((a) => a.title === "Fix: require-db-context")!;
    expect(fix.edit.changes[handlerUri][0].newText).toBe(".WithContext(c.UserContext())");
    const ignore = actions.find((a) => a.title.startsWith("Ignore"))!;
    expect(ignore.edit.changes[handlerUri][0].newText).toBe("\t//goward:ignore require-db-context <why this is safe>\n");
    const all = actions.find((a) => a.kind === "source.fixAll.goward")!;
    expect(all.edit.changes[handlerUri][0].newText).toContain("s.db.WithContext(c.UserContext()).Where(");
  });

  it("applies incremental changes and publishes for the new version", async () => {
    // Replace line 6 (0-based 5) with the comma-ok form.
    await conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: handlerUri, version: 2 },
      contentChanges: [
        {
          range: { start: { line: 5, character: 1 }, end: { line: 5, character: 32 } },
          text: 'id, _ := c.Locals("userID").(uint)',
        },
      ],
    });
    const p = await waitFor((x) => x.uri === handlerUri && x.version === 2);
    expect(p.diagnostics.map((d) => d.code)).toEqual(["require-db-context"]);
  });

  it("feeds unsaved sibling buffers to the package model", async () => {
    // In the unsaved server.go, db is no longer a *gorm.DB: the handler's finding goes away.
    const edited = serverGo.replace("db *gorm.DB", "db *memory");
    await conn.sendNotification("textDocument/didOpen", { textDocument: { uri: serverUri, languageId: "go", version: 1, text: serverGo } });
    await conn.sendNotification("textDocument/didChange", { textDocument: { uri: serverUri, version: 2 }, contentChanges: [{ text: edited }] });
    const p = await waitFor((x) => x.uri === handlerUri && (x.version ?? 0) >= 2 && x.diagnostics.length === 0);
    expect(p.diagnostics).toEqual([]);
  });

  it("sends related locations (the handler, the identity read) as relatedInformation", async () => {
    const file = path.join(ROOT, "fixtures", "require-auth-middleware", "internal", "routes", "routes.go");
    const uri = pathToFileURL(file).href;
    await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "go", version: 1, text: fs.readFileSync(file, "utf8") } });
    const p = await waitFor((x) => x.uri === uri);
    const cart = p.diagnostics.find((d) => d.code === "require-auth-middleware" && d.range.start.line === 21) as Diag & {
      relatedInformation?: Array<{ location: { uri: string; range: { start: { line: number } } }; message: string }>;
    };
    expect(cart.relatedInformation?.map((r) => [path.basename(fileURLToPath(r.location.uri)), r.location.range.start.line, r.message])).toEqual([
      ["handlers.go", 35, "handler h.Cart"],
      ["handlers.go", 40, 'reads currentUser() → Locals("userID")'],
    ]);
    await conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
  });

  it("shuts down cleanly", async () => {
    await conn.sendRequest("shutdown");
    const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
    await conn.sendNotification("exit");
    expect(await exited).toBe(0);
  });
});
