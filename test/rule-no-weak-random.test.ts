/** no-weak-random: the crypto/rand suggestion, crypto/rand under the same local name, and the names option. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RuleTester } from "eslint";
import { describe, expect, it, vi } from "vitest";
import plugin from "../src/index.js";
import { engineFor } from "./helpers.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

/**
 * Lints `file` and returns the names of the listeners no-weak-random handed ESLint for it: none
 * when its gate decided the package cannot produce a finding (the findings alone cannot show
 * that: a package without math/rand has none either way).
 */
function listenersFor(engine: ReturnType<typeof engineFor>, file: string): { listeners: string[]; messages: unknown[] } {
  const rule = plugin.rules["no-weak-random"] as unknown as { create: (...args: unknown[]) => Record<string, unknown> };
  const spy = vi.spyOn(rule, "create");
  try {
    const r = engine.lintFile(file);
    expect(spy).toHaveBeenCalledTimes(1);
    return { listeners: Object.keys(spy.mock.results[0].value as object), messages: r === "generated" ? [] : r.messages };
  } finally {
    spy.mockRestore();
  }
}

const readOnly = (path: string) => `package auth

import (
	"encoding/hex"
	"${path}"
)

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}
`;

const seededToo = `package auth

import (
	"encoding/hex"
	"math/rand"
	"time"
)

func init() { rand.Seed(time.Now().UnixNano()) }

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}
`;

const voucher = `package shop

import "math/rand"

func issue() int {
	voucherCode := rand.Intn(1000000)
	return voucherCode
}
`;

tester.run("no-weak-random", plugin.rules["no-weak-random"] as never, {
  valid: [
    { name: "crypto/rand is the same local name and is fine", code: readOnly("crypto/rand") },
    { name: "a voucher is not a known secret word", code: voucher },
  ],
  invalid: [
    {
      name: "math/rand used only for Read: importing crypto/rand is suggested",
      code: readOnly("math/rand"),
      errors: [{ messageId: "weak", line: 10, suggestions: [{ messageId: "useCryptoRead", output: readOnly("crypto/rand") }] }],
    },
    {
      name: "math/rand also seeded: no import swap",
      code: seededToo,
      errors: [{ messageId: "weak", line: 13, suggestions: [] }],
    },
    {
      name: "the names option adds a word",
      code: voucher,
      options: [{ names: ["voucher"] }],
      errors: [{ messageId: "weak", line: 6 }],
    },
  ],
});

describe("no-weak-random outside a Go module", () => {
  it("still finds a helper in another file of the package; a package without math/rand is not analysed", () => {
    // No go.mod above the temporary directory: callees resolve within the package only.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-nomod-"));
    const pkg = path.join(dir, "auth");
    fs.mkdirSync(pkg);
    fs.writeFileSync(path.join(pkg, "rnd.go"), 'package auth\n\nimport "math/rand"\n\nfunc randomString(n int) string {\n\tb := make([]byte, n)\n\tfor i := range b {\n\t\tb[i] = byte(\'a\' + rand.Intn(26))\n\t}\n\treturn string(b)\n}\n');
    fs.writeFileSync(path.join(pkg, "reset.go"), "package auth\n\nfunc newResetToken() string {\n\tresetToken := randomString(32)\n\treturn resetToken\n}\n");
    const other = path.join(dir, "plain");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "reset.go"), "package plain\n\nfunc newResetToken() string {\n\tresetToken := randomString(32)\n\treturn resetToken\n}\n\nfunc randomString(n int) string { return string(make([]byte, n)) }\n");
    const engine = engineFor("no-weak-random", dir);
    const found = engine.lintFile(path.join(pkg, "reset.go"));
    expect(found !== "generated" && found.messages.map((m) => [m.ruleId, m.line])).toEqual([["goward/no-weak-random", 4]]);
    // The package that imports math/rand is analysed; the one that does not is skipped by the gate.
    expect(listenersFor(engine, path.join(pkg, "rnd.go")).listeners.length).toBeGreaterThan(0);
    expect(listenersFor(engine, path.join(other, "reset.go"))).toEqual({ listeners: [], messages: [] });
    fs.rmSync(dir, { recursive: true });
  });
});

describe("no-weak-random in a Go module", () => {
  it("follows a helper in another package of the module; a package importing neither math/rand nor the module is not analysed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-mod-"));
    fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/app\n\ngo 1.22\n");
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write("internal/rnd/rnd.go", 'package rnd\n\nimport "math/rand"\n\nfunc String(n int) string {\n\tb := make([]byte, n)\n\tfor i := range b {\n\t\tb[i] = byte(\'a\' + rand.Intn(26))\n\t}\n\treturn string(b)\n}\n');
    // The import of the module's package is in a sibling file: the gate looks at the whole package.
    write("auth/deps.go", 'package auth\n\nimport "example.com/app/internal/rnd"\n\nvar randomString = rnd.String\n\nfunc helper(n int) string { return rnd.String(n) }\n');
    write("auth/reset.go", "package auth\n\nfunc newResetToken() string {\n\tresetToken := helper(32)\n\treturn resetToken\n}\n");
    write("plain/reset.go", "package plain\n\nfunc newResetToken() string {\n\tresetToken := randomString(32)\n\treturn resetToken\n}\n\nfunc randomString(n int) string { return string(make([]byte, n)) }\n");
    const engine = engineFor("no-weak-random", dir);
    const found = engine.lintFile(path.join(dir, "auth", "reset.go"));
    expect(found !== "generated" && found.messages.map((m) => [m.ruleId, m.line])).toEqual([["goward/no-weak-random", 4]]);
    // auth imports no math/rand but another package of the module: analysed. plain imports neither: skipped.
    expect(listenersFor(engine, path.join(dir, "auth", "deps.go")).listeners.length).toBeGreaterThan(0);
    expect(listenersFor(engine, path.join(dir, "plain", "reset.go"))).toEqual({ listeners: [], messages: [] });
    fs.rmSync(dir, { recursive: true });
  });
});
