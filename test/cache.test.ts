import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN } from "./helpers.js";
import { importPathsOf } from "../src/cli/cache.js";
import { rules } from "../src/rules.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "goward-cache-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

function goward(...args: string[]): { stdout: string; stderr: string; reused: number | undefined } {
  const r = spawnSync(process.execPath, [BIN, ".", "--no-config", "--format", "json", "--threads", "1", ...args], { cwd: tmp, encoding: "utf8" });
  if (!args.includes("sometimes")) expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  const m = /cache: reused (\d+) of/u.exec(r.stderr);
  return { stdout: r.stdout, stderr: r.stderr, reused: m ? Number(m[1]) : undefined };
}

const findings = (json: string) =>
  (JSON.parse(json) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number }> }>)
    .flatMap((f) => f.messages.map((m) => `${path.relative(tmp, f.filePath)}:${m.line} ${m.ruleId}`))
    .sort();

write("go.mod", "module example.com/app\n\ngo 1.22\n");
write(
  "main.go",
  `package main

import (
\t"example.com/app/handlers"
\t"github.com/gofiber/fiber/v2"
)

func main() {
\tapp := fiber.New()
\tapp.Get("/me", handlers.Me)
\t_ = app.Listen(":3000")
}
`,
);
write(
  "handlers/me.go",
  `package handlers

import (
\t"example.com/app/store"
\t"github.com/gofiber/fiber/v2"
)

var s store.Store

func Me(c *fiber.Ctx) error {
\tvar users []string
\ts.DB.Find(&users)
\treturn c.JSON(c.Locals("userID"))
}
`,
);
const storeGorm = `package store

import "gorm.io/gorm"

type Store struct {
\tDB *gorm.DB
}
`;
const storeLocal = `package store

type Finder struct{}

func (Finder) Find(v any) {}

type Store struct {
\tDB Finder
}
`;
write("store/store.go", storeGorm);
const UTIL = "package util\n\nfunc Add(a, b int) int { return a + b }\n";
write("util/util.go", UTIL);
/** Results of files in which require-auth-middleware could report depend on the whole module. */
const authFilter = (rules["require-auth-middleware"] as { prefilter?: RegExp }).prefilter;
const utilDependsOnRoutes = !authFilter || authFilter.test(UTIL);

describe("--cache", () => {
  it("reads the import paths of a Go file", () => {
    expect(importPathsOf('package p\n\nimport "fmt"\nimport (\n\t"a/b"\n\tx "c/d" // comment\n\t_ `e`\n)\n')).toEqual(["fmt", "a/b", "c/d", "e"]);
  });

  it("a warm run reuses every result and prints exactly what a cold run prints", () => {
    const plain = goward();
    const cold = goward("--cache", "--debug");
    expect(cold.reused).toBe(0);
    const warm = goward("--cache", "--debug");
    expect(warm.reused).toBe(4);
    expect(warm.stdout).toBe(cold.stdout);
    expect(cold.stdout).toBe(plain.stdout);
    expect(findings(cold.stdout)).toEqual(expect.arrayContaining([expect.stringMatching(/^handlers\/me\.go:12 goward\/require-db-context$/u), expect.stringMatching(/^main\.go:10 goward\/require-auth-middleware$/u)]));
  });

  it("a change re-lints the file, its package and the packages that import it, and nothing else", () => {
    write("store/store.go", storeLocal);
    const after = goward("--cache", "--debug");
    // util/ is untouched and imports nothing that changed (and cannot register routes); store,
    // handlers (imports store) and main (imports handlers, and registers routes) are linted again.
    expect(after.reused).toBe(utilDependsOnRoutes ? 0 : 1);
    expect(findings(after.stdout)).not.toContain("handlers/me.go:12 goward/require-db-context");
    expect(after.stdout).toBe(goward().stdout);
    const again = goward("--cache", "--debug");
    expect(again.reused).toBe(4);
    write("store/store.go", storeGorm);
    expect(findings(goward("--cache").stdout)).toContain("handlers/me.go:12 goward/require-db-context");
  });

  it("--cache-strategy content survives new modification times (a fresh clone in CI); metadata does not", () => {
    const later = new Date(Date.now() + 60_000);
    goward("--cache", "--cache-strategy", "content");
    for (const f of ["main.go", "handlers/me.go", "store/store.go", "util/util.go"]) fs.utimesSync(path.join(tmp, f), later, later);
    expect(goward("--cache", "--debug", "--cache-strategy", "content").reused).toBe(4);
    goward("--cache");
    const evenLater = new Date(Date.now() + 120_000);
    fs.utimesSync(path.join(tmp, "util/util.go"), evenLater, evenLater);
    // util.go and main.go (it registers routes: any package of the module counts) are linted again.
    expect(goward("--cache", "--debug").reused).toBe(2);
    expect(goward("--cache", "--cache-strategy", "sometimes").stderr).toMatch(/--cache-strategy must be metadata or content/u);
  });

  it("other settings start afresh", () => {
    goward("--cache");
    expect(goward("--cache", "--debug", "--disable-rule", "require-db-context").reused).toBe(0);
  });

  it("is not used with --fix, and a cache it cannot write is a warning, not a failure", () => {
    const r = goward("--cache-location", path.join(tmp, "main.go", "cache"), "--debug");
    expect(r.stderr).toMatch(/warning: cannot write the cache/u);
  });
});
