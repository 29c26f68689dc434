/**
 * `npm run bench:lsp`: edits a 2,000-line Go file 200 times through `goward lsp` and reports
 * p50/p95 of the time from sending a change to receiving the diagnostics of that version.
 * Edits are spaced like typing pauses (the server lints at once after a quiet period).
 *
 * That wall-clock time depends on what else the machine runs, so on Linux the tool also reports
 * the CPU time the server process (all its threads, GC included) spent per edit, and the load
 * average before and after the run.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { PACKAGE_ROOT } from "../src/package-info.js";

const EDITS = Number(process.env.EDITS ?? 200);
const PAUSE_MS = 160;

/** CPU time of all threads of process `pid` in ms (Linux schedstat), or undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let ns = 0;
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) ns += Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]);
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

const load = () => os.loadavg()[0].toFixed(2);

function bigFile(): string {
  const out = ['package api', "", "import (", '\t"context"', '\t"database/sql"', "", '\t"github.com/gofiber/fiber/v2"', '\t"gorm.io/gorm"', ")", "", "type Server struct {", "\tdb  *gorm.DB", "\tsql *sql.DB", "}", ""];
  for (let i = 0; out.length < 2000; i++) {
    out.push(
      `func (s *Server) H${i}(c *fiber.Ctx) error {`,
      `\tid, ok := c.Locals("userID").(uint)`,
      "\tif !ok {",
      "\t\treturn fiber.ErrUnauthorized",
      "\t}",
      "\tvar out []string",
      `\tif err := s.db.WithContext(c.UserContext()).Where("id = ?", id).Find(&out).Error; err != nil {`,
      "\t\treturn err",
      "\t}",
      "\treturn c.JSON(out)",
      "}",
      "",
      `func (s *Server) Q${i}(ctx context.Context) error {`,
      `\t_, err := s.sql.ExecContext(ctx, "UPDATE t SET n = n + 1 WHERE id = $1", ${i})`,
      "\treturn err",
      "}",
      "",
    );
  }
  return `${out.join("\n")}\n`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-latency-"));
  const file = path.join(dir, "big.go");
  const text = bigFile();
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const proc = spawn(process.execPath, [path.join(PACKAGE_ROOT, "bin", "goward.js"), "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiting = new Map<number, () => void>();
  conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; version?: number }) => {
    if (p.uri === uri && p.version !== undefined) waiting.get(p.version)?.();
  });
  conn.listen();
  await conn.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
  await conn.sendNotification("initialized", {});
  const opened = new Promise<void>((r) => waiting.set(1, r));
  await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "go", version: 1, text } });
  await opened;
  const times: number[] = [];
  const cpu: number[] = [];
  const loadBefore = load();
  const lines = text.split("\n").length;
  for (let v = 2; v < EDITS + 2; v++) {
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    const line = 20 + ((v * 37) % (lines - 40));
    const done = new Promise<void>((r) => waiting.set(v, r));
    const c0 = cpuMs(proc.pid);
    const t0 = performance.now();
    await conn.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `\t// edit ${v}\n` }],
    });
    await done;
    times.push(performance.now() - t0);
    const c1 = cpuMs(proc.pid);
    if (c0 !== undefined && c1 !== undefined) cpu.push(c1 - c0);
  }
  const loadAfter = load();
  await conn.sendRequest("shutdown");
  await conn.sendNotification("exit");
  fs.rmSync(dir, { recursive: true, force: true });
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  console.log(`file: ${lines} lines; edits: ${times.length}; load average ${loadBefore} before, ${loadAfter} after`);
  console.log(`change -> diagnostics: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, max ${pct(times, 100).toFixed(1)} ms`);
  if (cpu.length === times.length) {
    console.log(`server CPU per edit:   p50 ${pct(cpu, 50).toFixed(1)} ms, p95 ${pct(cpu, 95).toFixed(1)} ms, max ${pct(cpu, 100).toFixed(1)} ms`);
  }
}

await main();
