/**
 * GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding, shown on
 * the pull request's diff. File paths are relative to the repository root (the workspace).
 */
import path from "node:path";
import type { FileResult } from "./types.js";

const escapeData = (s: string) => s.replace(/%/gu, "%25").replace(/\r/gu, "%0D").replace(/\n/gu, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/gu, "%3A").replace(/,/gu, "%2C");

export function formatGithub(results: readonly FileResult[], opts: { cwd: string }): string {
  const out: string[] = [];
  for (const r of [...results].sort((a, b) => (a.filePath < b.filePath ? -1 : 1))) {
    const file = path.relative(opts.cwd, r.filePath).split(path.sep).join("/");
    if (r.skipped) {
      out.push(`::warning file=${escapeProperty(file)},title=${escapeProperty("goward: skipped")}::${escapeData(r.skipped)}`);
      continue;
    }
    for (const m of r.messages) {
      const rule = m.ruleId?.replace(/^goward\//u, "") ?? "goward";
      const props = [`file=${escapeProperty(file)}`, `line=${m.line}`, `col=${m.column}`];
      if (m.endLine !== undefined) props.push(`endLine=${m.endLine}`);
      if (m.endColumn !== undefined && m.endLine === m.line) props.push(`endColumn=${m.endColumn}`);
      props.push(`title=${escapeProperty(`goward ${rule}`)}`);
      out.push(`::${m.severity === 2 ? "error" : "warning"} ${props.join(",")}::${escapeData(m.message)}`);
    }
  }
  return out.length ? `${out.join("\n")}\n` : "";
}
