/** The options of no-fatal-outside-main, no-ignored-error and no-hardcoded-secret, through ESLint's RuleTester. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });
const rule = (id: string) => plugin.rules[id] as never;

const initFatal = 'package worker\n\nimport "log"\n\nfunc init() {\n\tlog.Fatal("WORKER_QUEUE is required")\n}\n';
const helperFatal = 'package cmdutil\n\nimport "os"\n\nfunc Die() {\n\tos.Exit(2)\n}\n';

tester.run("no-fatal-outside-main", rule("no-fatal-outside-main"), {
  valid: [
    { name: "allowInit accepts init()", code: initFatal, options: [{ allowInit: true }] },
    { name: "allowPackages accepts a named package", code: helperFatal, options: [{ allowPackages: ["cmdutil"] }] },
    { name: "cmd is allowed by default", code: helperFatal.replace("cmdutil", "cmd") },
  ],
  invalid: [
    { name: "init() is reported by default", code: initFatal, errors: [{ messageId: "fatal", line: 6 }] },
    { name: "other packages stay reported", code: helperFatal, options: [{ allowPackages: ["tools"] }], errors: [{ messageId: "exit", line: 6 }] },
    {
      name: "replacing allowPackages drops the cmd default",
      code: helperFatal.replace("cmdutil", "cmd"),
      options: [{ allowPackages: [] }],
      errors: [{ messageId: "exit", line: 6 }],
    },
  ],
});

const atoi = 'package api\n\nimport "strconv"\n\nfunc Page(q string) int {\n\tp, _ := strconv.Atoi(q)\n\treturn p\n}\n';
const rollback = 'package api\n\nimport "database/sql"\n\nfunc Do(db *sql.DB) {\n\ttx, _ := db.Begin()\n\t_ = tx.Rollback()\n\t_ = tx.Commit()\n}\n';

tester.run("no-ignored-error", rule("no-ignored-error"), {
  valid: [
    { name: "allow by package function", code: atoi, options: [{ allow: ["strconv.Atoi"] }] },
    { name: "allow by type and method", code: rollback, options: [{ allow: ["sql.Tx.Rollback", "sql.Tx.Commit"] }] },
  ],
  invalid: [
    { name: "parse error dropped", code: atoi, errors: [{ messageId: "parse", line: 6 }] },
    { name: "Rollback is allowed by default, Commit is not", code: rollback, errors: [{ messageId: "commit", line: 8 }] },
    {
      name: "an explicit allow list replaces the default",
      code: rollback,
      options: [{ allow: ["Commit"] }],
      errors: [{ messageId: "db", line: 7 }],
    },
  ],
});
