/**
 * GitLab Code Quality report (the JSON artifact of `artifacts:reports:codequality`): an array of
 * issues with a stable fingerprint, so that merge requests show new and fixed findings.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { lineHashes } from "./fingerprint.js";
import type { FileResult } from "./types.js";

export function formatGitlab(results: readonly FileResult[], opts: { cwd: string }): string {
  const issues: unknown[] = [];
  for (const r of [...results].sort((a, b) => (a.filePath < b.filePath ? -1 : 1))) {
    if (r.skipped || r.messages.length === 0) continue;
    const file = path.relative(opts.cwd, r.filePath).split(path.sep).join("/");
    let text: string | undefined;
    try {
      text = fs.readFileSync(r.filePath, "utf8");
    } catch {
      text = r.source;
    }
    const hashes = lineHashes(text ?? "");
    for (const m of r.messages) {
      const rule = m.ruleId?.replace(/^goward\//u, "") ?? "syntax";
      // Stable across unrelated line moves: the rule, the file and the hash of the line's content.
      const fingerprint = crypto.createHash("sha256").update(`${rule}\0${file}\0${hashes.get(m.line) ?? m.line}`).digest("hex");
      issues.push({
        type: "issue",
        check_name: `goward/${rule}`,
        description: m.message,
        categories: ["Security"],
        severity: m.severity === 2 ? "major" : "minor",
        fingerprint,
        location: { path: file, lines: { begin: m.line, ...(m.endLine ? { end: m.endLine } : {}) } },
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}
