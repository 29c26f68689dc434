/**
 * The project config file: `.goward.yml` (or `.goward.yaml`, `.goward.json`), found in the
 * working directory or its ancestors. Go teams need no eslint.config.js.
 *
 *   rules:                         # severity: error | warn | off, or [severity, options]
 *     no-unchecked-assertion: error
 *   overrides:                     # per path glob, relative to the config file
 *     - files: ["internal/legacy/**"]
 *       rules: { no-unchecked-assertion: off }
 *   ignore: ["gen/**"]             # gitignore syntax
 *   tests: false                   # also lint _test.go files
 *   maxFileSize: 5MB               # larger files are skipped with a warning
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

/** The YAML parser, loaded only when there is a YAML config to read (it is a noticeable part of start-up). */
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse(text);

export const CONFIG_NAMES = [".goward.yml", ".goward.yaml", ".goward.json"];

export type Severity = "error" | "warn" | "off";
export type RuleSetting = Severity | [Severity, ...unknown[]];

export interface GowardConfig {
  /** Directory of the config file (globs are relative to it); cwd when there is none. */
  root: string;
  file?: string;
  rules: Record<string, RuleSetting>;
  overrides: Array<{ files: string[]; rules: Record<string, RuleSetting> }>;
  ignore: string[];
  tests: boolean;
  maxFileSize: number;
}

export class ConfigError extends Error {}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export function findConfig(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const f = path.join(dir, name);
      if (fs.existsSync(f)) return f;
    }
    if (path.dirname(dir) === dir || fs.existsSync(path.join(dir, ".git"))) return undefined;
  }
}

export function parseSize(v: unknown, where: string): number {
  if (typeof v === "number" && Number.isFinite(v) && v > 0) return v;
  if (typeof v === "string") {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/iu.exec(v.trim());
    if (m) {
      const unit = (m[2] ?? "b").toLowerCase()[0];
      const mult = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
      return Math.round(Number(m[1]) * mult);
    }
  }
  throw new ConfigError(`${where}: invalid size ${JSON.stringify(v)} (use a number of bytes or e.g. "5MB")`);
}

function checkRules(v: unknown, where: string, knownRules: ReadonlySet<string>): Record<string, RuleSetting> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new ConfigError(`${where}: "rules" must be a mapping of rule id to severity`);
  const out: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(v as Record<string, unknown>)) {
    const bare = id.startsWith("goward/") ? id.slice("goward/".length) : id;
    if (!knownRules.has(bare)) throw new ConfigError(`${where}: unknown rule "${id}" (known: ${[...knownRules].join(", ")})`);
    const sev = Array.isArray(setting) ? setting[0] : setting;
    if (sev !== "error" && sev !== "warn" && sev !== "off") {
      throw new ConfigError(`${where}: rule "${id}" needs a severity of error, warn or off, got ${JSON.stringify(sev)}`);
    }
    out[bare] = setting as RuleSetting;
  }
  return out;
}

export function loadConfig(file: string | undefined, cwd: string, knownRules: ReadonlySet<string>): GowardConfig {
  const base: GowardConfig = { root: cwd, rules: {}, overrides: [], ignore: [], tests: false, maxFileSize: DEFAULT_MAX_FILE_SIZE };
  if (!file) return base;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let raw: unknown;
  try {
    raw = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`invalid config ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new ConfigError(`invalid config ${file}: expected a mapping at the top level`);
  const obj = raw as Record<string, unknown>;
  const allowed = new Set(["rules", "overrides", "ignore", "tests", "maxFileSize"]);
  for (const k of Object.keys(obj)) {
    if (!allowed.has(k)) throw new ConfigError(`invalid config ${file}: unknown key "${k}" (allowed: ${[...allowed].join(", ")})`);
  }
  const cfg: GowardConfig = { ...base, root: path.dirname(file), file };
  cfg.rules = checkRules(obj.rules, file, knownRules);
  if (obj.overrides !== undefined) {
    if (!Array.isArray(obj.overrides)) throw new ConfigError(`invalid config ${file}: "overrides" must be a list`);
    cfg.overrides = obj.overrides.map((o, i) => {
      const where = `${file}: overrides[${i}]`;
      if (!o || typeof o !== "object") throw new ConfigError(`${where} must be a mapping with "files" and "rules"`);
      const { files, rules, ...rest } = o as Record<string, unknown>;
      if (Object.keys(rest).length) throw new ConfigError(`${where}: unknown key "${Object.keys(rest)[0]}"`);
      const list = typeof files === "string" ? [files] : files;
      if (!Array.isArray(list) || list.length === 0 || !list.every((f) => typeof f === "string")) {
        throw new ConfigError(`${where}: "files" must be a glob or a list of globs`);
      }
      return { files: list as string[], rules: checkRules(rules, where, knownRules) };
    });
  }
  if (obj.ignore !== undefined) {
    if (!Array.isArray(obj.ignore) || !obj.ignore.every((x) => typeof x === "string")) {
      throw new ConfigError(`invalid config ${file}: "ignore" must be a list of patterns`);
    }
    cfg.ignore = obj.ignore as string[];
  }
  if (obj.tests !== undefined) {
    if (typeof obj.tests !== "boolean") throw new ConfigError(`invalid config ${file}: "tests" must be true or false`);
    cfg.tests = obj.tests;
  }
  if (obj.maxFileSize !== undefined) cfg.maxFileSize = parseSize(obj.maxFileSize, `invalid config ${file}: maxFileSize`);
  return cfg;
}

/**
 * The rules that are on for at least one file: the command line decides where it names a rule,
 * else the config's setting (default: `defaults`) or one of its overrides turns it on.
 */
export function rulesOnSomewhere(defaults: Record<string, RuleSetting>, config: GowardConfig, cli: Record<string, RuleSetting>): Set<string> {
  const severity = (s: RuleSetting | undefined) => (Array.isArray(s) ? s[0] : s);
  const ids = new Set([...Object.keys(defaults), ...Object.keys(config.rules), ...config.overrides.flatMap((o) => Object.keys(o.rules)), ...Object.keys(cli)]);
  const on = new Set<string>();
  for (const id of ids) {
    const fromCli = severity(cli[id]);
    const settings = fromCli !== undefined ? [fromCli] : [severity(config.rules[id]) ?? severity(defaults[id]), ...config.overrides.map((o) => severity(o.rules[id]))];
    if (settings.some((s) => s !== undefined && s !== "off")) on.add(id);
  }
  return on;
}
