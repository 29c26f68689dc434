/** A scratch project that uses goward as a plain ESLint plugin, linted by `npx eslint`. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const ESLINT_BIN = path.join(ROOT, "node_modules", "eslint", "bin", "eslint.js");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-eslint-"));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(ROOT, path.join(dir, "node_modules", "goward"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "scratch", type: "module", private: true }));
  fs.writeFileSync(path.join(dir, "eslint.config.js"), 'import goward from "goward";\nexport default [goward.configs.recommended];\n');
  fs.mkdirSync(path.join(dir, "internal", "api"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "internal", "api", "me.go"),
    'package api\n\nimport "github.com/gin-gonic/gin"\n\nfunc Me(c *gin.Context) {\n\tuser := c.MustGet("user").(string)\n\tc.String(200, user)\n}\n',
  );
  fs.writeFileSync(path.join(dir, "internal", "api", "ok.go"), "package api\n\nfunc ok() int { return 1 }\n");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function eslint(args: string[]) {
  const r = spawnSync(process.execPath, [ESLINT_BIN, ...args], { cwd: dir, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("goward as an ESLint plugin", () => {
  it("lints .go files with goward.configs.recommended through npx eslint", () => {
    const r = eslint(["--format", "json", "."]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number }> }>;
    const me = results.find((x) => x.filePath.endsWith("me.go"))!;
    expect(me.messages.map((m) => [m.ruleId, m.line])).toEqual([["goward/no-unchecked-assertion", 6]]);
    expect(results.find((x) => x.filePath.endsWith("ok.go"))!.messages).toEqual([]);
  });

  it("works with ESLint's --cache and --concurrency (plugin meta name/version set)", () => {
    const cache = path.join(dir, ".eslintcache");
    const first = eslint(["--cache", "--cache-location", cache, "--concurrency", "2", "."]);
    // ESLint may warn that two files are too few for two threads; anything else is a failure.
    expect(first.stderr.replace(/^.*ESLintPoorConcurrencyWarning.*$/gmu, "").replace(/^\(Use `node --trace-warnings.*$/gmu, "").trim()).toBe("");
    expect(first.code).toBe(1);
    expect(fs.existsSync(cache)).toBe(true);
    const second = eslint(["--cache", "--cache-location", cache, "."]);
    expect(second.code).toBe(1);
    expect(second.stdout).toContain("no-unchecked-assertion");
  });
});
