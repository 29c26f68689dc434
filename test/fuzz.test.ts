/**
 * Robustness, short run (npm test): random token soups, mutations and truncations of the
 * fixtures, NUL bytes, lone surrogates, CRLF/BOM mixes and deep nesting go through the whole
 * pipeline (parse, package model, every rule). Invariants: nothing throws, every reported range
 * lies inside the file.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engineFor, ROOT } from "./helpers.js";

const engine = engineFor();
/** `FUZZ_RUNS=100000 npm run fuzz` for a long run; npm test runs a short one. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 1;
const runs = (n: number) => Math.max(n, Math.round(RUNS / 3));
const fixtures = fs
  .readdirSync(path.join(ROOT, "fixtures"))
  .flatMap((d) => fs.readdirSync(path.join(ROOT, "fixtures", d)).map((f) => path.join(ROOT, "fixtures", d, f)))
  .filter((f) => f.endsWith(".go"))
  .sort()
  .map((f) => fs.readFileSync(f, "utf8"));

const TOKENS = [
  "package", "p", "func", "(", ")", "{", "}", "[", "]", ":=", "=", ".", ",", ";", "\n", "c", "Locals", '"userID"', ".(", "uint",
  "return", "if", "err", "!=", "nil", "for", "rows", "Next", "defer", "Close", "go", "select", "case", "switch", "type", "struct",
  "interface", "map[string]any", "*", "&", "log", "Printf", '"%s"', "r", "Header", "Get", '"Authorization"', "cors", "Config",
  "AllowOrigins", '"*"', "AllowCredentials", "true", "db", "Where", "Find", "WithContext", "ctx", "`raw`", "'x'", "0x1F", "...",
  "<-", "chan", "//goward:ignore", "/*", "*/", "\r\n", "\uFEFF", "\u0000", "\uD800", "é",
];

/** Lints `text` as a file and checks the invariants. */
function check(text: string): void {
  const r = engine.lintText(text, path.join(ROOT, "fixtures", "__fuzz__", "fuzz.go"));
  const len = (r.source ?? text).length;
  const lines = (r.source ?? text).split(/\r?\n/u);
  for (const m of r.messages) {
    expect(m.line).toBeGreaterThanOrEqual(1);
    expect(m.line).toBeLessThanOrEqual(lines.length);
    if (m.endLine !== undefined) expect(m.endLine).toBeLessThanOrEqual(lines.length);
    expect(m.column).toBeGreaterThanOrEqual(1);
    expect(m.column - 1).toBeLessThanOrEqual(lines[m.line - 1].length);
    for (const s of m.suggestions ?? []) expect(s.fix.range[1]).toBeLessThanOrEqual(len);
    if (m.fix) expect(m.fix.range[1]).toBeLessThanOrEqual(len);
  }
}

describe("fuzz (short run)", () => {
  it("random token soups", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }), (toks) => check(toks.join(" "))),
      { numRuns: runs(300), seed: 20261122 },
    );
  });

  it("mutations of the fixtures: deleted, duplicated and swapped lines", () => {
    fc.assert(
      fc.property(
        fc.nat(fixtures.length - 1),
        fc.array(fc.tuple(fc.constantFrom("delete", "duplicate", "swap"), fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
        (i, ops) => {
          const lines = fixtures[i].split("\n");
          for (const [op, a, b] of ops) {
            const x = a % lines.length;
            const y = b % lines.length;
            if (op === "delete") lines.splice(x, 1);
            else if (op === "duplicate") lines.splice(x, 0, lines[x]);
            else [lines[x], lines[y]] = [lines[y], lines[x]];
            if (lines.length === 0) lines.push("");
          }
          check(lines.join("\n"));
        },
      ),
      { numRuns: runs(150), seed: 7 },
    );
  });

  it("byte-level damage: inserted NULs, lone surrogates, CR, BOM in the middle", () => {
    fc.assert(
      fc.property(fc.nat(fixtures.length - 1), fc.array(fc.tuple(fc.nat(), fc.constantFrom("\u0000", "\uD800", "\uDFFF", "\r", "\uFEFF", "{", "}", '"', "`")), { maxLength: 10 }), (i, edits) => {
        let t = fixtures[i];
        for (const [pos, ch] of edits) {
          const p = pos % (t.length + 1);
          t = t.slice(0, p) + ch + t.slice(p);
        }
        check(t);
      }),
      { numRuns: runs(150), seed: 11 },
    );
  });

  it("truncation of a fixture at many points", () => {
    const t = fixtures[0];
    for (let cut = 0; cut <= t.length; cut += Math.max(1, Math.floor(t.length / 300))) check(t.slice(0, cut));
  });

  it("CRLF and BOM versions of every fixture", () => {
    for (const t of fixtures) {
      check(`\uFEFF${t.replace(/\n/gu, "\r\n")}`);
    }
  });

  it("10,000-deep nesting and a huge single-line literal", () => {
    const depth = 10_000;
    check(`package p\nfunc f() { x := ${"(".repeat(depth)}1${")".repeat(depth)}; _ = x }\n`);
    check(`package p\nfunc f() ${"{".repeat(depth)}${"}".repeat(depth)}\n`);
    check(`package p\nvar s = "${"a".repeat(1_000_000)}"\n`);
  });
});
