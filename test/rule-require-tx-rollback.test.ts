/** Focused cases for require-tx-rollback: the helper option and the defer suggestion. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const repo = (body: string, imports = '"context"\n\t"database/sql"\n\t"fmt"') =>
  `package store\n\nimport (\n\t${imports}\n)\n\ntype Repo struct{ db *sql.DB }\n\n${body}\n`;

tester.run("require-tx-rollback", plugin.rules["require-tx-rollback"] as never, {
  valid: [
    {
      name: "a configured helper rolls back",
      options: [{ rollbackHelpers: ["undo"] }],
      code: repo('func (r *Repo) Do(ctx context.Context) error {\n\ttx, err := r.db.BeginTx(ctx, nil)\n\tif err != nil {\n\t\treturn err\n\t}\n\tif _, err := tx.ExecContext(ctx, "DELETE FROM t"); err != nil {\n\t\treturn undo(tx, err)\n\t}\n\treturn tx.Commit()\n}'),
    },
  ],
  invalid: [
    {
      name: "the suggestion defers the rollback after the Begin check",
      code: repo('func (r *Repo) Do(ctx context.Context) error {\n\ttx, err := r.db.BeginTx(ctx, nil)\n\tif err != nil {\n\t\treturn err\n\t}\n\tif _, err := tx.ExecContext(ctx, "DELETE FROM t"); err != nil {\n\t\treturn err\n\t}\n\treturn tx.Commit()\n}', '"context"\n\t"database/sql"'),
      errors: [
        {
          messageId: "neverRolledBack",
          line: 11,
          suggestions: [
            {
              messageId: "addDeferRollback",
              data: { name: "tx", ctx: "" },
              output: repo('func (r *Repo) Do(ctx context.Context) error {\n\ttx, err := r.db.BeginTx(ctx, nil)\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer tx.Rollback()\n\tif _, err := tx.ExecContext(ctx, "DELETE FROM t"); err != nil {\n\t\treturn err\n\t}\n\treturn tx.Commit()\n}', '"context"\n\t"database/sql"'),
            },
          ],
        },
      ],
    },
  ],
});

