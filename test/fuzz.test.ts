/**
 * Robustness, short run (npm test): random token soups, mutations and truncations of the
 * fixtures, NUL bytes, lone surrogates, CRLF/BOM mixes and deep nesting go through the whole
 * pipeline (parse, package model, every rule). Invariants: nothing throws, every reported range
 * lies inside the file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engineFor, fixtureGoFiles, ROOT } from "./helpers.js";

const engine = engineFor();
/** `FUZZ_RUNS=100000 npm run fuzz` for a long run; npm test runs a short one. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 1;
const runs = (n: number) => Math.max(n, Math.round(RUNS / 3));
const fixtures = fixtureGoFiles().map((f) => fs.readFileSync(f, "utf8"));

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

/**
 * Seed corpus: the worst inputs found so far, kept as regressions. Each once made goward slow
 * (quadratic in function size) or is at a size limit.
 */
describe("regressions: worst inputs found", () => {
  const budgeted = engineFor();

  it("a function of 10,000 statements is analysed, not skipped (local name resolution, no-weak-random and no-fatal-outside-main were quadratic in it)", () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `\tx${i} := a.b.c(d, e, f).g(h)\n\t_ = x${i}`).join("\n");
    const text = `package big\n\nimport "math/rand"\n\nvar _ = rand.Intn\n\nfunc f() {\n${body}\n}\n`;
    const r = budgeted.lintText(text, path.join(ROOT, "fixtures", "__fuzz__", "big.go"));
    expect(r.skipped).toBeUndefined();
    check(text);
  });

  it("a single line of almost 5 MB", () => {
    check(`package p; var s = "${"x".repeat(4_900_000)}"; func f() { _ = s }`);
  });

  it("thousands of files in one package", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-manyfiles-"));
    try {
      const files: string[] = [];
      for (let i = 0; i < 2000; i++) {
        const f = path.join(dir, `f${i}.go`);
        fs.writeFileSync(f, `package many\n\nimport "github.com/gofiber/fiber/v2"\n\nfunc F${i}(c *fiber.Ctx) uint { return c.Locals("id").(uint) + F${(i + 1) % 2000}(c) }\n`);
        files.push(f);
      }
      const run = engineFor("no-unchecked-assertion", dir).lintFiles(files);
      expect(run.internalErrors).toEqual([]);
      expect(run.results).toHaveLength(2000);
      expect(run.results.every((r) => r.messages.length === 1)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
