/**
 * GitLab Code Quality report (the JSON artifact of `artifacts:reports:codequality`): an array of
 * issues with a stable fingerprint (the baseline's: rule, file, message and line content), so that
 * merge requests show new and fixed findings.
 */
import path from "node:path";
import { fingerprintsOf } from "../cli/baseline.js";
import type { FileResult } from "./types.js";

export function formatGitlab(results: readonly FileResult[], opts: { cwd: string }): string {
  const issues: unknown[] = [];
  for (const r of [...results].sort((a, b) => (a.filePath < b.filePath ? -1 : 1))) {
    if (r.skipped || r.messages.length === 0) continue;
    const file = path.relative(opts.cwd, r.filePath).split(path.sep).join("/");
    const fps = fingerprintsOf(r, opts.cwd);
    r.messages.forEach((m, i) => {
      issues.push({
        type: "issue",
        check_name: `goward/${fps[i].rule}`,
        description: m.message,
        categories: ["Security"],
        severity: m.severity === 2 ? "major" : "minor",
        fingerprint: fps[i].fingerprint,
        location: { path: file, lines: { begin: m.line, ...(m.endLine ? { end: m.endLine } : {}) } },
      });
    });
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}
