import { describe, expect, it } from "vitest";
import type { Linter } from "eslint";
import { lintWithEslint } from "./helpers.js";

const head = 'package p\n\nimport "github.com/gofiber/fiber/v2"\n\n';
/** A handler whose assertion sits on line 6 (after `head` and the signature). */
const handler = (before: string, assertionSuffix = "") =>
  `${head}func h(c *fiber.Ctx) error {\n${before}\tid := c.Locals("id").(int)${assertionSuffix}\n\treturn c.JSON(id)\n}\n`;

const rule = "goward/no-unchecked-assertion";
const findings = (msgs: Linter.LintMessage[]) => msgs.filter((m) => m.ruleId === rule).map((m) => m.line);
const problems = (msgs: Linter.LintMessage[]) => msgs.filter((m) => m.ruleId === null).map((m) => m.message);

describe("suppressions", () => {
  it("reports without a suppression (control)", () => {
    expect(findings(lintWithEslint(handler("")))).toEqual([6]);
  });

  it("//goward:ignore on the line above", () => {
    const msgs = lintWithEslint(handler("\t//goward:ignore no-unchecked-assertion set by the auth middleware\n"));
    expect(findings(msgs)).toEqual([]);
    expect(problems(msgs)).toEqual([]);
  });

  it("//goward:ignore trailing on the offending line", () => {
    const msgs = lintWithEslint(handler("", " //goward:ignore no-unchecked-assertion set by auth"));
    expect(findings(msgs)).toEqual([]);
    expect(problems(msgs)).toEqual([]);
  });

  it("a trailing //goward:ignore does not reach the next line", () => {
    const src = `${head}func h(c *fiber.Ctx) error {\n\ta := 1 //goward:ignore no-unchecked-assertion not here\n\tid := c.Locals("id").(int)\n\treturn c.JSON(id + a)\n}\n`;
    expect(findings(lintWithEslint(src))).toEqual([7]);
  });

  it("//goward:ignore with several rules, one of them ours", () => {
    const msgs = lintWithEslint(handler("\t//goward:ignore goward/no-unchecked-assertion,no-unchecked-assertion checked above\n"));
    expect(findings(msgs)).toEqual([]);
  });

  it("//goward:ignore without a reason is reported and not applied", () => {
    const msgs = lintWithEslint(handler("\t//goward:ignore no-unchecked-assertion\n"));
    expect(findings(msgs)).toEqual([7]);
    expect(problems(msgs)).toEqual([expect.stringMatching(/without a reason is not applied/u)]);
  });

  it("//goward:ignore naming an unknown rule is reported", () => {
    const msgs = lintWithEslint(handler("\t//goward:ignore no-such-rule because\n"));
    expect(findings(msgs)).toEqual([7]);
    expect(problems(msgs)).toEqual([expect.stringMatching(/unknown rule 'no-such-rule'/u)]);
  });

  it("//goward:file-ignore covers the whole file, also lines before it", () => {
    const src = `${handler("")}//goward:file-ignore no-unchecked-assertion legacy handlers, tracked in SEC-12\n`;
    const msgs = lintWithEslint(src);
    expect(findings(msgs)).toEqual([]);
    expect(problems(msgs)).toEqual([]);
  });

  it("ESLint's eslint-disable-next-line with a reason", () => {
    const msgs = lintWithEslint(handler(`\t// eslint-disable-next-line ${rule} -- set by auth middleware\n`));
    expect(findings(msgs)).toEqual([]);
    expect(problems(msgs)).toEqual([]);
  });

  it("ESLint's eslint-disable-next-line without a reason is applied but reported", () => {
    const msgs = lintWithEslint(handler(`\t// eslint-disable-next-line ${rule}\n`));
    expect(findings(msgs)).toEqual([]);
    expect(problems(msgs)).toEqual([expect.stringMatching(/Suppression without a reason/u)]);
  });

  it("golangci-lint's //nolint naming our rule, with a reason", () => {
    const msgs = lintWithEslint(handler("", " //nolint:no-unchecked-assertion // set by auth"));
    expect(findings(msgs)).toEqual([]);
    expect(problems(msgs)).toEqual([]);
  });

  it("//nolint for other linters only does not suppress goward", () => {
    const msgs = lintWithEslint(handler("", " //nolint:errcheck,gosec // other tools"));
    expect(findings(msgs)).toEqual([6]);
    expect(problems(msgs)).toEqual([]);
  });

  it("suppressed findings are kept as suppressed messages by the engine", async () => {
    const { engineFor } = await import("./helpers.js");
    const r = engineFor().lintText(handler("\t//goward:ignore no-unchecked-assertion set by auth\n"), "/p/h.go");
    expect(r.messages.filter((m) => m.ruleId === rule)).toEqual([]);
    expect(r.suppressedMessages.map((m) => [m.ruleId, m.line, m.suppressions[0]?.justification])).toEqual([[rule, 7, "set by auth"]]);
  });

  it("unused suppressions are reported on request", () => {
    const src = `${head}func h() {\n\t//goward:ignore no-unchecked-assertion nothing here\n\tx := 1\n\t_ = x\n}\n`;
    const off = lintWithEslint(src, [{ linterOptions: { reportUnusedDisableDirectives: "off" } }]);
    expect(off.filter((m) => /Unused/iu.test(m.message))).toEqual([]);
    const msgs = lintWithEslint(src, [{ linterOptions: { reportUnusedDisableDirectives: "warn" } }]);
    expect(msgs.filter((m) => /Unused eslint-disable directive/iu.test(m.message)).map((m) => m.line)).toEqual([6]);
  });
});
