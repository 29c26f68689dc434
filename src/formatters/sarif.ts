/**
 * SARIF 2.1.0 for GitHub code scanning: repo-relative URIs under %SRCROOT%, a full rules[]
 * with help from docs/rules/<rule>.md, CWE tags, precision and security-severity, fingerprints
 * as GitHub's upload action computes them, suppressed results left out by default, and file
 * problems (syntax errors, bad suppressions, skipped files) as tool notifications, not alerts.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Linter } from "eslint";
import type { MessageWithRelated } from "../related.js";
import { lineHashes } from "./fingerprint.js";
import type { FileResult, RuleInfo, RunInfo } from "./types.js";
import { REPOSITORY_URL } from "../meta.js";

/** GitHub's documented limits for SARIF uploads (docs: "SARIF support for code scanning"). */
export const GITHUB_LIMITS = { resultsPerRun: 25_000, rulesPerRun: 25_000, tagsPerRule: 20, locationsPerResult: 1_000 };

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function pascal(id: string): string {
  return id.split(/[-_/]/u).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join("");
}

/** The first paragraph after the title of a rule's doc page. */
function summaryOf(markdown: string | undefined): string | undefined {
  if (!markdown) return undefined;
  const paras = markdown.split(/\r?\n\s*\r?\n/u).map((p) => p.trim()).filter(Boolean);
  const first = paras.find((p) => !p.startsWith("#"));
  return first?.replace(/\s+/gu, " ");
}

function ruleDescriptor(rule: RuleInfo) {
  const tags = ["security", ...rule.security.cwe.map((n) => `external/cwe/cwe-${n}`), ...(rule.security.tags ?? [])];
  const level = rule.recommended === "warn" ? "warning" : rule.recommended === "error" ? "error" : "note";
  const full = summaryOf(rule.docsMarkdown) ?? rule.description;
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: full },
    help: {
      text: rule.docsMarkdown ?? `${rule.description}\n\nSee ${rule.url}`,
      markdown: rule.docsMarkdown ?? `${rule.description}\n\n[Documentation](${rule.url})`,
    },
    helpUri: rule.url,
    defaultConfiguration: { level },
    properties: {
      tags: [...new Set(tags)].slice(0, GITHUB_LIMITS.tagsPerRule),
      precision: rule.security.precision,
      "security-severity": rule.security.securitySeverity.toFixed(1),
      "problem.severity": level === "note" ? "recommendation" : level,
    },
  };
}

/** A repo-relative URI with each path segment percent-encoded, or an absolute file URI outside the root. */
function artifactUri(filePath: string, root: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(root, filePath);
  if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
  }
  return { uri: pathToFileURL(filePath).href };
}

function region(m: Pick<Linter.LintMessage, "line" | "column" | "endLine" | "endColumn">) {
  const r: Record<string, number> = { startLine: Math.max(1, m.line), startColumn: Math.max(1, m.column) };
  if (m.endLine !== undefined) r.endLine = Math.max(r.startLine, m.endLine);
  if (m.endColumn !== undefined && (m.endLine === undefined || m.endLine > m.line || m.endColumn > m.column)) r.endColumn = m.endColumn;
  return r;
}

interface Notification {
  level: "error" | "warning" | "note";
  message: { text: string };
  descriptor: { id: string };
  locations?: unknown[];
}

export function formatSarif(results: readonly FileResult[], run: RunInfo): string {
  const rules = [...run.rules].sort((a, b) => a.id.localeCompare(b.id)).slice(0, GITHUB_LIMITS.rulesPerRun);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const files = [...results].sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));

  // Artifact locations are computed once per file; no `artifacts` array is emitted, since it would
  // hold nothing beyond the locations (the multitool's SARIF2004).
  const artifacts: Array<{ location: { uri: string; uriBaseId?: string } }> = [];
  const artifactIndex = new Map<string, number>();
  const artifactOf = (filePath: string) => {
    let i = artifactIndex.get(filePath);
    if (i === undefined) {
      i = artifacts.length;
      artifacts.push({ location: artifactUri(filePath, run.cwd) });
      artifactIndex.set(filePath, i);
    }
    return i;
  };
  const locationOf = (filePath: string, m?: Pick<Linter.LintMessage, "line" | "column" | "endLine" | "endColumn">) => {
    const index = artifactOf(filePath);
    return {
      physicalLocation: {
        artifactLocation: { ...artifacts[index].location },
        ...(m ? { region: region(m) } : {}),
      },
    };
  };

  const sarifResults: unknown[] = [];
  const notifications: Notification[] = [];
  for (const file of files) {
    if (file.skipped) {
      notifications.push({ level: "warning", message: { text: `Skipped: ${file.skipped}` }, descriptor: { id: "skipped-file" }, locations: [locationOf(file.filePath)] });
      continue;
    }
    type Entry = { m: Linter.LintMessage; suppressed?: Linter.SuppressedLintMessage };
    const entries: Entry[] = [
      ...file.messages.map((m) => ({ m })),
      ...(run.includeSuppressed ? file.suppressedMessages.map((m) => ({ m, suppressed: m })) : []),
    ].sort((a, b) => a.m.line - b.m.line || a.m.column - b.m.column || String(a.m.ruleId).localeCompare(String(b.m.ruleId)));
    if (entries.length === 0) continue;
    let hashes: Map<number, string> | undefined;
    const hashOf = (line: number) => {
      if (!hashes) {
        let text: string | undefined;
        try {
          text = fs.readFileSync(file.filePath, "utf8");
        } catch {
          text = file.source;
        }
        hashes = text === undefined ? new Map() : lineHashes(text);
      }
      return hashes.get(line);
    };
    for (const { m, suppressed } of entries) {
      const bare = m.ruleId?.startsWith("goward/") ? m.ruleId.slice("goward/".length) : m.ruleId;
      if (!bare || !ruleIndex.has(bare)) {
        notifications.push({
          level: m.severity === 2 ? "error" : "warning",
          message: { text: m.message },
          descriptor: { id: m.message.startsWith("Go syntax error") ? "syntax-error" : "suppression-comment" },
          locations: [locationOf(file.filePath, m)],
        });
        continue;
      }
      const hash = hashOf(m.line);
      sarifResults.push({
        ruleId: bare,
        ruleIndex: ruleIndex.get(bare),
        level: m.severity === 2 ? "error" : "warning",
        message: { text: m.message },
        locations: [locationOf(file.filePath, m)],
        ...((m as MessageWithRelated).relatedLocations?.length
          ? {
              relatedLocations: (m as MessageWithRelated).relatedLocations!.slice(0, GITHUB_LIMITS.locationsPerResult).map((r, i) => ({
                id: i + 1,
                ...locationOf(r.file, { line: r.line, column: r.column }),
                message: { text: r.message },
              })),
            }
          : {}),
        ...(hash ? { partialFingerprints: { primaryLocationLineHash: hash } } : {}),
        ...(suppressed
          ? {
              suppressions: suppressed.suppressions.map((s) => ({
                kind: "inSource",
                ...(s.justification ? { justification: s.justification } : {}),
              })),
            }
          : {}),
      });
    }
  }

  if (sarifResults.length > GITHUB_LIMITS.resultsPerRun) {
    notifications.push({
      level: "warning",
      message: { text: `${sarifResults.length} results exceed GitHub's limit of ${GITHUB_LIMITS.resultsPerRun} per run; the first ${GITHUB_LIMITS.resultsPerRun} (by file and line) are included.` },
      descriptor: { id: "results-truncated" },
    });
    sarifResults.length = GITHUB_LIMITS.resultsPerRun;
  }

  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "goward",
            informationUri: REPOSITORY_URL,
            version: run.version,
            semanticVersion: run.version,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(run.cwd.endsWith(path.sep) ? run.cwd : run.cwd + path.sep).href } },
        results: sarifResults,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
