/**
 * The goward CLI as `npm run bench` runs it: the same `run()` as bin/goward.js, with its output
 * discarded, then one line on stderr with the wall time and the process's peak resident memory
 * (worker threads live in the same process, so this covers them).
 */
import { performance } from "node:perf_hooks";
import { run } from "../src/cli/main.js";

const t0 = performance.now();
const code = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: () => undefined,
  stderr: (s) => process.stderr.write(s),
  isTTY: false,
  env: process.env,
});
const ms = performance.now() - t0;
process.stderr.write(`\nGOWARD_BENCH ${JSON.stringify({ code, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`);
