import type { Linter } from "eslint";
import type { SecurityMeta } from "../meta.js";

export interface FileResult {
  filePath: string;              // absolute path
  source?: string;               // the text that was linted (BOM stripped); when absent the formatter reads the file
  messages: Linter.LintMessage[];          // ruleId like "goward/no-unchecked-assertion", or null for syntax errors / bad suppression comments
  suppressedMessages: Linter.SuppressedLintMessage[];
  skipped?: string;              // reason the file was skipped (binary, too large, unreadable): no messages then
}
export interface RuleInfo { id: string /* bare id, e.g. "no-unchecked-assertion" */; description: string; url: string; recommended: false | "error" | "warn"; security: SecurityMeta; docsMarkdown?: string /* full text of docs/rules/<id>.md when present */ }
export interface RunInfo { cwd: string /* repo root: URIs are relative to it */; version: string; rules: RuleInfo[]; includeSuppressed?: boolean }
