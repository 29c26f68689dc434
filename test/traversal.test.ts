import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { Linter } from "eslint";
import plugin from "../src/index.js";
import { parseGo } from "../src/language/parser.js";
import { GoSourceCode } from "../src/language/source-code.js";
import { fixtureGoFiles } from "./helpers.js";

const goFiles = fixtureGoFiles();

const sourceCode = (text: string, visitListenedOnly: boolean) => {
  const { ast, comments, syntaxProblems } = parseGo(text);
  return new GoSourceCode({ text, ast, comments, syntaxProblems, knownRules: new Set(), visitListenedOnly });
};
const steps = (sc: GoSourceCode) => [...sc.traverse()].map((s) => `${(s as { phase: number }).phase === 1 ? "enter" : "exit"} ${(s.target as { type: string }).type}@${(s.target as { range: number[] }).range[0]}`);

describe("traversal of listened node types only", () => {
  const text = fs.readFileSync(goFiles[0], "utf8");

  it("gives the full traversal's steps for the listened types, in the same order", () => {
    const all = steps(sourceCode(text, false));
    const sc = sourceCode(text, true);
    sc.listen(["call_expression", "source_file", "function_declaration:exit", "identifier"]);
    const want = all.filter((s) => /^enter (call_expression|source_file|identifier)@|^exit function_declaration@/u.test(s));
    expect(want.length).toBeGreaterThan(10);
    expect(steps(sc)).toEqual(want);
  });

  it("visits everything when a selector is more than a node type, or without the language option", () => {
    const all = steps(sourceCode(text, false));
    const complex = sourceCode(text, true);
    complex.listen(["call_expression", "call_expression > selector_expression"]);
    expect(steps(complex)).toEqual(all);
    const off = sourceCode(text, false);
    off.listen(["call_expression"]);
    expect(steps(off)).toEqual(all);
    expect(steps(sourceCode(text, true))).toEqual([]); // nothing listened: nothing to visit
  });

  it("every fixture gets the same messages with onlyGowardRules as with the full traversal", () => {
    const linter = new Linter({ configType: "flat", cwd: "/" });
    const config = (only: boolean): Linter.Config[] => [plugin.configs.recommended as Linter.Config, { files: ["**/*.go"], languageOptions: { onlyGowardRules: only } }];
    let total = 0;
    for (const f of goFiles) {
      const code = fs.readFileSync(f, "utf8");
      const full = linter.verify(code, config(false), { filename: f });
      expect(linter.verify(code, config(true), { filename: f }), f).toEqual(full);
      total += full.length;
    }
    expect(total).toBeGreaterThan(100);
  });

  it("rejects unknown language options and a non-boolean onlyGowardRules", () => {
    const linter = new Linter({ configType: "flat", cwd: "/" });
    const run = (languageOptions: Record<string, unknown>) => () =>
      linter.verify("package p\n", [plugin.configs.recommended as Linter.Config, { files: ["**/*.go"], languageOptions }], { filename: "/x/a.go" });
    expect(run({ nope: 1 })).toThrow(/nope/u);
    expect(run({ onlyGowardRules: "yes" })).toThrow(/onlyGowardRules/u);
    expect(run({ onlyGowardRules: true })).not.toThrow();
  });
});
