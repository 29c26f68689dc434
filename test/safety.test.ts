/**
 * Safety and the file system: goward works with networking and child processes denied (only
 * `git` for --new-from-rev), and meets symlink loops, unreadable directories, a path that is a
 * file and an empty repository with one-line warnings and the right exit code.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, ROOT } from "./helpers.js";

const DENY = path.join(ROOT, "test", "support", "deny-io.mjs");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) {
    fs.chmodSync(d, 0o755);
    fs.rmSync(d, { recursive: true, force: true });
  }
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "goward-safety-"));
  dirs.push(d);
  return d;
}
const run = (args: string[], cwd: string, opts: { deny?: boolean; uid?: number } = {}) => {
  const r = spawnSync(process.execPath, [...(opts.deny ? ["--import", DENY] : []), BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe("safety", () => {
  it("the preload really denies network and child processes", () => {
    const r = spawnSync(process.execPath, ["--import", DENY, "-e", 'require("node:child_process").spawnSync("ls")'], { encoding: "utf8" });
    expect(r.status).toBe(97);
    const n = spawnSync(process.execPath, ["--import", DENY, "-e", 'require("node:net").connect(80, "127.0.0.1")'], { encoding: "utf8" });
    expect(n.status).toBe(97);
  });

  it("lints, lists routes and writes SARIF with networking and child processes denied", () => {
    const fixtures = path.join(ROOT, "fixtures");
    const lint = run([fixtures, "--format", "sarif", "-o", path.join(tmp(), "out.sarif")], ROOT, { deny: true });
    expect(lint.stderr).not.toContain("DENIED");
    expect(lint.code).toBe(1); // findings, not a crash
    const routes = run(["routes", "."], path.join(fixtures, "require-auth-middleware"), { deny: true });
    expect(routes.stderr).not.toContain("DENIED");
    expect(routes.code).toBe(0);
  }, 60_000);
});

describe("file system edge cases", () => {
  const good = 'package api\n\nfunc F() int { return 1 }\n';

  it("a symlink loop is not followed forever", () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "a.go"), good);
    fs.mkdirSync(path.join(d, "sub"));
    fs.symlinkSync(d, path.join(d, "sub", "loop"));
    const r = run(["."], d);
    expect(r.code).toBe(0);
  });

  it("an unreadable directory is a one-line warning; the rest is linted", () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "a.go"), good);
    fs.mkdirSync(path.join(d, "locked"));
    fs.writeFileSync(path.join(d, "locked", "b.go"), good);
    fs.chmodSync(path.join(d, "locked"), 0o000);
    const asRoot = process.getuid?.() === 0;
    fs.chmodSync(d, 0o755);
    const r = run(["."], d, asRoot ? { uid: 65534 } : {});
    expect(r.code).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/locked/u);
  });

  it("a path that is a file is linted; a missing path is exit 2 with one line", () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "a.go"), good);
    expect(run(["a.go"], d).code).toBe(0);
    const missing = run(["nope"], d);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split("\n")[0]).toBe("goward: no such file or directory: nope");
  });

  it("an empty repository exits 0", () => {
    const d = tmp();
    const r = run(["."], d);
    expect(r.code).toBe(0);
    const routes = run(["routes", "."], d);
    expect(routes.code).toBe(0);
    expect(routes.stdout).toContain("0 routes");
  });
});
