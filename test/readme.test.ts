import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { replaceTable } from "../src/rules-table.js";
import { rules } from "../src/rules.js";
import { ROOT } from "./helpers.js";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README", () => {
  it("has the rules table generated from rule metadata (run `npm run readme` when this fails)", () => {
    expect(readme).toBe(replaceTable(readme));
  });

  it("keeps exactly the two set-up commands, and .ci/run runs the README's test command", () => {
    const blocks = [...readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/gu)].map((m) => m[1].trim());
    expect(blocks).toContain("npm ci && npx goward fixtures/");
    expect(blocks).toContain("npm ci && npm test");
    const ci = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8");
    expect(ci).toMatch(/^npm ci$/mu);
    expect(ci).toMatch(/^npm test$/mu);
  });

  it("every rule has its documentation page with the required sections", () => {
    for (const id of Object.keys(rules)) {
      const doc = fs.readFileSync(path.join(ROOT, "docs", "rules", `${id}.md`), "utf8");
      expect(doc.startsWith(`# ${id}\n`), id).toBe(true);
      for (const section of ["## Why", "## Bad", "## Good", "## How to fix", "## Options", "## Suppressing"]) {
        expect(doc, `${id}: ${section}`).toContain(section);
      }
      expect(doc).toMatch(/CWE-\d+/u);
    }
  });
});
