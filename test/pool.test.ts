import path from "node:path";
import { describe, expect, it } from "vitest";
// The pool starts its workers from its own directory: use the built copy (`npm test` builds first).
import { lintWithWorkers } from "../dist/src/cli/pool.js";
import { Engine } from "../src/cli/engine.js";
import { discover } from "../src/cli/files.js";
import { DEFAULT_MAX_FILE_SIZE } from "../src/cli/config.js";
import { ROOT } from "./helpers.js";

const dir = path.join(ROOT, "fixtures", "require-auth-middleware");
const opts = {
  config: { root: dir, rules: {}, overrides: [], ignore: [], tests: false, maxFileSize: DEFAULT_MAX_FILE_SIZE },
  ruleOverrides: {},
  reportUnusedSuppressions: false,
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
};
const strip = (run: { results: Array<{ filePath: string; messages: unknown[] }> }) => run.results.map((r) => ({ filePath: r.filePath, messages: r.messages }));

describe("worker pool", () => {
  it("a batch that runs out of a worker's capped heap is linted again in an uncapped worker, with the same results", async () => {
    const files = discover([dir], { cwd: dir, tests: false, ignorePatterns: [] }).files;
    const single = new Engine(opts).lintFiles(files);
    // 16 MB of old generation cannot even hold ESLint: every capped worker runs out.
    const starved = await lintWithWorkers(files, opts, 2, 16);
    expect(starved.internalErrors).toEqual([]);
    expect(strip(starved)).toEqual(strip(single));
    expect(single.results.some((r) => r.messages.length > 0)).toBe(true);
  }, 120_000);
});
