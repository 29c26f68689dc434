/** JSON output, shaped like ESLint's `--format json` so existing tooling can read it. */
import type { FileResult } from "./types.js";

export function formatJson(results: readonly FileResult[]): string {
  return `${JSON.stringify(
    results.map((r) => ({
      filePath: r.filePath,
      messages: r.messages,
      suppressedMessages: r.suppressedMessages,
      errorCount: r.messages.filter((m) => m.severity === 2).length,
      warningCount: r.messages.filter((m) => m.severity === 1).length,
      ...(r.skipped ? { skipped: r.skipped } : {}),
    })),
    null,
    2,
  )}\n`;
}
