/**
 * require-rows-close (CWE-772): rows from database/sql, sqlx, pgx or GORM `.Rows()` hold a
 * pooled connection until closed. Rows never closed, or closed only on the happy path, leak
 * connections until the pool is exhausted.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { field } from "../src/semantic/ast.js";
import { ownedRowsDefinedBy, returnsBetween } from "../src/semantic/resources.js";

/** The statement that holds `node` directly in a block. */
export function statementOf(node: GoNode): GoNode {
  let n = node;
  while (n.parent && n.parent.type !== "block" && n.parent.type !== "statement_list") n = n.parent;
  return n;
}

export function nextStatement(stmt: GoNode): GoNode | undefined {
  const siblings = stmt.parent?.children ?? [];
  return siblings[siblings.indexOf(stmt) + 1];
}

/** `if err != nil { return ... }` right after the query: rows are nil there, nothing to close. */
export function isErrCheck(stmt: GoNode | undefined, text: string): boolean {
  if (stmt?.type !== "if_statement") return false;
  const cond = field(stmt, "condition");
  return !!cond && /\berr\w*\s*!=\s*nil\b/u.test(text.slice(cond.range[0], cond.range[1]));
}

export default createRule<[], "neverClosed" | "notOnEveryPath" | "addDeferClose">({
  name: "require-rows-close",
  // No prefilter: rows returned by a same-package helper declared in another file (`rows, err := list(ctx)`) are
  // reported when never closed: nothing in this file's text needs to name them.
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Rows from database/sql, sqlx, pgx and GORM must be closed on every path (defer rows.Close())",
      recommended: "error",
      security: {
        cwe: [772, 400],
        securitySeverity: 5.3,
        precision: "high",
        frameworks: ["database/sql", "sqlx", "pgx", "gorm"],
        tags: ["resource-leak", "denial-of-service"],
      },
    },
    messages: {
      neverClosed:
        "`{{name}}` is never closed: each call leaks a pooled database connection until the pool is exhausted and every query blocks. Add `defer {{name}}.Close()` after the error check.",
      notOnEveryPath:
        "`{{name}}` is closed only on the happy path: the return on line {{line}} leaves it open and leaks a pooled connection. Use `defer {{name}}.Close()` right after the error check.",
      addDeferClose: "Add `defer {{name}}.Close()` after the error check",
    },
    schema: [],
  },
  create(context) {
    const text = context.sourceCode.text;
    const check = (stmt: GoNode) => {
      for (const uses of ownedRowsDefinedBy(stmt)) {
        const closes = uses.methods.filter((m) => m.name === "Close");
        if (closes.some((c) => c.deferred)) continue;
        const defStmt = statementOf(stmt);
        const errCheck = nextStatement(defStmt);
        const after = isErrCheck(errCheck, text) ? errCheck! : defStmt;
        const lineStart = text.lastIndexOf("\n", defStmt.range[0] - 1) + 1;
        const indent = /^[ \t]*/u.exec(text.slice(lineStart))![0];
        const suggest = [
          {
            messageId: "addDeferClose" as const,
            data: { name: uses.name },
            fix: (fixer: { insertTextAfterRange(r: [number, number], t: string): unknown }) =>
              fixer.insertTextAfterRange(after.range, `\n${indent}defer ${uses.name}.Close()`),
          },
        ];
        if (closes.length === 0) {
          context.report({ node: uses.origin, messageId: "neverClosed", data: { name: uses.name }, suggest: suggest as never });
          continue;
        }
        const firstClose = closes.reduce((a, b) => (a.call.range[0] < b.call.range[0] ? a : b));
        // `return rows.Close()` (or `return n, rows.Close()`) closes on its way out.
        const closesInReturn = (r: GoNode) => closes.some((c) => c.call.range[0] >= r.range[0] && c.call.range[1] <= r.range[1]);
        const leaks = returnsBetween(uses.fn, after.range[1], firstClose.call.range[0]).filter((r) => !closesInReturn(r));
        if (leaks.length) {
          context.report({
            node: uses.origin,
            messageId: "notOnEveryPath",
            data: { name: uses.name, line: String(leaks[0].loc.start.line) },
            suggest: suggest as never,
          });
        }
      }
    };
    return { short_var_declaration: check, assignment_statement: check, var_spec: check };
  },
});
