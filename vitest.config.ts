import { defineConfig } from "vitest/config";

// Many tests spawn the CLI or the language server: on a loaded 2-core CI machine one spawn can
// take seconds, so the default 5 s per test is too tight.
export default defineConfig({
  test: {
    testTimeout: 30_000,
  },
});
