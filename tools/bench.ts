/**
 * `npm run bench -- [DIR...] [--tests] [--threads N]`: the four speed figures of goward on the
 * Go files under the DIRs (name `vendor` explicitly to include vendored code),
 * measured side by side in one run, each with its target:
 *
 * 1. cold run, all recommended rules, N threads (default 2) / `ast-grep scan` with three trivial
 *    Go rules on the same files at its default thread count (target <= 2.0);
 * 2. single-threaded run / bare web-tree-sitter parse of the same files (target <= 2.0);
 * 3. warm run with `--cache`, nothing changed (target < 1 s);
 * 4. peak memory (resident set) of the cold runs, at 1 and N threads (target < 1 GB).
 *
 * It also times parse + conversion to goward's AST (each tree dropped at once): no rule runs
 * there, so its ratio to the bare parse is the part of figure 2 the AST itself costs; and
 * goward's language linted by ESLint with no rule on (parse, conversion, the package cache's
 * kept parses, SourceCode, directives, traversal): the floor under figure 2 that no rule can go
 * below, and, divided by the thread count (perfect scaling), the floor under figure 1. The bare
 * parse and ast-grep run before and after goward and the ratios divide by their means.
 *
 * goward runs as a child process (`node dist/tools/bench-child.js`, the CLI's own `run()`), so
 * times include start-up, discovery and the report, as a user sees them. Without DIR it
 * generates a 2,000-file corpus from the fixtures.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseGo, parseOnly } from "../src/language/parser.js";
import { discover, isGenerated } from "../src/cli/files.js";
import { PACKAGE_ROOT } from "../src/package-info.js";
import { stripBom } from "../src/read-file.js";
import { Linter } from "eslint";
import plugin from "../src/index.js";
import { prepareConfig } from "../src/cli/engine.js";

function generatedCorpus(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-bench-"));
  const fixtures = path.join(PACKAGE_ROOT, "fixtures");
  const sources: string[] = [];
  for (const rule of fs.readdirSync(fixtures)) {
    const d = path.join(fixtures, rule);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d)) if (f.endsWith(".go")) sources.push(fs.readFileSync(path.join(d, f), "utf8"));
  }
  if (sources.length === 0) throw new Error("no fixtures to build a corpus from");
  // 2,000 files in 100 packages.
  for (let i = 0; i < 2000; i++) {
    const pkg = path.join(dir, `pkg${i % 100}`);
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, `f${i}.go`), sources[i % sources.length]);
  }
  return dir;
}

/** Three trivial ast-grep rules for Go, in a throwaway project. */
function astGrepProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-sg-"));
  fs.mkdirSync(path.join(dir, "rules"));
  fs.writeFileSync(path.join(dir, "sgconfig.yml"), "ruleDirs: [rules]\n");
  const rule = (id: string, pattern: string) => `id: ${id}\nlanguage: go\nseverity: warning\nmessage: ${id}\nrule:\n  pattern: ${pattern}\n`;
  fs.writeFileSync(
    path.join(dir, "rules", "trivial.yml"),
    [rule("type-assertion", "$A.($T)"), rule("log-fatal", "log.Fatal($$$ARGS)"), rule("ignored-error", "_ = $F($$$ARGS)")].join("---\n"),
  );
  return dir;
}

interface ChildRun {
  sec: number;
  maxRssMb: number;
  code: number;
}

function goward(args: string[], cwd: string): ChildRun {
  const child = path.join(PACKAGE_ROOT, "dist", "tools", "bench-child.js");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [child, ...args], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const sec = (performance.now() - t0) / 1000;
  const line = /GOWARD_BENCH (\{.*\})/u.exec(r.stderr ?? "");
  if (!line) throw new Error(`goward ${args.join(" ")} failed:\n${r.stderr}`);
  const stats = JSON.parse(line[1]) as { code: number; maxRssKb: number };
  if (stats.code === 2) throw new Error(`goward ${args.join(" ")} exited 2:\n${r.stderr}`);
  return { sec, maxRssMb: stats.maxRssKb / 1024, code: stats.code };
}

function astGrep(files: string[], project: string): number {
  const bin = path.join(PACKAGE_ROOT, "node_modules", ".bin", "ast-grep");
  if (!fs.existsSync(bin)) throw new Error("ast-grep not installed: run npm ci (it is a dev dependency)");
  const t0 = performance.now();
  // One invocation over the exact file list (its default thread count), output discarded.
  const r = spawnSync(bin, ["scan", "-c", path.join(project, "sgconfig.yml"), "--json=stream", ...files], {
    cwd: project,
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const sec = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`ast-grep failed (${r.status}): ${r.stderr}`);
  return sec;
}

function main(): void {
  const args = process.argv.slice(2);
  const tests = args.includes("--tests");
  const ti = args.indexOf("--threads");
  const threads = ti >= 0 ? Number(args[ti + 1]) : 2;
  const dirArgs = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--threads").map((a) => path.resolve(a));
  const arg = dirArgs.length > 0;
  const dirs = arg ? dirArgs : [generatedCorpus()];
  const dir = dirs[0];
  // The files goward lints: generated files are skipped by the linter, so by the baselines too.
  const files = discover(dirs, { cwd: dir, tests, ignorePatterns: [] }).files.filter((f) => !isGenerated(fs.readFileSync(f, "utf8")));
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const mb = bytes / 1024 / 1024;
  const sg = astGrepProject();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-cache-"));
  const common = [...dirs, "--no-config", "--format", "json", ...(tests ? ["--tests"] : [])];

  // Warm up the file system cache and the parser.
  for (const f of files.slice(0, 20)) parseOnly(fs.readFileSync(f, "utf8"));
  const bareParse = () => {
    const t0 = performance.now();
    for (const f of files) parseOnly(fs.readFileSync(f, "utf8"));
    return (performance.now() - t0) / 1000;
  };
  // The baselines run before and after goward's runs and the ratios use their means: a shared
  // machine's speed drifts by 10-25% within minutes, and one baseline taken minutes away from the
  // run it divides can land on either side of a drift.
  const parseBefore = bareParse();
  const t0 = performance.now();
  for (const f of files) parseGo(stripBom(fs.readFileSync(f, "utf8")));
  const convertSec = (performance.now() - t0) / 1000;
  // The same files through ESLint with goward's language and no rule on, by their real paths (the
  // package cache keeps parses by directory).
  const linter = new Linter({ configType: "flat", cwd: "/" });
  const noRules = prepareConfig("/", [{ files: ["**/*.go"], plugins: { goward: plugin as never }, language: "goward/go", languageOptions: { onlyGowardRules: true }, rules: {} }]);
  const t1 = performance.now();
  for (const f of files) linter.verify(fs.readFileSync(f, "utf8"), noRules, { filename: f });
  const floorSec = (performance.now() - t1) / 1000;

  const sgBefore = astGrep(files, sg);
  const single = goward([...common, "--threads", "1"], dir);
  const cold = goward([...common, "--threads", String(threads), "--cache-location", path.join(cacheDir, "cache")], dir);
  const warm = goward([...common, "--threads", String(threads), "--cache-location", path.join(cacheDir, "cache")], dir);
  const sgAfter = astGrep(files, sg);
  const parseAfter = bareParse();
  const parseSec = (parseBefore + parseAfter) / 2;
  const sgSec = (sgBefore + sgAfter) / 2;

  const check = (ok: boolean) => (ok ? "met" : "NOT met");
  const peak = Math.max(single.maxRssMb, cold.maxRssMb);
  console.log(`corpus: ${arg ? dirs.join(" ") : `generated from fixtures (${dir})`}: ${files.length} files, ${mb.toFixed(1)} MB${tests ? " (with tests)" : ""}`);
  console.log(`bare web-tree-sitter parse, 1 thread      ${parseSec.toFixed(2).padStart(8)} s  ${(mb / parseSec).toFixed(1)} MB/s (mean of ${parseBefore.toFixed(2)} s before and ${parseAfter.toFixed(2)} s after goward)`);
  console.log(`parse + conversion to goward's AST        ${convertSec.toFixed(2).padStart(8)} s  ${(convertSec / parseBefore).toFixed(2)} x the bare parse before it, no rules`);
  console.log(`goward's language in ESLint, no rules     ${floorSec.toFixed(2).padStart(8)} s  ${(floorSec / parseBefore).toFixed(2)} x the bare parse before it: the floor under figure 2`);
  console.log(`ast-grep scan, 3 trivial rules, default   ${sgSec.toFixed(2).padStart(8)} s  (mean of ${sgBefore.toFixed(2)} s before and ${sgAfter.toFixed(2)} s after goward)`);
  console.log(`goward, all rules, 1 thread               ${single.sec.toFixed(2).padStart(8)} s  peak ${single.maxRssMb.toFixed(0)} MB`);
  console.log(`goward, all rules, ${threads} threads, cold        ${cold.sec.toFixed(2).padStart(8)} s  peak ${cold.maxRssMb.toFixed(0)} MB`);
  console.log(`goward, all rules, ${threads} threads, warm cache  ${warm.sec.toFixed(2).padStart(8)} s`);
  console.log("");
  console.log(`1. cold ${threads} threads / ast-grep:   ${(cold.sec / sgSec).toFixed(2)}  (target <= 2.0: ${check(cold.sec / sgSec <= 2)})`);
  console.log(`   floor with no rules, at perfect ${threads}-thread scaling: ${(floorSec / threads / sgSec).toFixed(2)}`);
  console.log(`2. 1 thread / bare parse:        ${(single.sec / parseSec).toFixed(2)}  (target <= 2.0: ${check(single.sec / parseSec <= 2)})`);
  console.log(`   floor with no rules:          ${(floorSec / parseSec).toFixed(2)}`);
  console.log(`3. warm run:                     ${warm.sec.toFixed(2)} s  (target < 1 s: ${check(warm.sec < 1)})`);
  console.log(`4. peak memory:                  ${peak.toFixed(0)} MB  (target < 1024 MB: ${check(peak < 1024)})`);
  fs.rmSync(sg, { recursive: true, force: true });
  fs.rmSync(cacheDir, { recursive: true, force: true });
  if (!arg) fs.rmSync(dir, { recursive: true, force: true });
}

main();
