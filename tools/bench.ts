/**
 * `npm run bench -- [DIR]`: lints DIR with all recommended rules and, in the same run, times the
 * bare web-tree-sitter parse of the same files. Prints files, MB, seconds, MB/s and the ratio
 * goward / bare parse. Without DIR it generates a corpus from the fixtures. `--tests` includes
 * _test.go files.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseOnly } from "../src/language/parser.js";
import { discover, isGenerated } from "../src/cli/files.js";
import { Engine } from "../src/cli/engine.js";
import { DEFAULT_MAX_FILE_SIZE } from "../src/cli/config.js";
import { PACKAGE_ROOT } from "../src/package-info.js";
import { ruleIds } from "../src/rules.js";
import { packageCache } from "../src/semantic/package.js";

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

function main(): void {
  const args = process.argv.slice(2);
  const tests = args.includes("--tests");
  const arg = args.find((a) => !a.startsWith("--"));
  const dir = arg ? path.resolve(arg) : generatedCorpus();
  // The files goward lints: generated files are skipped by the linter, so by the baseline too.
  const files = discover([dir], { cwd: dir, tests, ignorePatterns: [] }).files.filter((f) => !isGenerated(fs.readFileSync(f, "utf8")));
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const mb = bytes / 1024 / 1024;
  const makeEngine = (ruleOverrides: Record<string, "off">) =>
    new Engine({
      config: { root: dir, rules: {}, overrides: [], ignore: [], tests, maxFileSize: DEFAULT_MAX_FILE_SIZE },
      ruleOverrides,
      reportUnusedSuppressions: false,
      maxFileSize: DEFAULT_MAX_FILE_SIZE,
    });
  const engine = makeEngine({});
  const bare = makeEngine(Object.fromEntries([...ruleIds].map((id) => [id, "off" as const])));
  // Warm up both paths (JIT, wasm) on a few files.
  for (const f of files.slice(0, 20)) {
    parseOnly(fs.readFileSync(f, "utf8"));
    engine.lintFile(f);
  }

  let t0 = performance.now();
  for (const f of files) parseOnly(fs.readFileSync(f, "utf8"));
  const parseSec = (performance.now() - t0) / 1000;

  t0 = performance.now();
  bare.lintFiles(files);
  const noRulesSec = (performance.now() - t0) / 1000;
  packageCache.clear();

  t0 = performance.now();
  const run = engine.lintFiles(files);
  const gowardSec = (performance.now() - t0) / 1000;
  const findings = run.results.reduce((n, r) => n + r.messages.length, 0);

  const row = (name: string, sec: number) =>
    `${name.padEnd(22)} ${String(files.length).padStart(7)} files ${mb.toFixed(1).padStart(7)} MB ${sec.toFixed(2).padStart(8)} s ${(mb / sec).toFixed(1).padStart(7)} MB/s`;
  console.log(`corpus: ${arg ? dir : `generated from fixtures (${dir})`}`);
  console.log(row("bare tree-sitter parse", parseSec));
  console.log(row("goward (no rules)", noRulesSec));
  console.log(row("goward (all rules)", gowardSec));
  console.log(`ratio goward / bare parse: ${(gowardSec / parseSec).toFixed(2)}`);
  console.log(`ratio all rules / no rules: ${(gowardSec / noRulesSec).toFixed(2)}`);
  console.log(`findings: ${findings}, generated files skipped: ${run.generated}, internal errors: ${run.internalErrors.length}`);
  if (!arg) fs.rmSync(dir, { recursive: true, force: true });
}

main();
