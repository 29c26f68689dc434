/**
 * The lint engine behind the CLI (and later the editor server): one long-lived ESLint `Linter`
 * with goward's language and rules, a config built from the project config and flags, and the
 * per-file path: read, skip what is not Go text, verify.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Linter } from "eslint";
import plugin from "../index.js";
import { rules as allRules } from "../rules.js";
import type { FileResult } from "../formatters/types.js";
import { rulesOnSomewhere, type GowardConfig, type RuleSetting } from "./config.js";
import { isGenerated } from "./files.js";
import { type FileRead, readRegularFile, stripBom } from "../read-file.js";
import { packageCache } from "../semantic/package.js";
import { attachRelated } from "../related.js";
import { BUDGET_MARKER, closeBudget, openBudget } from "../semantic/budget.js";

export const DEFAULT_FILE_BUDGET_MS = 20_000;

export interface EngineOptions {
  config: GowardConfig;
  /** Rule settings from the command line, applied after the config (bare ids). */
  ruleOverrides: Record<string, RuleSetting>;
  reportUnusedSuppressions: boolean;
  maxFileSize: number;
  /** Apply autofixes and write the files back. */
  fix?: boolean;
  /** Time allowed to analyse one file before it is skipped with a diagnostic (default 20 s). */
  fileBudgetMs?: number;
}

export interface LintRun {
  results: FileResult[];
  /** Files skipped because they are generated (not a warning: Go marks them so). */
  generated: number;
  /** Internal errors (a rule crashed): the run exits 2. */
  internalErrors: string[];
}

const prefixed = (rules: Record<string, RuleSetting>) =>
  Object.fromEntries(Object.entries(rules).map(([id, s]) => [`goward/${id}`, s]));

export class Engine {
  readonly #linter: Linter;
  readonly #config: Linter.Config[];
  readonly #opts: EngineOptions;
  /**
   * The prefilters of the rules that can be on for some file, or undefined when one of them has
   * none (then every file is linted). A file none of them matches is not parsed at all.
   */
  readonly #prefilters: RegExp[] | undefined;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    // Globs in overrides are relative to the config file's directory; the linter itself
    // accepts files anywhere (cwd "/"), so explicit paths outside the project still work.
    this.#linter = new Linter({ configType: "flat", cwd: path.parse(opts.config.root).root });
    const base: Record<string, RuleSetting> = {};
    for (const [id, r] of Object.entries(allRules)) base[id] = r.meta.docs.recommended || "off";
    const enabled = rulesOnSomewhere(base, opts.config, opts.ruleOverrides);
    const filters = [...enabled].map((id) => (allRules as Record<string, { prefilter?: RegExp } | undefined>)[id]?.prefilter);
    this.#prefilters = filters.every((f): f is RegExp => f !== undefined) ? filters : undefined;
    this.#config = prepareConfig(path.parse(opts.config.root).root, [
      {
        files: ["**/*.go"],
        plugins: { goward: plugin as never },
        language: "goward/go",
        // Rules are checked against goward's ids when the config is loaded: only goward's run here.
        languageOptions: { onlyGowardRules: true },
        linterOptions: { reportUnusedDisableDirectives: opts.reportUnusedSuppressions ? "warn" : "off" },
        rules: prefixed({ ...base, ...opts.config.rules }) as Linter.RulesRecord,
      },
      ...opts.config.overrides.map(
        (o): Linter.Config => ({
          basePath: opts.config.root,
          files: o.files,
          rules: prefixed(o.rules) as Linter.RulesRecord,
        }),
      ),
      ...(Object.keys(opts.ruleOverrides).length ? [{ files: ["**/*.go"], rules: prefixed(opts.ruleOverrides) as Linter.RulesRecord }] : []),
    ]);
  }

  /**
   * Applies every autofix (not suggestions) to `text`, re-linting until stable, as ESLint's
   * `--fix` does. Returns the fixed text and the problems that remain.
   */
  fixText(text: string, filePath: string): { output: string; fixed: boolean; result: FileResult } {
    const r = this.#linter.verifyAndFix(text, this.#config, { filename: filePath });
    const result = this.lintText(r.output, filePath);
    return { output: r.output, fixed: r.fixed, result };
  }

  /** Lints text as if it were the file `filePath` (also for unsaved editor buffers). */
  lintText(text: string, filePath: string): FileResult {
    const budget = this.#opts.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS;
    let messages: Linter.LintMessage[];
    openBudget(budget);
    try {
      messages = this.#linter.verify(text, this.#config, { filename: filePath });
    } catch (e) {
      if (String((e as Error)?.message).includes(BUDGET_MARKER)) return skipped(filePath, `analysis exceeded the per-file time budget of ${budget} ms`);
      throw e;
    } finally {
      closeBudget();
    }
    if (messages.some((m) => m.fatal && m.message.includes(BUDGET_MARKER))) return skipped(filePath, `analysis exceeded the per-file time budget of ${budget} ms`);
    attachRelated(filePath, messages);
    // tree-sitter-go can lag behind the newest Go syntax (Go 1.26's `new(expr)`), and the compiler
    // reports real syntax errors anyway: the CLI shows goward's parse problems as warnings.
    for (const m of messages) if (m.ruleId === null && m.message.startsWith("Go syntax error")) m.severity = 1;
    // Present on Linter since ESLint 8.x, missing from its type declarations.
    const suppressedMessages = (this.#linter as unknown as { getSuppressedMessages(): Linter.SuppressedLintMessage[] }).getSuppressedMessages();
    // The text goes back with findings only (SARIF fingerprints fall back to it): a run over a
    // large tree would otherwise hold every file's text until the report is written.
    if (messages.length === 0 && suppressedMessages.length === 0) return { filePath, messages, suppressedMessages };
    const source = stripBom(text);
    return { filePath, source, messages, suppressedMessages };
  }

  /** Reads and lints one file; files that are not Go text are skipped with a reason. */
  lintFile(filePath: string): FileResult | "generated" {
    let buf: Buffer;
    try {
      // A package model may have read this file already (a sibling of a file linted before it).
      packageCache.shareReads();
      const max = this.#opts.maxFileSize;
      const ahead = packageCache.takeRead(filePath);
      const read: FileRead = ahead === undefined ? readRegularFile(filePath, max) : ahead.length > max ? { tooLarge: ahead.length } : { buf: ahead };
      if ("tooLarge" in read) return skipped(filePath, `larger than the ${formatSize(max)} limit (${formatSize(read.tooLarge)})`);
      if ("notFile" in read) return skipped(filePath, "not a regular file");
      buf = read.buf;
    } catch (e) {
      return skipped(filePath, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    if (buf.includes(0)) return skipped(filePath, "binary file (contains NUL bytes)");
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
      return skipped(filePath, "not valid UTF-8 (Go source must be UTF-8)");
    }
    if (isGenerated(text)) return "generated";
    if (!this.#opts.fix && this.#prefilters && !SUPPRESSION_TEXT.test(text) && !this.#prefilters.some((re) => re.test(text))) {
      // No enabled rule can report here, and there is no suppression comment to check: the file
      // is not parsed (so goward's own syntax warnings only concern files it analyses).
      return { filePath, messages: [], suppressedMessages: [] };
    }
    if (this.#opts.fix) {
      const { output, fixed, result } = this.fixText(text, filePath);
      if (fixed) {
        fs.writeFileSync(filePath, output);
        packageCache.invalidate(filePath);
      }
      return result;
    }
    return this.lintText(text, filePath);
  }

  lintFiles(files: readonly string[]): LintRun {
    const results: FileResult[] = [];
    const internalErrors: string[] = [];
    let generated = 0;
    for (const f of files) {
      try {
        const r = this.lintFile(f);
        if (r === "generated") generated++;
        else results.push(r);
      } catch (e) {
        internalErrors.push(`${f}: ${(e as Error).message.split("\n")[0]}`);
      }
    }
    return { results, generated, internalErrors };
  }
}

/**
 * `Linter.verify` turns a plain config array into a new FlatConfigArray on every call, so every
 * file pays for validating and merging the whole config again (about 5% of a run on moby). Given
 * a FlatConfigArray (an array with `getConfig`) it uses that as is, and the array caches the
 * merged config per combination of matching entries. ESLint does not export the class: it is
 * loaded from the installed ESLint (pinned in package.json) by file path, and the plain array,
 * which ESLint normalizes itself, is the fallback. `basePath` is what `verify` would give it.
 */
export function prepareConfig(cwd: string, config: Linter.Config[]): Linter.Config[] {
  try {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve("eslint")), "config", "flat-config-array.js");
    const { FlatConfigArray } = require(file) as {
      FlatConfigArray?: new (c: Linter.Config[], o: { basePath: string }) => Linter.Config[] & { normalizeSync(): void; getConfig?: unknown };
    };
    if (typeof FlatConfigArray !== "function") return config;
    const prepared = new FlatConfigArray(config, { basePath: cwd });
    prepared.normalizeSync();
    return typeof prepared.getConfig === "function" ? prepared : config;
  } catch {
    return config;
  }
}

/** Text that may hold a suppression comment, which goward checks (reasons, unused ones) in any file. */
const SUPPRESSION_TEXT = /nolint|nosec|goward/u;

function skipped(filePath: string, reason: string): FileResult {
  return { filePath, messages: [], suppressedMessages: [], skipped: reason };
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 ? 1 : 0)} KB`;
  return `${bytes} B`;
}
