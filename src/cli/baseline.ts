/**
 * Baselines: record today's findings so that CI fails only on new ones. A finding is identified
 * by its rule, its file, its message and the content of its line with white space removed, so it
 * survives unrelated lines moving or changing; each baseline entry absorbs one finding, so a
 * second identical finding in the same file is new.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { FileResult } from "../formatters/types.js";

export interface BaselineFile {
  version: 1;
  tool: "goward";
  findings: Array<{ rule: string; file: string; fingerprint: string; line: number; message: string }>;
}

export class BaselineError extends Error {}

/** A stable identity for each finding of a file (also used by the GitLab report). */
export function fingerprintsOf(result: FileResult, cwd: string): Array<{ rule: string; file: string; fingerprint: string; index: number }> {
  const file = path.relative(cwd, result.filePath).split(path.sep).join("/");
  let text: string | undefined;
  try {
    text = fs.readFileSync(result.filePath, "utf8");
  } catch {
    text = result.source;
  }
  const lines = (text ?? "").split(/\r?\n/u);
  return result.messages.map((m, index) => {
    const rule = m.ruleId?.replace(/^goward\//u, "") ?? "(file)";
    const line = (lines[m.line - 1] ?? "").replace(/\s+/gu, "");
    const fingerprint = crypto.createHash("sha256").update(`${rule}\0${file}\0${line}\0${m.message}`).digest("hex").slice(0, 32);
    return { rule, file, fingerprint, index };
  });
}

export function writeBaseline(results: readonly FileResult[], cwd: string, out: string): number {
  const findings: BaselineFile["findings"] = [];
  for (const r of results) {
    for (const f of fingerprintsOf(r, cwd)) {
      const m = r.messages[f.index];
      findings.push({ rule: f.rule, file: f.file, fingerprint: f.fingerprint, line: m.line, message: m.message });
    }
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.rule.localeCompare(b.rule)));
  const data: BaselineFile = { version: 1, tool: "goward", findings };
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  fs.renameSync(tmp, out);
  return findings.length;
}

export function readBaseline(file: string): BaselineFile {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new BaselineError(`cannot read baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split("\n")[0]}`);
  }
  const b = data as Partial<BaselineFile>;
  if (b?.version !== 1 || b.tool !== "goward" || !Array.isArray(b.findings)) throw new BaselineError(`${file} is not a goward baseline (version 1)`);
  return b as BaselineFile;
}

/** Drops the findings recorded in the baseline (each baseline entry absorbs one finding). */
export function applyBaseline(results: readonly FileResult[], baseline: BaselineFile, cwd: string): { results: FileResult[]; known: number } {
  const budget = new Map<string, number>();
  for (const f of baseline.findings) budget.set(f.fingerprint, (budget.get(f.fingerprint) ?? 0) + 1);
  let known = 0;
  const out = results.map((r) => {
    const fps = fingerprintsOf(r, cwd);
    const keep = r.messages.filter((_, i) => {
      const fp = fps[i].fingerprint;
      const left = budget.get(fp) ?? 0;
      if (left > 0) {
        budget.set(fp, left - 1);
        known++;
        return false;
      }
      return true;
    });
    return { ...r, messages: keep };
  });
  return { results: out, known };
}
