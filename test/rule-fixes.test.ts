/** Autofixes and suggestions of the core rules, through ESLint's RuleTester. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const gormFile = (body: string) => `package api

import (
	"context"
	"database/sql"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
)

type Server struct {
	db  *gorm.DB
	sql *sql.DB
}

${body}
`;

tester.run("require-db-context", plugin.rules["require-db-context"] as never, {
  valid: [
    { code: gormFile("func (s *Server) A(c *fiber.Ctx) error { return s.db.WithContext(c.UserContext()).Find(nil).Error }") },
    { code: gormFile("func (s *Server) job() { s.db.Find(nil); _ = context.Background() }") },
    { code: gormFile('func (s *Server) B(ctx context.Context) { _, _ = s.sql.QueryContext(ctx, "SELECT 1") }') },
  ],
  invalid: [
    {
      name: "GORM chain: WithContext inserted after the chain's root, with the fiber context",
      code: gormFile('func (s *Server) A(c *fiber.Ctx) error { return s.db.Where("a = ?", 1).Find(nil).Error }'),
      output: gormFile('func (s *Server) A(c *fiber.Ctx) error { return s.db.WithContext(c.UserContext()).Where("a = ?", 1).Find(nil).Error }'),
      errors: [{ messageId: "gorm" }],
    },
    {
      name: "database/sql: switched to the Context method, with the ctx parameter first",
      code: gormFile('func (s *Server) B(ctx context.Context) { _, _ = s.sql.Query("SELECT $1", 1) }'),
      output: gormFile('func (s *Server) B(ctx context.Context) { _, _ = s.sql.QueryContext(ctx, "SELECT $1", 1) }'),
      errors: [{ messageId: "sql" }],
    },
    {
      name: "Begin becomes BeginTx(ctx, nil)",
      code: gormFile("func (s *Server) C(ctx context.Context) { _, _ = s.sql.Begin() }"),
      output: gormFile("func (s *Server) C(ctx context.Context) { _, _ = s.sql.BeginTx(ctx, nil) }"),
      errors: [{ messageId: "sql" }],
    },
    {
      name: "Background replaced by the request context",
      code: gormFile("func (s *Server) D(c *fiber.Ctx) error { return s.db.WithContext(context.Background()).Find(nil).Error }"),
      output: gormFile("func (s *Server) D(c *fiber.Ctx) error { return s.db.WithContext(c.UserContext()).Find(nil).Error }"),
      errors: [{ messageId: "gormBackground" }],
    },
    {
      name: "without a context in scope, reported only with reportWithoutContext, and without a fix",
      code: gormFile("func (s *Server) job() { s.db.Find(nil) }"),
      options: [{ reportWithoutContext: true }],
      output: null,
      errors: [{ messageId: "gorm" }],
    },
  ],
});

const rowsFile = (body: string) => `package repo

import (
	"context"
	"database/sql"
)

func list(ctx context.Context, db *sql.DB) error {
${body}
}
`;

tester.run("require-rows-close", plugin.rules["require-rows-close"] as never, {
  valid: [{ code: rowsFile('\trows, err := db.QueryContext(ctx, "SELECT 1")\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer rows.Close()\n\treturn rows.Err()') }],
  invalid: [
    {
      name: "the suggestion inserts defer rows.Close() after the error check",
      code: rowsFile('\trows, err := db.QueryContext(ctx, "SELECT 1")\n\tif err != nil {\n\t\treturn err\n\t}\n\tfor rows.Next() {\n\t}\n\treturn rows.Err()'),
      errors: [
        {
          messageId: "neverClosed",
          suggestions: [
            {
              messageId: "addDeferClose",
              output: rowsFile('\trows, err := db.QueryContext(ctx, "SELECT 1")\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer rows.Close()\n\tfor rows.Next() {\n\t}\n\treturn rows.Err()'),
            },
          ],
        },
      ],
    },
  ],
});
