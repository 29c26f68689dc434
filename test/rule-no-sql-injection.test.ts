/** Focused cases for no-sql-injection: options and value positions. */
import { RuleTester } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { valuePosition } from "../rules/no-sql-injection.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const repo = (body: string, imports = '"context"\n\t"database/sql"\n\t"fmt"') =>
  `package store\n\nimport (\n\t${imports}\n)\n\ntype Repo struct{ db *sql.DB }\n\n${body}\n`;

tester.run("no-sql-injection", plugin.rules["no-sql-injection"] as never, {
  valid: [
    {
      name: "a table name from a parameter is an identifier: not reported by default",
      code: repo('func (r *Repo) Drop(ctx context.Context, table string) error {\n\t_, err := r.db.ExecContext(ctx, "DROP TABLE "+table)\n\treturn err\n}'),
    },
    {
      name: "nonConstant off: a parameter in a value position is not reported",
      options: [{ nonConstant: "off" }],
      code: repo('func (r *Repo) Find(ctx context.Context, name string) error {\n\t_, err := r.db.ExecContext(ctx, fmt.Sprintf("DELETE FROM t WHERE name = \'%s\'", name))\n\treturn err\n}'),
    },
    {
      name: "a configured sanitizer makes the value safe",
      options: [{ sanitizers: ["quoteIdent"] }],
      code: repo('func quoteIdent(s string) string { return s }\n\nfunc (r *Repo) Sort(ctx context.Context, col string) error {\n\t_, err := r.db.QueryContext(ctx, "SELECT id FROM t ORDER BY "+quoteIdent(col))\n\treturn err\n}'),
    },
  ],
  invalid: [
    {
      name: "nonConstant all: identifiers from parameters are reported too",
      options: [{ nonConstant: "all" }],
      code: repo('func (r *Repo) Drop(ctx context.Context, table string) error {\n\t_, err := r.db.ExecContext(ctx, "DROP TABLE "+table)\n\treturn err\n}'),
      errors: [{ messageId: "dynamic", line: 12 }],
    },
    {
      name: "a parameter in ORDER BY",
      code: repo('func (r *Repo) Sort(ctx context.Context, col string) error {\n\t_, err := r.db.QueryContext(ctx, "SELECT id FROM t ORDER BY "+col)\n\treturn err\n}'),
      errors: [{ messageId: "dynamicOrder", line: 12 }],
    },
    {
      name: "the data is a parameter of an exported function, quoted into the text",
      code: repo('func (r *Repo) Find(ctx context.Context, name string) error {\n\t_, err := r.db.ExecContext(ctx, fmt.Sprintf("DELETE FROM t WHERE name = \'%s\'", name))\n\treturn err\n}'),
      errors: [{ messageId: "dynamic", line: 12 }],
    },
  ],
});

describe("value positions", () => {
  it("tells value positions from identifiers", () => {
    expect(valuePosition("SELECT * FROM t WHERE name = '")).toBe(true);
    expect(valuePosition("SELECT * FROM t WHERE id = ")).toBe(true);
    expect(valuePosition("SELECT * FROM t WHERE id IN (1, ")).toBe(true);
    expect(valuePosition("SELECT * FROM ")).toBe(false);
    expect(valuePosition("SELECT a, ")).toBe(false);
    expect(valuePosition("SELECT * FROM t WHERE ")).toBe(false);
  });
});
