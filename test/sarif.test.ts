/** SARIF output: schema-valid (the official SARIF 2.1.0 schema), and shaped for GitHub code scanning. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Linter } from "eslint";
import { formatSarif, GITHUB_LIMITS } from "../src/formatters/sarif.js";
import { mergeSarif } from "../src/formatters/merge-sarif.js";
import type { FileResult } from "../src/formatters/types.js";
import { ruleInfos } from "../src/cli/rule-infos.js";
import { lineHashes } from "../src/formatters/fingerprint.js";
import { engineFor, fixtureGoFiles, ROOT } from "./helpers.js";

const require = createRequire(import.meta.url);
// The official schema, as shipped in the SARIF multitool package (no network needed).
const schema = JSON.parse(fs.readFileSync(require.resolve("@microsoft/sarif-multitool-linux/sarif-2.1.0.json"), "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function expectValid(text: string) {
  const ok = validate(JSON.parse(text));
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "goward-sarif-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const bad = 'package api\n\nimport "github.com/gofiber/fiber/v2"\n\nfunc Me(c *fiber.Ctx) error {\n\tid := c.Locals("userID").(uint)\n\treturn c.JSON(id)\n}\n';
fs.mkdirSync(path.join(root, "dir with space"), { recursive: true });
fs.writeFileSync(path.join(root, "a.go"), bad);
fs.writeFileSync(path.join(root, "dir with space", "ünïcode.go"), bad);
fs.writeFileSync(path.join(root, "suppressed.go"), bad.replace("\tid :=", "\t//goward:ignore no-unchecked-assertion set by auth\n\tid :="));
fs.writeFileSync(path.join(root, "broken.go"), `${bad}\nfunc x( {\n`);

const engine = engineFor(undefined, root);
const results: FileResult[] = ["a.go", "dir with space/ünïcode.go", "suppressed.go", "broken.go"].map((f) => {
  const r = engine.lintFile(path.join(root, f));
  if (r === "generated") throw new Error("unexpected");
  return r;
});
results.push({ filePath: path.join(root, "bin.go"), messages: [], suppressedMessages: [], skipped: "binary file (contains NUL bytes)" });
const rules = ruleInfos();
const run = { cwd: root, version: "1.2.3", rules };

describe("SARIF formatter", () => {
  const sarif = JSON.parse(formatSarif(results, run));
  const r = sarif.runs[0];

  it("validates against the SARIF 2.1.0 schema, with and without suppressed results", () => {
    expectValid(formatSarif(results, run));
    expectValid(formatSarif(results, { ...run, includeSuppressed: true }));
    expectValid(formatSarif([], run));
  });

  it("describes every rule with help, tags, CWE, precision and security-severity", () => {
    expect(r.tool.driver.name).toBe("goward");
    expect(r.tool.driver.semanticVersion).toBe("1.2.3");
    expect(r.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(rules.map((x) => x.id).sort());
    const rule = r.tool.driver.rules.find((x: { id: string }) => x.id === "no-unchecked-assertion");
    expect(rule.properties.tags).toEqual(expect.arrayContaining(["security", "external/cwe/cwe-248"]));
    expect(rule.properties["security-severity"]).toMatch(/^\d+\.\d$/u);
    expect(rule.properties.precision).toBe("high");
    expect(rule.helpUri).toContain("docs/rules/no-unchecked-assertion.md");
    const doc = fs.readFileSync(path.join(ROOT, "docs/rules/no-unchecked-assertion.md"), "utf8");
    expect(rule.help.markdown).toBe(doc);
  });

  it("uses repo-relative, percent-encoded URIs under %SRCROOT%", () => {
    expect(r.originalUriBaseIds["%SRCROOT%"].uri).toBe(`file://${root}/`.replace(/ /gu, "%20"));
    const uris = r.results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }) => x.locations[0].physicalLocation.artifactLocation);
    expect(uris.map((u: { uri: string }) => u.uri)).toEqual(["a.go", "broken.go", `dir%20with%20space/${encodeURIComponent("ünïcode.go")}`]);
    expect(uris.every((u: { uriBaseId: string }) => u.uriBaseId === "%SRCROOT%")).toBe(true);
    expect(r.columnKind).toBe("utf16CodeUnits");
  });

  it("leaves suppressed findings out by default and marks them when asked", () => {
    const files = r.results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0].physicalLocation.artifactLocation.uri);
    expect(files).not.toContain("suppressed.go");
    const withSup = JSON.parse(formatSarif(results, { ...run, includeSuppressed: true })).runs[0].results;
    const sup = withSup.find((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0].physicalLocation.artifactLocation.uri === "suppressed.go");
    expect(sup.suppressions).toEqual([{ kind: "inSource", justification: "set by auth" }]);
  });

  it("turns syntax errors and skipped files into notifications, not alerts", () => {
    const notes = r.invocations[0].toolExecutionNotifications;
    expect(notes.map((n: { descriptor: { id: string } }) => n.descriptor.id).sort()).toEqual(["skipped-file", "syntax-error"]);
    expect(r.results.every((x: { ruleId: string }) => x.ruleId !== null && x.ruleId !== undefined)).toBe(true);
  });

  it("fingerprints each result with the line hash of its start line, equal for identical lines", () => {
    const a = r.results.find((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0].physicalLocation.artifactLocation.uri === "a.go");
    expect(a.partialFingerprints.primaryLocationLineHash).toBe(lineHashes(bad).get(6));
    const byUri = new Map<string, string>(
      r.results.map((x: { partialFingerprints: { primaryLocationLineHash: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => [
        x.locations[0].physicalLocation.artifactLocation.uri,
        x.partialFingerprints.primaryLocationLineHash,
      ]),
    );
    // Identical files give identical fingerprints; the hash also covers the following lines, so broken.go differs.
    expect(byUri.get(`dir%20with%20space/${encodeURIComponent("ünïcode.go")}`)).toBe(byUri.get("a.go"));
    expect(byUri.get("broken.go")).not.toBe(byUri.get("a.go"));
  });

  it("merged shard logs still validate and keep every result", () => {
    const a = JSON.parse(formatSarif(results.slice(0, 2), run));
    const b = JSON.parse(formatSarif(results.slice(2), run));
    const merged = mergeSarif([a, b]);
    expectValid(merged);
    const m = JSON.parse(merged).runs[0];
    expect(m.results).toHaveLength(a.runs[0].results.length + b.runs[0].results.length);
    expect(m.results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0].physicalLocation.artifactLocation.uri)).toEqual(
      [...a.runs[0].results, ...b.runs[0].results].map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0].physicalLocation.artifactLocation.uri).sort(),
    );
  });

  it("is deterministic and caps results at GitHub's per-run limit", () => {
    expect(formatSarif([...results].reverse(), run)).toBe(formatSarif(results, run));
    const msg = results[0].messages[0] as Linter.LintMessage;
    const many: FileResult = { filePath: path.join(root, "a.go"), source: bad, messages: Array.from({ length: GITHUB_LIMITS.resultsPerRun + 5 }, () => msg), suppressedMessages: [] };
    const capped = JSON.parse(formatSarif([many], run)).runs[0];
    expect(capped.results).toHaveLength(GITHUB_LIMITS.resultsPerRun);
    expect(capped.invocations[0].toolExecutionNotifications.map((n: { descriptor: { id: string } }) => n.descriptor.id)).toContain("results-truncated");
  });
});

describe("related locations", () => {
  it("require-auth-middleware points at the handler and the identity read, as valid SARIF", () => {
    const app = path.join(ROOT, "fixtures", "require-auth-middleware");
    const file = path.join(app, "internal", "routes", "routes.go");
    const res = engineFor("require-auth-middleware", app).lintFile(file);
    if (res === "generated") throw new Error("unexpected");
    const text = formatSarif([res], { cwd: app, version: "0.0.0", rules });
    expectValid(text);
    const cart = JSON.parse(text).runs[0].results.find((x: { locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) => x.locations[0].physicalLocation.region.startLine === 22);
    expect(cart.relatedLocations.map((l: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; message: { text: string } }) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine, l.message.text])).toEqual([
      ["internal/handlers/handlers.go", 36, "handler h.Cart"],
      ["internal/handlers/handlers.go", 41, 'reads currentUser() → Locals("userID")'],
    ]);
  });
});

describe("SARIF accepted by GitHub's rules (SARIF multitool)", () => {
  it("goward's SARIF for the fixtures passes `validate --rule-kind Sarif;Gh` with no error or warning", () => {
    const bin = require.resolve("@microsoft/sarif-multitool-linux/Sarif.Multitool");
    // npm 11 does not run the package's postinstall (chmod u+x): make it executable here.
    fs.chmodSync(bin, 0o755);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-multitool-"));
    try {
      const input = path.join(dir, "goward.sarif");
      const fixtureResults = fixtureGoFiles(true)
        .map((f) => engineFor(undefined, ROOT).lintFile(f))
        .filter((x): x is FileResult => x !== "generated");
      fs.writeFileSync(input, formatSarif(fixtureResults, { cwd: ROOT, version: "0.0.0", rules }));
      const r = spawnSync(bin, ["validate", "--rule-kind", "Sarif;Gh", "-o", path.join(dir, "out.sarif"), input], { encoding: "utf8", timeout: 120_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("Analysis completed successfully");
      expect(r.stdout.match(/: (error|warning) [A-Z]+\d+/gu) ?? []).toEqual([]);
      // The check is live: a damaged log is flagged.
      const bad = JSON.parse(fs.readFileSync(input, "utf8"));
      bad.runs[0].results[0].locations[0].physicalLocation.artifactLocation = { uri: "http://example.com/x.go" };
      bad.runs[0].results[0].message = { id: "missing" };
      fs.writeFileSync(path.join(dir, "bad.sarif"), JSON.stringify(bad));
      const rb = spawnSync(bin, ["validate", "--rule-kind", "Sarif;Gh", "-o", path.join(dir, "bad-out.sarif"), path.join(dir, "bad.sarif")], { encoding: "utf8", timeout: 120_000 });
      expect(rb.stdout).toMatch(/error GH\d+/u);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
