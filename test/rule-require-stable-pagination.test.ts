/** Focused cases for require-stable-pagination: the limit option, the GORM suggestion, SQL scanning. */
import { RuleTester } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { sqlPaging } from "../rules/require-stable-pagination.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const repo = (body: string, imports = '"context"\n\t"database/sql"\n\t"fmt"') =>
  `package store\n\nimport (\n\t${imports}\n)\n\ntype Repo struct{ db *sql.DB }\n\n${body}\n`;

tester.run("require-stable-pagination", plugin.rules["require-stable-pagination"] as never, {
  valid: [
    {
      name: "LIMIT without OFFSET is not reported by default",
      code: repo('func (r *Repo) Latest(ctx context.Context) error {\n\t_, err := r.db.QueryContext(ctx, "SELECT id FROM t LIMIT 10")\n\treturn err\n}'),
    },
  ],
  invalid: [
    {
      name: "reportLimitWithoutOffset: LIMIT alone is reported",
      options: [{ reportLimitWithoutOffset: true }],
      code: repo('func (r *Repo) Latest(ctx context.Context) error {\n\t_, err := r.db.QueryContext(ctx, "SELECT id FROM t LIMIT 10")\n\treturn err\n}'),
      errors: [{ messageId: "sqlLimit", line: 12 }],
    },
    {
      name: "GORM: the suggestion orders by the primary key",
      code: 'package store\n\nimport "gorm.io/gorm"\n\nvar db *gorm.DB\n\nfunc List(o int, out any) {\n\tdb.Offset(o).Limit(10).Find(out)\n}\n',
      errors: [
        {
          messageId: "gorm",
          line: 8,
          suggestions: [{ messageId: "addOrder", data: { method: "Find" }, output: 'package store\n\nimport "gorm.io/gorm"\n\nvar db *gorm.DB\n\nfunc List(o int, out any) {\n\tdb.Offset(o).Limit(10).Order("id").Find(out)\n}\n' }],
        },
      ],
    },
  ],
});

describe("SQL scanning", () => {
  it("finds top-level paging and ordering only", () => {
    expect(sqlPaging("SELECT * FROM t LIMIT 10 OFFSET $1")).toEqual({ offset: true, limit: true, orderBy: false });
    expect(sqlPaging("SELECT row_number() OVER (ORDER BY a) FROM t LIMIT 10 OFFSET 5").orderBy).toBe(false);
    expect(sqlPaging("SELECT * FROM (SELECT * FROM t ORDER BY a) s LIMIT ?, ?")).toMatchObject({ offset: true, orderBy: false });
    expect(sqlPaging("SELECT * FROM t -- ORDER BY a\nLIMIT 1 OFFSET 2").orderBy).toBe(false);
    expect(sqlPaging("SELECT * FROM t WHERE note = 'ORDER BY' LIMIT 1 OFFSET 2").orderBy).toBe(false);
    expect(sqlPaging("SELECT * FROM t ORDER BY a LIMIT 1 OFFSET 2").orderBy).toBe(true);
    expect(sqlPaging("SELECT * FROM t LIMIT 10 OFFSET 0").offset).toBe(false);
  });
});
