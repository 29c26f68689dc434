/** Spawns the built `goward` binary (npm test builds first) against scratch projects. */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, ROOT } from "./helpers.js";

const BAD = `package api

import "github.com/gofiber/fiber/v2"

func Me(c *fiber.Ctx) error {
	id := c.Locals("userID").(uint)
	return c.JSON(id)
}
`;
const GOOD = `package api

import "github.com/gofiber/fiber/v2"

func Me(c *fiber.Ctx) error {
	id, ok := c.Locals("userID").(uint)
	if !ok {
		return fiber.ErrUnauthorized
	}
	return c.JSON(id)
}
`;

const tmpRoots: string[] = [];
function project(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-cli-"));
  tmpRoots.push(dir);
  fs.chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(files)) {
    const f = path.join(dir, name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, content);
  }
  return dir;
}
afterAll(() => {
  for (const d of tmpRoots) fs.rmSync(d, { recursive: true, force: true });
});

function goward(args: string[], cwd: string, extra: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, ...extra });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe("goward CLI", () => {
  it("prints findings grouped by file and exits 1", () => {
    const dir = project({ "api/me.go": BAD, "api/ok.go": GOOD });
    const r = goward([], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(path.join("api", "me.go"));
    expect(r.stdout).toMatch(/^\s+6:8\s+error\s+Fiber Locals value `c\.Locals\("userID"\)` is asserted to `uint`.*no-unchecked-assertion$/mu);
    expect(r.stdout).not.toContain("ok.go");
    expect(r.stdout).toContain("1 problem (1 error, 0 warnings)");
    expect(r.stdout).toContain("docs/rules/no-unchecked-assertion.md");
    expect(r.stdout).not.toMatch(/\u001b\[/u);
  });

  it("exits 0 with no output on clean code", () => {
    const r = goward(["."], project({ "ok.go": GOOD }));
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("lints the repository's fixtures", () => {
    const r = goward(["fixtures/"], ROOT);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\d+ problems? \(\d+ errors?/u);
  });

  it("--format json is ESLint-shaped", () => {
    const dir = project({ "me.go": BAD });
    const r = goward(["--format", "json"], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(1);
    expect(out[0].filePath).toBe(path.join(fs.realpathSync(dir), "me.go").replace(fs.realpathSync(dir), dir));
    expect(out[0].messages.map((m: { ruleId: string; line: number }) => [m.ruleId, m.line])).toEqual([["goward/no-unchecked-assertion", 6]]);
    expect(out[0].errorCount).toBe(1);
  });

  it("--format sarif writes SARIF 2.1.0 with repo-relative URIs, --output writes the file", () => {
    const dir = project({ "pkg/me.go": BAD });
    const r = goward(["--format", "sarif", "--output", "out.sarif"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "out.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    const res = sarif.runs[0].results;
    expect(res).toHaveLength(1);
    expect(res[0].ruleId).toBe("no-unchecked-assertion");
    expect(res[0].locations[0].physicalLocation.artifactLocation.uri).toBe("pkg/me.go");
    expect(res[0].locations[0].physicalLocation.region.startLine).toBe(6);
  });

  it("--format github writes workflow-command annotations, escaped", () => {
    const dir = project({ "pkg/me.go": BAD });
    const r = goward(["--format", "github"], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error file=pkg\/me\.go,line=6,col=8,endLine=6,endColumn=\d+,title=goward no-unchecked-assertion::Fiber Locals value/u);
    expect(lines[0]).not.toMatch(/\n/u);
  });

  it("--format gitlab writes a Code Quality report with stable fingerprints", () => {
    const dir = project({ "pkg/me.go": BAD });
    const first = JSON.parse(goward(["--format", "gitlab"], dir).stdout);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ check_name: "goward/no-unchecked-assertion", severity: "major", location: { path: "pkg/me.go", lines: { begin: 6 } } });
    expect(first[0].fingerprint).toMatch(/^[0-9a-f]{32}$/u);
    // Unrelated lines added above keep the fingerprint; the line number moves.
    fs.writeFileSync(path.join(dir, "pkg/me.go"), BAD.replace("package api\n", "package api\n\n// a comment\n"));
    const second = JSON.parse(goward(["--format", "gitlab"], dir).stdout);
    expect(second[0].location.lines.begin).toBe(8);
    expect(second[0].fingerprint).toBe(first[0].fingerprint);
  });

  it("--write-baseline records findings; --baseline fails only on new ones, across line moves", () => {
    const dir = project({ "me.go": BAD });
    const w = goward(["--write-baseline", "goward-baseline.json"], dir);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain("wrote 1 finding to goward-baseline.json");
    // Lines added above: the known finding moves but stays known.
    fs.writeFileSync(path.join(dir, "me.go"), BAD.replace("package api\n", "package api\n\n// moved\n"));
    expect(goward(["--baseline", "goward-baseline.json"], dir)).toMatchObject({ code: 0, stdout: "" });
    // A new finding is reported and fails the run.
    fs.writeFileSync(path.join(dir, "me.go"), BAD.replace("\treturn c.JSON(id)", '\trole := c.Locals("role").(string)\n\treturn c.JSON(fiber.Map{"id": id, "role": role})'));
    const r = goward(["--baseline", "goward-baseline.json", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)[0].messages.map((m: { line: number }) => m.line)).toEqual([7]);
    expect(goward(["--baseline", "missing.json"], dir)).toMatchObject({ code: 2 });
  });

  it("--new-from-rev reports only findings on lines changed since the revision", () => {
    const dir = project({ "old.go": BAD });
    const g = (args: string[]) => spawnSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
    g(["init", "-q"]);
    g(["add", "."]);
    g(["commit", "-qm", "base"]);
    // One new finding in the tracked file, and an untracked file with findings.
    fs.writeFileSync(path.join(dir, "old.go"), BAD.replace("\treturn c.JSON(id)", '\trole := c.Locals("role").(string)\n\treturn c.JSON(fiber.Map{"id": id, "role": role})'));
    fs.writeFileSync(path.join(dir, "new.go"), BAD.replace("func Me", "func Me2"));
    const r = goward(["--new-from-rev", "HEAD", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const byFile = Object.fromEntries(JSON.parse(r.stdout).map((f: { filePath: string; messages: Array<{ line: number }> }) => [path.basename(f.filePath), f.messages.map((m) => m.line)]));
    expect(byFile).toEqual({ "new.go": [6], "old.go": [7] });
    expect(goward(["--new-from-rev", "no-such-rev"], dir)).toMatchObject({ code: 2 });
  });

  it("--shard splits files by package deterministically, and merge-sarif joins the shards", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`pkg${i}/h.go`] = BAD.replace("package api", `package pkg${i}`);
    const dir = project(files);
    const all = JSON.parse(goward(["--format", "json"], dir).stdout).map((f: { filePath: string }) => f.filePath).sort();
    const shards = [1, 2, 3].map((i) => JSON.parse(goward(["--shard", `${i}/3`, "--format", "json"], dir).stdout).map((f: { filePath: string }) => f.filePath));
    expect(shards.flat().sort()).toEqual(all);
    expect(new Set(shards.flat()).size).toBe(all.length);
    expect(shards.filter((s) => s.length > 0).length).toBeGreaterThan(1);
    expect(JSON.parse(goward(["--shard", "2/3", "--format", "json"], dir).stdout).map((f: { filePath: string }) => f.filePath)).toEqual(shards[1]);
    for (const i of [1, 2, 3]) goward(["--shard", `${i}/3`, "--format", "sarif", "-o", `s${i}.sarif`], dir);
    const m = goward(["merge-sarif", "-o", "merged.sarif", "s1.sarif", "s2.sarif", "s3.sarif"], dir);
    expect(m.code).toBe(0);
    const merged = JSON.parse(fs.readFileSync(path.join(dir, "merged.sarif"), "utf8"));
    expect(merged.runs).toHaveLength(1);
    expect(merged.runs[0].results).toHaveLength(12);
    const single = JSON.parse(goward(["--format", "sarif"], dir).stdout);
    expect(merged.runs[0].results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints)).toEqual(
      single.runs[0].results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints),
    );
    expect(goward(["--shard", "4/3"], dir).code).toBe(2);
    expect(goward(["merge-sarif", "nope.sarif"], dir).code).toBe(2);
  }, 60_000);

  it("is deterministic: identical output, byte for byte, across repeated runs", () => {
    for (const format of ["stylish", "json", "sarif", "gitlab"]) {
      const a = goward(["fixtures/", "--format", format], ROOT);
      const b = goward(["fixtures/", "--format", format], ROOT);
      expect(a.code).toBe(1);
      expect(b.stdout, format).toBe(a.stdout);
    }
  }, 60_000);

  it("is deterministic across thread counts: worker threads give the single-threaded output", () => {
    for (const format of ["json", "sarif"]) {
      const one = goward(["fixtures/", "--format", format, "--threads", "1"], ROOT);
      const two = goward(["fixtures/", "--format", format, "--threads", "2"], ROOT);
      const three = goward(["fixtures/", "--format", format, "-j", "3"], ROOT);
      expect(one.code).toBe(1);
      expect(one.stdout.length).toBeGreaterThan(1000);
      expect(two.stdout, format).toBe(one.stdout);
      expect(three.stdout, format).toBe(one.stdout);
    }
    expect(goward(["fixtures/", "--threads", "0"], ROOT).code).toBe(2);
  }, 120_000);

  it("rejects unknown flags, formats and missing paths with exit 2 and one line, no stack trace", () => {
    const dir = project({ "ok.go": GOOD });
    for (const args of [["--frobnicate"], ["--format", "xml"], ["does-not-exist"], ["--max-warnings", "x"], ["--rule", "no-such-rule"]]) {
      const r = goward(args, dir);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(/^goward: /u);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/u);
    }
    expect(goward(["--frobnicate"], dir).stderr).toContain("--frobnicate");
    expect(goward(["does-not-exist"], dir).stderr).toContain("no such file or directory: does-not-exist");
  });

  it("--version and --help", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(goward(["--version"], ROOT)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    const help = goward(["--help"], ROOT);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: goward");
  });

  it("skips binary, non-UTF-8 and oversized files with a warning and exits by its findings", () => {
    const dir = project({
      "bin.go": Buffer.from([0x70, 0x61, 0x63, 0x6b, 0x00, 0x01, 0x02]),
      "latin1.go": Buffer.from("package p\n// caf\xe9\n", "latin1"),
      "big.go": `package p\n${"// padding\n".repeat(200)}`,
      "ok.go": GOOD,
    });
    const r = goward(["--max-file-size", "1KB"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("skipped bin.go: binary file");
    expect(r.stdout).toContain("skipped latin1.go: not valid UTF-8");
    expect(r.stdout).toMatch(/skipped big\.go: larger than the 1 KB limit/u);
    const withBad = project({ "bin.go": Buffer.from([0, 1, 2]), "me.go": BAD });
    expect(goward([], withBad).code).toBe(1);
  });

  it("skips an unreadable file with a warning", () => {
    const dir = project({ "secret.go": BAD, "ok.go": GOOD });
    fs.chmodSync(path.join(dir, "secret.go"), 0o000);
    // root reads any file: run as an unprivileged user then.
    const asRoot = process.getuid?.() === 0;
    const r = goward([], dir, asRoot ? { uid: 65534, gid: 65534 } : {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("skipped secret.go: cannot read: EACCES");
  });

  it("reports a syntax error once, as a warning, with line and column, and still checks the file", () => {
    expect(goward([], project({ "half.go": `${GOOD}\nfunc half( {\n` })).code).toBe(0);
    const dir = project({ "broken.go": `${BAD}\nfunc half( {\n` });
    const r = goward([], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/10:\d+\s+warning\s+Go syntax error at 10:\d+/u);
    expect(r.stdout).toContain("no-unchecked-assertion");
    expect(r.stdout.match(/Go syntax error/gu)).toHaveLength(1);
  });

  it("honours suppressions and reports one without a reason", () => {
    const suppressed = BAD.replace("\tid := ", "\t//goward:ignore no-unchecked-assertion set by the auth middleware\n\tid := ");
    expect(goward([], project({ "me.go": suppressed })).code).toBe(0);
    const noReason = BAD.replace("\tid := ", "\t//goward:ignore no-unchecked-assertion\n\tid := ");
    const r = goward([], project({ "me.go": noReason }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("without a reason is not applied");
  });

  it("reports unused suppressions on request", () => {
    const src = GOOD.replace("\tid, ok", "\t//goward:ignore no-unchecked-assertion old\n\tid, ok");
    const dir = project({ "me.go": src });
    expect(goward([], dir).code).toBe(0);
    const r = goward(["--report-unused-suppressions"], dir);
    expect(r.stdout).toMatch(/6:2\s+warning\s+Unused/u);
  });

  it("skips generated files, vendor/, testdata/, .gitignored paths and _test.go unless --tests", () => {
    const dir = project({
      "gen.go": `// Code generated by protoc-gen-go. DO NOT EDIT.\n\n${BAD}`,
      "vendor/x/x.go": BAD,
      "testdata/x.go": BAD,
      "node_modules/x/x.go": BAD,
      "_tools/x.go": BAD,
      "build/out.go": BAD,
      ".gitignore": "build/\n",
      "me_test.go": BAD,
    });
    expect(goward([], dir)).toMatchObject({ code: 0, stdout: "" });
    const r = goward(["--tests"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("me_test.go");
    expect(r.stdout).not.toContain("vendor");
  });

  it("reads .goward.yml: severities, per-path overrides and ignores", () => {
    const dir = project({
      ".goward.yml": "rules:\n  no-unchecked-assertion: warn\noverrides:\n  - files: ['legacy/**']\n    rules:\n      no-unchecked-assertion: off\nignore: ['gen/']\n",
      "api/me.go": BAD,
      "legacy/old.go": BAD,
      "gen/x.go": BAD,
    });
    const r = goward([], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warning");
    expect(r.stdout).toContain(path.join("api", "me.go"));
    expect(r.stdout).not.toContain("legacy");
    expect(r.stdout).not.toContain("gen");
    expect(goward(["--max-warnings", "0"], dir).code).toBe(1);
    expect(goward(["--quiet"], dir)).toMatchObject({ code: 0, stdout: "" });
    expect(goward(["--rule", "no-unchecked-assertion=error"], dir).code).toBe(1);
    expect(goward(["--disable-rule", "no-unchecked-assertion"], dir)).toMatchObject({ code: 0, stdout: "" });
  });

  it("an invalid config is a one-line error with exit 2", () => {
    for (const [cfg, msg] of [
      ["rules:\n  no-such-rule: error\n", 'unknown rule "no-such-rule"'],
      ["rulez: {}\n", 'unknown key "rulez"'],
      ["rules:\n  no-unchecked-assertion: loud\n", "needs a severity"],
      ["rules: [\n", "invalid config"],
    ] as const) {
      const r = goward([], project({ ".goward.yml": cfg, "ok.go": GOOD }));
      expect(r.code, cfg).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("--fix applies the safe autofixes, writes the file and reports what remains", () => {
    const src = `package api

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
)

type Server struct{ db *gorm.DB }

func (s *Server) List(c *fiber.Ctx) error {
	var out []string
	if err := s.db.Where("active = ?", true).Find(&out).Error; err != nil {
		return err
	}
	id := c.Locals("id").(int)
	return c.JSON(fiber.Map{"out": out, "id": id})
}
`;
    const dir = project({ "api.go": src });
    const before = goward(["--format", "json"], dir);
    expect(JSON.parse(before.stdout)[0].messages.map((m: { ruleId: string }) => m.ruleId).sort()).toEqual([
      "goward/no-unchecked-assertion",
      "goward/require-db-context",
    ]);
    const r = goward(["--fix", "--format", "json"], dir);
    const fixed = fs.readFileSync(path.join(dir, "api.go"), "utf8");
    expect(fixed).toContain("s.db.WithContext(c.UserContext()).Where(");
    // Suggestions are not applied by --fix: the assertion is left for a human.
    expect(fixed).toContain('id := c.Locals("id").(int)');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)[0].messages.map((m: { ruleId: string }) => m.ruleId)).toEqual(["goward/no-unchecked-assertion"]);
  });

  it("does not leave a partial --output file on failure", () => {
    const dir = project({ "ok.go": GOOD });
    const r = goward(["--output", "no/such/dir/out.json", "--format", "json"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot write no/such/dir/out.json");
  });

  it("skips a file whose analysis exceeds the per-file time budget, with a warning, and goes on", () => {
    // 30,000 statements in one function: parsing alone takes longer than 5 ms.
    const body = Array.from({ length: 30_000 }, (_, i) => `\tx${i} := a.b.c(d, e).g(h)`).join("\n");
    const dir = project({ "big/big.go": `package big\n\nfunc f() {\n${body}\n}\n`, "api.go": BAD });
    const r = goward(["--file-budget", "5", "--format", "json"], dir);
    const out = JSON.parse(r.stdout) as Array<{ filePath: string; messages: unknown[] }>;
    expect(r.stderr).toMatch(/warning: skipped big\/big\.go: analysis exceeded the per-file time budget of 5 ms/u);
    expect(out.find((f) => f.filePath.endsWith("big.go"))?.messages).toEqual([]);
    expect(r.code).not.toBe(2);
    expect(goward(["--file-budget", "soon"], dir).code).toBe(2);
  });
});
