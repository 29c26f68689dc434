/** The GitHub Action: its pieces are what the docs promise (the SARIF itself is tested in sarif.test.ts). */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./helpers.js";

const action = parse(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8"));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("action.yml", () => {
  it("is a composite action with the documented inputs", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(["args", "category", "config", "fail-level", "paths", "upload", "version"]);
  });

  it("pins the goward version of this release and runs it with SARIF output", () => {
    expect(action.inputs.version.default).toBe(pkg.version);
    const run = action.runs.steps.find((s: { id?: string }) => s.id === "run").run as string;
    expect(run).toContain('npx --yes "goward@${GOWARD_VERSION}"');
    expect(run).toContain("--format sarif --output");
  });

  it("uploads with upload-sarif@v4 under the category input", () => {
    const upload = action.runs.steps.find((s: { uses?: string }) => s.uses?.startsWith("github/codeql-action/upload-sarif"));
    expect(upload.uses).toBe("github/codeql-action/upload-sarif@v4");
    expect(upload.with.category).toBe("${{ inputs.category }}");
  });

  it("docs/ci.md shows the permissions code scanning needs", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "ci.md"), "utf8");
    expect(doc).toContain("security-events: write");
    expect(doc).toContain("forks");
  });
});
