#!/usr/bin/env node
import { run } from "../dist/src/cli/main.js";

const code = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
});
process.exitCode = code;
