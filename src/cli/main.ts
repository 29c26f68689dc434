/**
 * `goward [paths...]`: lint Go files with the recommended rules (or the project config) and
 * report to the terminal, JSON or SARIF. Exit codes: 0 no findings at the failing level,
 * 1 findings, 2 usage, config or internal error.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ruleIds } from "../rule-ids.js";
import { VERSION } from "../package-info.js";
import { formatStylish } from "../formatters/stylish.js";
import { formatJson } from "../formatters/json.js";
import { formatGithub } from "../formatters/github.js";
import { formatGitlab } from "../formatters/gitlab.js";
import type { FileResult } from "../formatters/types.js";
import { ConfigError, findConfig, loadConfig, parseSize, rulesOnSomewhere, type GowardConfig, type RuleSetting } from "./config.js";
import { discover, PathError } from "./files.js";
import { applyBaseline, BaselineError, readBaseline, writeBaseline } from "./baseline.js";
import { changedLines, GitError, keepChanged } from "./new-from-rev.js";
import { parseShard, shardFiles } from "./shard.js";
import { defaultThreads } from "./pool.js";
import { mergeSarif, MergeError } from "../formatters/merge-sarif.js";
import { LintCache } from "./cache.js";
import type { LintRun } from "./engine.js";

/**
 * Whether results can depend on the module's route inventory (require-auth-middleware on):
 * `false` never, `true` always, or a RegExp the file text must match (the rule's prefilter).
 */
async function routeDependence(config: GowardConfig, ruleOverrides: Record<string, RuleSetting>): Promise<boolean | RegExp> {
  const id = "require-auth-middleware";
  const { rules: allRules } = await import("../rules.js");
  const defaults = Object.fromEntries(Object.entries(allRules).map(([k, r]) => [k, (r.meta.docs.recommended || "off") as RuleSetting]));
  const rule = allRules[id as keyof typeof allRules] as { prefilter?: RegExp };
  return rulesOnSomewhere(defaults, config, ruleOverrides).has(id) ? rule.prefilter ?? true : false;
}

export const HELP = `Usage: goward [options] [paths...]
       goward merge-sarif [-o out.sarif] <a.sarif> <b.sarif>...
       goward lsp [--stdio]          a Language Server for editors, over stdio

Lints the Go files under each path (default: .) for security invariants of Go web backends.
No Go toolchain, build or network needed.

Options:
  -f, --format <name>          stylish (default), json, sarif, github (Actions annotations),
                               gitlab (Code Quality report)
  -o, --output <file>          write the report to a file instead of stdout
  -c, --config <file>          use this config file (default: .goward.yml/.yaml/.json in . or above)
      --no-config              ignore any config file
      --rule <id>[=<severity>] enable a rule (severity error|warn|off, default error); repeatable
      --disable-rule <id>      turn a rule off; repeatable
      --fix                    apply the safe autofixes and write the files back
      --tests                  also lint _test.go files
      --max-warnings <n>       exit 1 when there are more than n warnings
      --max-file-size <size>   skip larger files with a warning (default 5MB)
  -q, --quiet                  report errors only
      --report-unused-suppressions
                               warn about suppression comments that suppress nothing
      --include-suppressed     keep suppressed findings in SARIF output (marked as suppressed)
      --write-baseline <file>  record the current findings and exit 0
      --baseline <file>        report and fail only on findings not in the baseline
      --new-from-rev <rev>     report only findings on lines changed since a git revision
      --shard <i>/<n>          lint only shard i of n (files split by package directory)
      -j, --threads <n>        worker threads (default: one per core up to 4; 1 below 200 files)
      --file-budget <ms>       skip a file whose analysis takes longer, with a warning (default 20000)
      --cache                  reuse the results of files whose text, package and imported
                               packages did not change (default location: .goward-cache)
      --cache-location <file>  where the cache lives (implies --cache)
      --cache-strategy <s>     metadata (default: sizes and times) or content (hashes: for CI,
                               where a fresh clone changes every file's time)
      --list-rules             print the rules and exit
      --debug                  print stack traces of internal errors
  -v, --version                print the version
  -h, --help                   print this help

Exit codes: 0 no findings at the failing level, 1 findings, 2 usage, config or internal error.
Docs: https://github.com/goward-dev/goward#readme
`;

class UsageError extends Error {}

export interface CliIO {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

function parseRuleFlag(v: string): [string, RuleSetting] {
  const [id, sev = "error"] = v.split("=");
  const bare = id.startsWith("goward/") ? id.slice(7) : id;
  if (!ruleIds.has(bare)) throw new UsageError(`unknown rule "${id}" (see goward --list-rules)`);
  if (sev !== "error" && sev !== "warn" && sev !== "off") throw new UsageError(`invalid severity "${sev}" for --rule ${id} (use error, warn or off)`);
  return [bare, sev];
}


export async function run(argv: string[], io: CliIO): Promise<number> {
  let debug = argv.includes("--debug");
  if (argv[0] === "merge-sarif") return mergeSarifCommand(argv.slice(1), io);
  if (argv[0] === "routes") {
    const { routesCommand } = await import("./routes.js");
    try {
      return await routesCommand(argv.slice(1), io);
    } catch (e) {
      io.stderr(`goward routes: ${(e as Error).message}\n`);
      return 2;
    }
  }
  if (argv[0] === "lsp") {
    const { startLanguageServer } = await import("../lsp/server.js");
    startLanguageServer();
    return new Promise<number>(() => undefined); // the server exits the process on `exit`
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          format: { type: "string", short: "f" },
          output: { type: "string", short: "o" },
          config: { type: "string", short: "c" },
          "no-config": { type: "boolean" },
          rule: { type: "string", multiple: true },
          "disable-rule": { type: "string", multiple: true },
          tests: { type: "boolean" },
          fix: { type: "boolean" },
          "max-warnings": { type: "string" },
          "max-file-size": { type: "string" },
          quiet: { type: "boolean", short: "q" },
          "report-unused-suppressions": { type: "boolean" },
          "include-suppressed": { type: "boolean" },
          "write-baseline": { type: "string" },
          baseline: { type: "string" },
          "new-from-rev": { type: "string" },
          shard: { type: "string" },
          threads: { type: "string", short: "j" },
          cache: { type: "boolean" },
          "file-budget": { type: "string" },
          "cache-location": { type: "string" },
          "cache-strategy": { type: "string" },
          "list-rules": { type: "boolean" },
          debug: { type: "boolean" },
          version: { type: "boolean", short: "v" },
          help: { type: "boolean", short: "h" },
        },
      });
    } catch (e) {
      throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/su, "").trim());
    }
    const { values: o, positionals } = parsed;
    debug = !!o.debug;
    if (o.help) {
      io.stdout(HELP);
      return 0;
    }
    if (o.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (o["list-rules"]) {
      const { ruleInfos } = await import("./rule-infos.js");
      for (const r of ruleInfos()) io.stdout(`${r.id.padEnd(28)} ${String(r.recommended || "off").padEnd(5)} CWE-${r.security.cwe.join("/CWE-")}  ${r.description}\n`);
      return 0;
    }
    const format = o.format ?? "stylish";
    if (!["stylish", "json", "sarif", "github", "gitlab"].includes(format)) {
      throw new UsageError(`unknown format "${format}" (use stylish, json, sarif, github or gitlab)`);
    }
    let maxWarnings = -1;
    if (o["max-warnings"] !== undefined) {
      maxWarnings = Number(o["max-warnings"]);
      if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`--max-warnings needs a whole number, got "${o["max-warnings"]}"`);
    }
    if (o.config && o["no-config"]) throw new UsageError("--config and --no-config cannot be used together");
    if (o.config && !fs.existsSync(path.resolve(io.cwd, o.config))) throw new UsageError(`config file not found: ${o.config}`);

    const configFile = o["no-config"] ? undefined : o.config ? path.resolve(io.cwd, o.config) : findConfig(io.cwd);
    const config = loadConfig(configFile, io.cwd, ruleIds);
    const ruleOverrides: Record<string, RuleSetting> = {};
    for (const r of o.rule ?? []) {
      const [id, sev] = parseRuleFlag(r);
      ruleOverrides[id] = sev;
    }
    for (const r of o["disable-rule"] ?? []) ruleOverrides[parseRuleFlag(r)[0]] = "off";
    let maxFileSize = config.maxFileSize;
    if (o["max-file-size"] !== undefined) {
      try {
        maxFileSize = parseSize(o["max-file-size"], "--max-file-size");
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }

    const paths = positionals.length ? positionals : ["."];
    let discovery;
    try {
      discovery = discover(paths, { cwd: io.cwd, tests: !!o.tests || config.tests, ignorePatterns: config.ignore });
    } catch (e) {
      if (e instanceof PathError) throw new UsageError(e.message);
      throw e;
    }
    for (const w of discovery.warnings) io.stderr(`goward: warning: ${w}\n`);
    if (o.shard) {
      const shard = parseShard(o.shard);
      if (!shard) throw new UsageError(`--shard needs i/n with 1 <= i <= n, got "${o.shard}"`);
      discovery.files = shardFiles(discovery.files, config.root, shard.index, shard.count);
    }

    let fileBudgetMs: number | undefined;
    if (o["file-budget"] !== undefined) {
      fileBudgetMs = Number(o["file-budget"]);
      if (!Number.isInteger(fileBudgetMs) || fileBudgetMs < 1) throw new UsageError(`--file-budget needs a whole number of milliseconds, got "${o["file-budget"]}"`);
    }
    const engineOptions = { config, ruleOverrides, reportUnusedSuppressions: !!o["report-unused-suppressions"], maxFileSize, fix: !!o.fix, ...(fileBudgetMs ? { fileBudgetMs } : {}) };
    let threads = defaultThreads(discovery.files.length);
    if (o.threads !== undefined) {
      threads = Number(o.threads);
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UsageError(`--threads needs a whole number from 1 to 64, got "${o.threads}"`);
    }
    const strategy = o["cache-strategy"] ?? "metadata";
    if (strategy !== "metadata" && strategy !== "content") throw new UsageError(`--cache-strategy must be metadata or content, got "${strategy}"`);
    const useCache = (!!o.cache || o["cache-location"] !== undefined || o["cache-strategy"] !== undefined) && !o.fix;
    const cache = useCache
      ? new LintCache(path.resolve(io.cwd, o["cache-location"] ?? path.join(config.root, ".goward-cache")), { config, ruleOverrides, reportUnused: engineOptions.reportUnusedSuppressions, maxFileSize, fileBudgetMs }, VERSION, strategy)
      : undefined;
    const { reused, toLint } = cache ? cache.partition(discovery.files, discovery.listing) : { reused: new Map<string, FileResult | "generated">(), toLint: discovery.files };
    // The linter (and ESLint) is loaded only when there is something to lint: a warm cached run does not need it.
    const fresh: LintRun =
      toLint.length === 0
        ? { results: [], generated: 0, internalErrors: [] }
        : // One thread on a large run is still a worker: its heap is capped (see pool.ts), the main thread's is not.
          (threads > 1 && toLint.length >= 2) || toLint.length >= 200
          ? await (await import("./pool.js")).lintWithWorkers(toLint, engineOptions, threads)
          : new (await import("./engine.js")).Engine(engineOptions).lintFiles(toLint);
    let lintRun = fresh;
    if (cache) {
      const got = new Set(fresh.results.map((r) => r.filePath));
      const failed = new Set(fresh.internalErrors.map((e) => toLint.find((f) => e.startsWith(`${f}: `))));
      const generatedFiles = toLint.filter((f) => !got.has(f) && !failed.has(f));
      // Only linted files are recorded: a warm run with nothing to lint loads no rule (and no parser).
      const auth = fresh.results.length ? await routeDependence(config, ruleOverrides) : false;
      cache.record(fresh, generatedFiles, (f) => auth !== false && (auth === true || auth.test(fs.readFileSync(f, "utf8"))));
      if (debug) io.stderr(`goward: cache: reused ${reused.size} of ${discovery.files.length} files\n`);
      const warning = cache.save();
      if (warning) io.stderr(`goward: warning: ${warning}\n`);
      // Results in discovery order, as without the cache.
      const byFile = new Map<string, FileResult | "generated">(reused);
      for (const r of fresh.results) byFile.set(r.filePath, r);
      for (const f of generatedFiles) byFile.set(f, "generated");
      const results: FileResult[] = [];
      let generated = 0;
      for (const f of discovery.files) {
        const r = byFile.get(f);
        if (r === "generated") generated++;
        else if (r) results.push(r);
      }
      lintRun = { results, generated, internalErrors: fresh.internalErrors };
    }
    for (const err of lintRun.internalErrors) io.stderr(`goward: internal error: ${err}\n`);

    let results: FileResult[] = lintRun.results;
    if (o["write-baseline"]) {
      const n = writeBaseline(results, config.root, path.resolve(io.cwd, o["write-baseline"]));
      io.stderr(`goward: wrote ${n} finding${n === 1 ? "" : "s"} to ${o["write-baseline"]}\n`);
      return lintRun.internalErrors.length ? 2 : 0;
    }
    if (o["new-from-rev"]) results = keepChanged(results, changedLines(o["new-from-rev"], io.cwd));
    if (o.baseline) {
      const applied = applyBaseline(results, readBaseline(path.resolve(io.cwd, o.baseline)), config.root);
      results = applied.results;
      if (applied.known) io.stderr(`goward: ${applied.known} known finding${applied.known === 1 ? "" : "s"} in the baseline not shown\n`);
    }
    if (o.quiet) results = results.map((r) => ({ ...r, messages: r.messages.filter((m) => m.severity === 2) }));
    for (const r of results) if (r.skipped && format !== "stylish") io.stderr(`goward: warning: skipped ${path.relative(io.cwd, r.filePath)}: ${r.skipped}\n`);

    let text: string;
    if (format === "json") text = formatJson(results);
    else if (format === "github") text = formatGithub(results, { cwd: config.root });
    else if (format === "gitlab") text = formatGitlab(results, { cwd: config.root });
    else if (format === "sarif") {
      const { formatSarif } = await import("../formatters/sarif.js");
      const { ruleInfos } = await import("./rule-infos.js");
      text = formatSarif(results, { cwd: config.root, version: VERSION, rules: ruleInfos(), includeSuppressed: !!o["include-suppressed"] });
    } else {
      const color = !o.output && io.isTTY && !("NO_COLOR" in io.env && io.env.NO_COLOR !== "");
      text = formatStylish(results, { cwd: io.cwd, color });
      if (!text && discovery.files.length === 0) io.stderr(`goward: warning: no Go files found in ${paths.join(", ")}\n`);
    }
    if (o.output) {
      const out = path.resolve(io.cwd, o.output);
      const tmp = `${out}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, out);
      } catch (e) {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          /* nothing to clean */
        }
        throw new UsageError(`cannot write ${o.output}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    } else if (text) io.stdout(text);

    if (lintRun.internalErrors.length) return 2;
    const errors = results.reduce((n, r) => n + r.messages.filter((m) => m.severity === 2).length, 0);
    const warnings = results.reduce((n, r) => n + r.messages.filter((m) => m.severity === 1).length, 0);
    if (errors > 0) return 1;
    if (maxWarnings >= 0 && warnings > maxWarnings) {
      io.stderr(`goward: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof BaselineError || e instanceof GitError) {
      io.stderr(`goward: ${e.message}\n${e instanceof UsageError ? "Run 'goward --help' for usage.\n" : ""}`);
      return 2;
    }
    io.stderr(`goward: internal error: ${(e as Error).message.split("\n")[0]}\n`);
    if (debug) io.stderr(`${(e as Error).stack}\n`);
    else io.stderr("Run again with --debug for details, and please report it.\n");
    return 2;
  }
}

async function mergeSarifCommand(argv: string[], io: CliIO): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { output: { type: "string", short: "o" } } });
    if (positionals.length === 0) throw new MergeError("merge-sarif needs at least one SARIF file");
    const logs = positionals.map((f) => {
      try {
        return JSON.parse(fs.readFileSync(path.resolve(io.cwd, f), "utf8"));
      } catch (e) {
        throw new MergeError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split("\n")[0]}`);
      }
    });
    const text = mergeSarif(logs);
    if (values.output) fs.writeFileSync(path.resolve(io.cwd, values.output), text);
    else io.stdout(text);
    return 0;
  } catch (e) {
    io.stderr(`goward: ${(e as Error).message.split("\n")[0]}\n`);
    return 2;
  }
}
