import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Linter } from "eslint";
import plugin from "../src/index.js";
import { Engine } from "../src/cli/engine.js";
import { ruleIds } from "../src/rules.js";
import { DEFAULT_MAX_FILE_SIZE, type RuleSetting } from "../src/cli/config.js";
import type { ParseOutput } from "../src/language/parser.js";
import type { GoNode } from "../src/language/node-types.generated.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BIN = path.join(ROOT, "bin", "goward.js");

/** The Go files of the fixtures (`fixtures/<rule>/*.go`, or every depth with `recursive`), sorted. */
export function fixtureGoFiles(recursive = false): string[] {
  const dir = path.join(ROOT, "fixtures");
  return fs
    .readdirSync(dir)
    .filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
    .flatMap((d) => (fs.readdirSync(path.join(dir, d), { recursive }) as string[]).filter((f) => f.endsWith(".go")).map((f) => path.join(dir, d, f)))
    .sort();
}

/** An engine with only `only` enabled (all rules when omitted), as the CLI builds it. */
export function engineFor(only?: string, cwd = ROOT): Engine {
  const overrides: Record<string, RuleSetting> = {};
  if (only) for (const id of ruleIds) overrides[id] = id === only ? "error" : "off";
  return new Engine({
    config: { root: cwd, rules: {}, overrides: [], ignore: [], tests: false, maxFileSize: DEFAULT_MAX_FILE_SIZE },
    ruleOverrides: overrides,
    reportUnusedSuppressions: false,
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
  });
}

/** Lints Go text through plain ESLint with the recommended config (plus extra config objects). */
export function lintWithEslint(code: string, extra: Linter.Config[] = [], filename = "/project/handler.go"): Linter.LintMessage[] {
  const linter = new Linter({ configType: "flat", cwd: "/" });
  return linter.verify(code, [plugin.configs.recommended as Linter.Config, ...extra], { filename });
}

/** Everything a rule can see of a parse, as plain data. */
export function dump(out: ParseOutput): unknown {
  const node = (n: GoNode, parent: GoNode | null): unknown => ({
    type: n.type,
    range: n.range,
    loc: n.loc,
    text: n.text,
    missing: n.missing,
    parentOk: n.parent === parent,
    children: n.children.map((c) => node(c, n)),
    fields: Object.fromEntries(
      Object.entries(n.fields).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map((f) => (n.children.includes(f!) ? n.children.indexOf(f!) : node(f!, n)))]),
    ),
  });
  return { ast: node(out.ast, null), comments: out.comments, syntaxProblems: out.syntaxProblems };
}
