/**
 * Runs every fixture directory through the real pipeline (the CLI's engine, file reading
 * included) with only that directory's rule enabled, and compares the exact set of reported
 * lines with the `// want: <rule>` annotations.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleIds } from "../src/rules.js";
import { ROOT, engineFor } from "./helpers.js";

const FIXTURES = path.join(ROOT, "fixtures");
const WANT = /\/\/\s*want:\s*([a-z0-9\-/, ]+?)\s*$/u;

function annotated(text: string, rule: string): number[] {
  const lines: number[] = [];
  text.split(/\r?\n/u).forEach((line, i) => {
    const m = WANT.exec(line);
    if (m && m[1].split(",").map((s) => s.trim()).includes(rule)) lines.push(i + 1);
  });
  return lines;
}

const dirs = fs.readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe("fixtures", () => {
  it("every rule has a fixture directory and every fixture directory a rule", () => {
    expect(dirs.filter((d) => !ruleIds.has(d))).toEqual([]);
    expect([...ruleIds].filter((r) => !dirs.includes(r))).toEqual([]);
  });

  for (const rule of dirs) {
    describe(rule, () => {
      const engine = engineFor(rule);
      // Sub-directories are packages of their own (package main beside a library package, ...).
      const files = (fs.readdirSync(path.join(FIXTURES, rule), { recursive: true }) as string[]).filter((f) => f.endsWith(".go")).sort();
      it("has fixture files with reported lines and safe lines", () => {
        expect(files.length).toBeGreaterThan(0);
      });
      let totalWanted = 0;
      for (const file of files) {
        const abs = path.join(FIXTURES, rule, file);
        const text = fs.readFileSync(abs, "utf8");
        const want = annotated(text, rule);
        totalWanted += want.length;
        it(`${file}: reports exactly the annotated lines`, () => {
          const result = engine.lintFile(abs);
          if (result === "generated") throw new Error("fixture is marked generated");
          expect(result.skipped).toBeUndefined();
          const syntax = result.messages.filter((m) => m.ruleId === null);
          expect(syntax.map((m) => m.message)).toEqual([]);
          const got = [...new Set(result.messages.filter((m) => m.ruleId === `goward/${rule}`).map((m) => m.line))].sort((a, b) => a - b);
          expect(got).toEqual(want);
        });
      }
      it("annotates at least one reported line", () => {
        expect(totalWanted).toBeGreaterThan(0);
      });
    });
  }
});
