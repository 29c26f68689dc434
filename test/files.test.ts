import { describe, expect, it } from "vitest";
import ignore from "ignore";
import { canIgnoreGoFiles } from "../src/cli/files.js";

const GO_NAMES = ["a.go", "x_gen.go", ".go", "go.go", "a.bak.go", "sub/dir/a.go", "a~.go", "zz_generated.deepcopy.go", "thumbs.db.go"];
const PATTERNS = [
  "*~", "*.bak", "*.orig", ".*.swp", ".DS_Store", "/bundles/", "/cmd/dockerd/*.syso", "*.exe", "profile.out", "test.main",
  "*.go", "*go", "*.g?", "*.[g]o", "*_gen.go", "gen*", "a.go", "sub/**/a.go", "!keep.go", "*.g*", "x?gen.go", "\\#*#", "*.go~",
];

describe(".gitignore layers that cannot ignore a Go file", () => {
  it("are told apart soundly: a pattern said not to can ignore none of a set of Go file names", () => {
    let skipped = 0;
    for (const p of PATTERNS) {
      if (canIgnoreGoFiles([p])) continue;
      skipped++;
      const ig = ignore().add(p);
      for (const n of GO_NAMES) expect(ig.ignores(n), `${p} vs ${n}`).toBe(false);
    }
    expect(skipped).toBeGreaterThanOrEqual(11);
  });

  it("globs whose matches can end in .go, negations and .go names can", () => {
    for (const p of ["*go", "*.g?", "*.[g]o", "*_gen.go", "gen*", "a.go", "sub/**/a.go", "!keep.go", "*.g*"]) expect(canIgnoreGoFiles([p]), p).toBe(true);
    for (const p of ["*~", "*.bak", ".*.swp", "/cmd/dockerd/*.syso", "build/", "# *.go", "*.go~"]) expect(canIgnoreGoFiles([p]), p).toBe(false);
    // moby's own .gitignore: nothing in it can ignore a Go file.
    expect(canIgnoreGoFiles(["*~", "*.bak", "*.orig", ".*.swp", ".DS_Store", "thumbs.db", ".envrc", "/bundles/", "/cmd/dockerd/*.syso", "*.exe", "*.gz", "profile.out"])).toBe(false);
  });
});

describe("discovery from a root below a .gitignore", () => {
  it("ignores what git ignores: the root itself, a directory between, .go names, negations", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { execFileSync } = await import("node:child_process");
    const { discover } = await import("../src/cli/files.js");
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "goward-layers-"));
    const write = (rel: string, text = "package p\n") => {
      fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
      fs.writeFileSync(path.join(repo, rel), text);
    };
    // The top layer cannot ignore a .go name (only directories): files below an ignored root
    // must still be ignored. The nested one can (a glob and a negation).
    write(".gitignore", "gen/\n*.bak\n");
    write("mid/.gitignore", "skip/\n*_gen.go\n!keep_gen.go\n");
    write("gen/a.go");
    write("gen/sub/b.go");
    write("mid/skip/c.go");
    write("mid/keep/d.go");
    write("mid/keep/e_gen.go");
    write("mid/keep/keep_gen.go");
    write("mid/keep/sub/f.go");
    write("other/g.go");
    try {
      execFileSync("git", ["init", "-q"], { cwd: repo });
      const gitIgnored = (rel: string) => {
        try {
          execFileSync("git", ["check-ignore", "-q", rel], { cwd: repo });
          return true;
        } catch {
          return false;
        }
      };
      const all = ["gen/a.go", "gen/sub/b.go", "mid/skip/c.go", "mid/keep/d.go", "mid/keep/e_gen.go", "mid/keep/keep_gen.go", "mid/keep/sub/f.go", "other/g.go"];
      for (const root of ["gen", "gen/sub", "mid", "mid/skip", "mid/keep", "other", "."]) {
        const found = discover([root], { cwd: repo, tests: false, ignorePatterns: [] }).files.map((f) => path.relative(repo, f).split(path.sep).join("/"));
        const expected = all.filter((f) => (root === "." || f.startsWith(`${root}/`)) && !gitIgnored(f));
        expect(found, root).toEqual(expected);
      }
      // The config's patterns (relative to cwd) sit above every root too.
      const withConfig = discover(["mid/keep"], { cwd: repo, tests: false, ignorePatterns: ["mid/keep/sub/", "d.go"] }).files.map((f) => path.basename(f));
      expect(withConfig).toEqual(["keep_gen.go"]);
    } finally {
      fs.rmSync(repo, { recursive: true });
    }
  });
});
