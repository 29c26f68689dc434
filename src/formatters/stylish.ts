/**
 * The terminal format: grouped by file, `line:col  severity  message  rule`, a summary, and the
 * documentation link of every rule that fired. Colour only when asked (a TTY without NO_COLOR).
 */
import path from "node:path";
import { styleText } from "node:util";
import type { FileResult } from "./types.js";
import { docsUrl } from "../meta.js";

type Style = Parameters<typeof styleText>[0];

export function formatStylish(results: readonly FileResult[], opts: { cwd: string; color: boolean }): string {
  const c = (style: Style, s: string) => (opts.color ? styleText(style, s) : s);
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  const rulesSeen = new Set<string>();
  for (const r of results) {
    if (r.messages.length === 0) continue;
    out.push(c("underline", path.relative(opts.cwd, r.filePath) || r.filePath));
    const rows = r.messages.map((m) => {
      const sev = m.severity === 2 ? "error" : "warning";
      if (m.severity === 2) errors++;
      else warnings++;
      const bare = m.ruleId?.startsWith("goward/") ? m.ruleId.slice(7) : m.ruleId;
      if (bare && m.ruleId?.startsWith("goward/")) rulesSeen.add(bare);
      return { pos: `${m.line}:${m.column}`, sev, msg: m.message, rule: bare ?? "" };
    });
    const posW = Math.max(...rows.map((x) => x.pos.length));
    for (const row of rows) {
      const sev = row.sev === "error" ? c("red", "error  ") : c("yellow", "warning");
      out.push(`  ${c("dim", row.pos.padEnd(posW))}  ${sev}  ${row.msg}${row.rule ? `  ${c("dim", row.rule)}` : ""}`);
    }
    out.push("");
  }
  const skipped = results.filter((r) => r.skipped);
  for (const s of skipped) out.push(c("yellow", `skipped ${path.relative(opts.cwd, s.filePath) || s.filePath}: ${s.skipped}`));
  if (skipped.length) out.push("");
  const total = errors + warnings;
  if (total > 0) {
    const line = `✖ ${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"})`;
    out.push(c(errors ? "red" : "yellow", c("bold", line)));
    if (rulesSeen.size) {
      out.push("");
      out.push("How to fix:");
      for (const id of [...rulesSeen].sort()) out.push(`  ${id}  ${docsUrl(id)}`);
    }
    out.push("");
  }
  return out.join("\n");
}
