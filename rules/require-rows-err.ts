/**
 * require-rows-err (CWE-754): `for rows.Next()` stops on the last row *and* on an error
 * (a dropped connection, a cancelled context, a scan of a bad value). Only `rows.Err()` tells
 * the two apart; without it a truncated result is served as if it were complete.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { ownedRowsDefinedBy } from "../src/semantic/resources.js";

/** The loop or if statement whose condition contains the Next() call. */
function iterationOf(call: GoNode): GoNode {
  let n = call;
  while (n.parent && n.parent.type !== "for_statement" && n.parent.type !== "if_statement" && n.parent.type !== "block") n = n.parent;
  return n.parent && n.parent.type !== "block" ? n.parent : call;
}

export default createRule<[], "notChecked" | "ignored">({
  name: "require-rows-err",
  // Sound: only rows iterated with `rows.Next()` are reported.
  prefilter: /\bNext\b/u,
  meta: {
    type: "problem",
    docs: {
      description: "After iterating rows (database/sql, sqlx, pgx, GORM), rows.Err() must be checked",
      recommended: "error",
      security: {
        cwe: [754],
        securitySeverity: 4.3,
        precision: "high",
        frameworks: ["database/sql", "sqlx", "pgx", "gorm"],
        tags: ["error-handling", "integrity"],
      },
    },
    messages: {
      notChecked:
        "The loop over `{{name}}` ends on the last row and on an error alike, and `{{name}}.Err()` is never checked after it: a dropped connection or cancelled query silently yields a truncated result. Check `if err := {{name}}.Err(); err != nil` after the loop.",
      ignored: "`{{name}}.Err()` is called but its result is discarded: a failed iteration still looks like a complete result. Return or handle the error.",
    },
    schema: [],
  },
  create(context) {
    const check = (stmt: GoNode) => {
      for (const uses of ownedRowsDefinedBy(stmt)) {
        const nexts = uses.methods.filter((m) => m.name === "Next" && !m.deferred);
        if (nexts.length === 0) continue;
        const loops = nexts.map((n) => iterationOf(n.call));
        const lastLoop = loops.reduce((a, b) => (a.range[1] > b.range[1] ? a : b));
        const errs = uses.methods.filter((m) => m.name === "Err" && (m.deferred || m.call.range[0] >= lastLoop.range[1] || within(m.call, lastLoop)));
        const checked = errs.filter((m) => !m.discarded);
        if (checked.length) continue;
        if (errs.length) {
          context.report({ node: errs[0].call, messageId: "ignored", data: { name: uses.name } });
          continue;
        }
        context.report({ node: lastLoop, messageId: "notChecked", data: { name: uses.name } });
      }
    };
    return { short_var_declaration: check, assignment_statement: check, var_spec: check };
  },
});

/** An Err() check inside the loop after it ended (`if !rows.Next() { if err := rows.Err() ... }`). */
function within(node: GoNode, loop: GoNode): boolean {
  if (loop.type !== "if_statement") return false;
  return node.range[0] >= loop.range[0] && node.range[1] <= loop.range[1];
}
