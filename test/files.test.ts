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
