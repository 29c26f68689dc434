/**
 * `--new-from-rev REV`: keep only findings on lines changed since a git revision (committed,
 * staged or not, plus untracked files). Reads the diff with `git`, the only program goward runs.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { FileResult } from "../formatters/types.js";

export class GitError extends Error {}

function git(args: string[], cwd: string): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new GitError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  if (r.status !== 0) throw new GitError(`git ${args[0]} failed: ${(r.stderr || "").trim().split("\n")[0]}`);
  return r.stdout;
}

/** Changed line numbers per absolute file path; `"all"` for files that are new to git. */
export function changedLines(rev: string, cwd: string): Map<string, Set<number> | "all"> {
  const top = git(["rev-parse", "--show-toplevel"], cwd).trim();
  git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], cwd);
  const out = new Map<string, Set<number> | "all">();
  const diff = git(["diff", "--no-color", "--no-ext-diff", "--unified=0", "--no-renames", rev, "--", "*.go"], top);
  let current: Set<number> | undefined;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ")) {
      const p = line.slice(4);
      if (p === "/dev/null") {
        current = undefined;
        continue;
      }
      const file = path.join(top, p.replace(/^b\//u, ""));
      current = new Set<number>();
      out.set(file, current);
    } else if (line.startsWith("@@") && current) {
      const m = /\+(\d+)(?:,(\d+))?/u.exec(line);
      if (!m) continue;
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  for (const f of git(["ls-files", "--others", "--exclude-standard", "--", "*.go"], top).split("\n")) {
    if (f) out.set(path.join(top, f), "all");
  }
  return out;
}

export function keepChanged(results: readonly FileResult[], changed: Map<string, Set<number> | "all">): FileResult[] {
  return results.map((r) => {
    const lines = changed.get(r.filePath);
    if (lines === "all") return r;
    return { ...r, messages: lines ? r.messages.filter((m) => lines.has(m.line)) : [] };
  });
}
