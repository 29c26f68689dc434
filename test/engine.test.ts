import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Linter } from "eslint";
import plugin from "../src/index.js";
import { prepareConfig } from "../src/cli/engine.js";
import { fixtureGoFiles, ROOT } from "./helpers.js";

const fixtures = path.join(ROOT, "fixtures");
const goFiles = fixtureGoFiles();

// The shape the engine builds: the plugin's recommended rules, a path override, a command-line override.
const config = (): Linter.Config[] => [
  plugin.configs.recommended as Linter.Config,
  { basePath: fixtures, files: ["no-ignored-error/**/*.go"], rules: { "goward/no-ignored-error": "off" } },
  { files: ["**/*.go"], rules: { "goward/no-weak-random": "off" } },
];

describe("prepared config", () => {
  it("is ESLint's FlatConfigArray (the internal module is still where the engine loads it from)", () => {
    const prepared = prepareConfig("/", config());
    expect(typeof (prepared as unknown as { getConfig?: unknown }).getConfig).toBe("function");
  });

  it("gives every fixture the same messages as the plain config array that Linter.verify normalizes itself", () => {
    const linter = new Linter({ configType: "flat", cwd: "/" });
    const prepared = prepareConfig("/", config());
    expect(goFiles.length).toBeGreaterThan(40);
    let total = 0;
    let overridden = 0;
    for (const f of goFiles) {
      const text = fs.readFileSync(f, "utf8");
      const plain = linter.verify(text, config(), { filename: f });
      expect(linter.verify(text, prepared, { filename: f }), f).toEqual(plain);
      total += plain.length;
      if (f.includes(`${path.sep}no-ignored-error${path.sep}`)) overridden += plain.filter((m) => m.ruleId === "goward/no-ignored-error").length;
    }
    expect(total).toBeGreaterThan(100);
    expect(overridden).toBe(0); // the path override applies through the prepared array too
  });

  it("a bad rule option fails the same way", () => {
    const linter = new Linter({ configType: "flat", cwd: "/" });
    const bad = (): Linter.Config[] => [plugin.configs.recommended as Linter.Config, { files: ["**/*.go"], rules: { "goward/no-ignored-error": ["error", { nope: 1 }] } }];
    const run = (c: Linter.Config[]) => {
      try {
        linter.verify("package p\n", c, { filename: "/x/a.go" });
        return "no error";
      } catch (e) {
        return (e as Error).message;
      }
    };
    const plainError = run(bad());
    expect(plainError).toMatch(/no-ignored-error/u);
    expect(run(prepareConfig("/", bad()))).toBe(plainError);
  });
});

describe("readRegularFile", () => {
  it("reads regular files, reports directories, FIFOs and files over the limit, throws what the file system throws", async () => {
    const { readRegularFile } = await import("../src/read-file.js");
    const os = await import("node:os");
    const { execFileSync } = await import("node:child_process");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-read-"));
    const file = path.join(dir, "a.go");
    fs.writeFileSync(file, "package a\n// é\n");
    const r = readRegularFile(file, 1024);
    expect("buf" in r && r.buf.toString("utf8")).toBe("package a\n// é\n");
    expect(readRegularFile(file, 5)).toEqual({ tooLarge: fs.statSync(file).size });
    fs.mkdirSync(path.join(dir, "d.go"));
    expect(readRegularFile(path.join(dir, "d.go"), 1024)).toEqual({ notFile: true });
    // A FIFO with no writer: a blocking open would hang the run.
    execFileSync("mkfifo", [path.join(dir, "f.go")]);
    expect(readRegularFile(path.join(dir, "f.go"), 1024)).toEqual({ notFile: true });
    expect(() => readRegularFile(path.join(dir, "missing.go"), 1024)).toThrow(/ENOENT/u);
    fs.rmSync(dir, { recursive: true });
  });
});

describe("files a package model read first", () => {
  it("are linted from the model's bytes, with the linter's own checks (size limit, UTF-8) still applied", async () => {
    const os = await import("node:os");
    const { vi } = await import("vitest");
    const { Engine } = await import("../src/cli/engine.js");
    const { packageCache } = await import("../src/semantic/package.js");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-ahead-"));
    const write = (name: string, text: string | Buffer) => fs.writeFileSync(path.join(dir, name), text);
    // a.go makes the package model read its siblings (the type of s.db is declared in b.go).
    write("a.go", "package app\n\nfunc run(s *store) {\n\ts.db.Exec(\"DELETE FROM t\")\n}\n");
    write("b.go", `package app\n\nimport "database/sql"\n\ntype store struct{ db *sql.DB }\n\nfunc drop(db *sql.DB) {\n\tdb.Exec("DROP TABLE t")\n}\n`);
    write("c.go", `package app\n\n// ${"x".repeat(3000)}\n`);
    write("d.go", Buffer.concat([Buffer.from("package app\n\n// "), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]));
    const engine = new Engine({
      config: { root: dir, rules: {}, overrides: [], ignore: [], tests: false, maxFileSize: 2048 },
      ruleOverrides: {},
      reportUnusedSuppressions: false,
      maxFileSize: 2048,
    });
    packageCache.clear();
    const take = vi.spyOn(packageCache, "takeRead");
    try {
      const lint = (name: string) => engine.lintFile(path.join(dir, name));
      const a = lint("a.go");
      expect(a !== "generated" && a.messages.map((m) => [m.ruleId, m.line])).toEqual([["goward/no-ignored-error", 4]]);
      const b = lint("b.go");
      expect(b !== "generated" && b.messages.map((m) => [m.ruleId, m.line])).toEqual([["goward/no-ignored-error", 8]]);
      const c = lint("c.go");
      expect(c !== "generated" && c.skipped).toMatch(/larger than the 2 KB limit/u);
      const d = lint("d.go");
      expect(d !== "generated" && d.skipped).toMatch(/not valid UTF-8/u);
      // b, c and d came from the model's reads, a (linted first) from disk; each read is handed out once.
      expect(take.mock.results.map((r) => Buffer.isBuffer(r.value))).toEqual([false, true, true, true]);
      expect(packageCache.takeRead(path.join(dir, "b.go"))).toBeUndefined();
    } finally {
      take.mockRestore();
      packageCache.clear();
      fs.rmSync(dir, { recursive: true });
    }
  });
});
