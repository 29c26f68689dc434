/**
 * require-tx-rollback (CWE-404): a transaction that leaves the function on an error path without
 * Rollback keeps its connection (and its row locks) until the pool gives up on it. Covers
 * database/sql, sqlx and pgx transactions and GORM's `db.Begin()`; the managed forms
 * (`db.Transaction(func...)`, `pgx.BeginFunc`) roll back by themselves and are never reported.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { field, fieldAll, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { fileOfRoot, importedModel } from "../src/semantic/package.js";
import { importsOf } from "../src/semantic/imports.js";
import { TX_END_METHODS } from "../src/semantic/library.js";
import { recordRelated } from "../src/related.js";
import { analyzeUses, precededOnPath, transactionsDefinedBy, type ResourceUses } from "../src/semantic/resources.js";
import { importedPackage, resolveLocal, type Binding } from "../src/semantic/types.js";
import { functionOf } from "../src/semantic/values.js";
import { nextStatement, statementOf } from "./require-rows-close.js";

type Options = [{ rollbackHelpers?: string[] }];
type MessageIds = "neverRolledBack" | "notOnEveryPath" | "shadowedErr" | "addDeferRollback";

const RULE_ID = "goward/require-tx-rollback";

/** How a deferred Rollback covers the returns after it. */
type Cover = { kind: "full" } | { kind: "none" } | { kind: "err"; errName: string; binding: Binding | undefined; deferStmt: GoNode };

export default createRule<Options, MessageIds>({
  name: "require-tx-rollback",
  // No prefilter: a transaction begun by a same-package helper and ended by another (`tx := begin(); ...; finish(tx)`),
  // both declared in other files, is reported on a leaking return: only `return` is needed in this file's text.
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Transactions (database/sql, sqlx, pgx, GORM Begin) must be rolled back on every path that does not commit (defer tx.Rollback())",
      recommended: "error",
      security: {
        cwe: [404, 772],
        securitySeverity: 5.3,
        precision: "high",
        frameworks: ["database/sql", "sqlx", "pgx", "pgxpool", "gorm", "fiber", "gin", "echo", "net/http"],
        tags: ["resource-leak", "denial-of-service", "transactions"],
      },
    },
    messages: {
      neverRolledBack:
        "Transaction `{{name}}` is never rolled back: the return on line {{line}} leaves it open, holding a pooled connection and its locks until the pool is exhausted and other requests block. Add `defer {{name}}.Rollback({{ctx}})` right after Begin succeeds (it is a no-op after Commit){{managed}}.",
      notOnEveryPath:
        "Transaction `{{name}}` is rolled back on some error paths only: the return on line {{line}} leaves it open, holding a pooled connection and its locks. Add `defer {{name}}.Rollback({{ctx}})` right after Begin succeeds (it is a no-op after Commit){{managed}}.",
      shadowedErr:
        "The deferred rollback of `{{name}}` only runs when `{{err}}` is non-nil, but the return on line {{line}} returns the `{{err}}` declared on line {{decl}}, which shadows the one the deferred function checks: it still sees nil and the transaction stays open. Assign with `=` instead of `:=`, name the result `err`, or defer an unconditional `{{name}}.Rollback({{ctx}})`.",
      addDeferRollback: "Add `defer {{name}}.Rollback({{ctx}})` after Begin",
    },
    schema: [
      {
        type: "object",
        properties: {
          rollbackHelpers: {
            type: "array",
            items: { type: "string" },
            description: "Names of functions that roll back the transaction passed to them (besides same-package functions that visibly call Rollback).",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ rollbackHelpers: [] }],
  },
  create(context) {
    const helpers = new Set(context.options[0]?.rollbackHelpers ?? []);
    const text = context.sourceCode.text;
    const src = (n: GoNode) => text.slice(n.range[0], n.range[1]);

    const check = (stmt: GoNode) => {
      for (const def of transactionsDefinedBy(stmt)) {
        const uses = analyzeUses(def.id, def.origin, def.type);
        if (!uses) continue;
        // Returned to the caller, stored or sent somewhere: someone else ends it.
        if (uses.escapeSites.some((e) => e.kind !== "argument")) continue;
        // `defer finish(tx, &err)`: a deferred helper takes care of it.
        if (uses.escapeSites.some((e) => e.deferred)) continue;
        analyse(stmt, uses);
      }
    };

    function analyse(stmt: GoNode, uses: ResourceUses): void {
      const fn = uses.fn;
      const beginStmt = statementOf(stmt);
      const ends = endingCalls(uses);
      if (ends.length === 0 && !uses.methods.some((m) => m.name === TX_END_METHODS.rollback)) return; // never ended here: not ours to judge
      const errName = declaredErr(stmt);
      const beginCheck = beginErrCheck(beginStmt, uses.name, errName);
      const after = beginCheck ?? beginStmt;
      const cover = deferredCover(uses, fn);
      if (cover.kind === "full") return;

      // An earlier `if` whose branch rolls back and returns does not cover the path that falls through.
      const finished = (n: GoNode) => ends.some((c) => c.range[0] >= n.range[0] && c.range[1] <= n.range[1] && !exitsAfter(c, n));
      const scope = beginStmt.parent;
      const candidates = returnsIn(scope, fn).filter((r) => r.range[0] > after.range[1]);

      if (cover.kind === "err") {
        for (const ret of candidates) {
          if (ret.range[0] < cover.deferStmt.range[1]) continue;
          const shadow = shadowingErr(ret, cover);
          if (!shadow || precededOnPath(ret, fn, finished)) continue;
          report(uses, after, "shadowedErr", ret, { err: cover.errName, decl: String(shadow.id.loc.start.line) });
          return;
        }
        return;
      }
      const leak = candidates.find((ret) => !precededOnPath(ret, fn, finished));
      if (!leak) return;
      const rolledBack = uses.methods.some((m) => m.name === TX_END_METHODS.rollback) || ends.length > uses.methods.filter((m) => m.name === TX_END_METHODS.commit).length;
      report(uses, after, rolledBack ? "notOnEveryPath" : "neverRolledBack", leak, {});
    }

    function report(uses: ResourceUses, after: GoNode, messageId: MessageIds, ret: GoNode, extra: Record<string, string>): void {
      const ctx = rollbackArgs(uses);
      const lineStart = text.lastIndexOf("\n", after.range[0] - 1) + 1;
      const indent = /^[ \t]*/u.exec(text.slice(lineStart))![0];
      const data = { name: uses.name, ctx, line: String(ret.loc.start.line), managed: managedHint(uses), ...extra };
      context.report({
        node: uses.origin,
        messageId,
        data,
        suggest: [
          {
            messageId: "addDeferRollback",
            data: { name: uses.name, ctx },
            fix: (fixer) => fixer.insertTextAfterRange(after.range, `\n${indent}defer ${uses.name}.Rollback(${ctx})`),
          },
        ],
      });
      const file = fileOfRoot(rootOf(uses.origin))?.path ?? context.physicalFilename ?? context.filename;
      recordRelated(RULE_ID, file, uses.origin.loc.start.line, uses.origin.loc.start.column + 1, [
        { file, line: ret.loc.start.line, column: ret.loc.start.column + 1, message: "returns with the transaction still open" },
      ]);
    }

    /** Non-deferred calls that end the transaction: Rollback, Commit, or a helper taking it that does. */
    function endingCalls(uses: ResourceUses): GoNode[] {
      const out = uses.methods.filter((m) => !m.deferred && (m.name === TX_END_METHODS.rollback || m.name === TX_END_METHODS.commit)).map((m) => m.call);
      for (const e of uses.escapeSites) if (e.kind === "argument" && e.call && !e.deferred && endsTransaction(e.call)) out.push(e.call);
      return out;
    }

    function endsTransaction(call: GoNode): boolean {
      const callee = unparen(field(call, "function"));
      const name = callee?.type === "selector_expression" ? field(callee, "field")?.text : callee?.text;
      if (!name) return false;
      const full = callee?.type === "selector_expression" ? `${src(field(callee, "operand")!)}.${name}` : name;
      if (helpers.has(name) || helpers.has(full) || /rollback|abort/iu.test(name)) return true;
      let body = functionOf(callee);
      if (!body && callee?.type === "selector_expression") {
        // A function of another package of the module (`dbutil.Abort(tx, err)`).
        const root = rootOf(call);
        const pkg = importedPackage(field(callee, "operand"), importsOf(root));
        if (pkg && !importsOf(root).library(field(callee, "operand")!.text!)) body = importedModel(root, pkg)?.funcs.get(name)?.node;
      }
      if (!body) return false;
      let found = false;
      walk(body, (n) => {
        if (n.type === "selector_expression" && /^(?:Rollback|Commit)$/u.test(field(n, "field")?.text ?? "")) found = true;
        return !found;
      });
      return found;
    }

    /**
     * How the deferred Rollback calls cover the function's returns: unconditionally (or under a
     * condition goward does not model), only on panic (`if r := recover(); r != nil`), or only when
     * an error variable is non-nil.
     */
    function deferredCover(uses: ResourceUses, fn: GoNode): Cover {
      let cover: Cover = { kind: "none" };
      for (const m of uses.methods) {
        // A deferred Commit ends the transaction on every path too (committing on error is another matter).
        if (m.deferred && m.name === TX_END_METHODS.commit) return { kind: "full" };
        if (!m.deferred || m.name !== TX_END_METHODS.rollback) continue;
        const guards = guardsOf(m.call);
        if (guards.length === 0) return { kind: "full" };
        // `if r := recover(); r != nil { tx.Rollback() }` runs on panics only.
        if (guards.some((g) => g.recover)) continue;
        const errCheck = guards.map((g) => errNilCheck(g.cond)).find(Boolean);
        if (!errCheck) return { kind: "full" };
        const deferStmt = enclosingDefer(m.call);
        if (!deferStmt) return { kind: "full" };
        const binding = resolveLocal(errCheck);
        if (isNamedResult(fn, errCheck.text ?? "", binding)) return { kind: "full" };
        cover = { kind: "err", errName: errCheck.text ?? "err", binding, deferStmt };
      }
      return cover;
    }

    /**
     * Conditions of the `if` statements (inside the deferred function) whose taken branch holds
     * `call`; `recover` when the condition tests the result of recover() (directly or through the
     * `if` initialiser), so the branch runs on panics only.
     */
    function guardsOf(call: GoNode): Array<{ cond: GoNode; recover: boolean }> {
      const out: Array<{ cond: GoNode; recover: boolean }> = [];
      for (let child: GoNode = call, p = call.parent; p; child = p, p = p.parent) {
        if (p.type === "func_literal" || p.type === "defer_statement") break;
        if (p.type === "if_statement" && child !== field(p, "condition") && child !== field(p, "initializer")) {
          const cond = field(p, "condition");
          if (!cond) continue;
          const init = field(p, "initializer");
          const recover = child === field(p, "consequence") && (mentionsRecover(cond) || (!!init && mentionsRecover(init)) || testsRecovered(cond));
          // In the else branch the negation holds: keep the whole `if` as an opaque guard.
          out.push({ cond: child === field(p, "consequence") ? cond : p, recover });
        }
        if (p.type === "expression_case" || p.type === "default_case") out.push({ cond: p, recover: false });
      }
      return out;
    }

    /** `r != nil` where `r := recover()` was declared earlier in the deferred function. */
    function testsRecovered(cond: GoNode): boolean {
      const id = errNilCheck(cond);
      const b = id ? resolveLocal(id) : undefined;
      return !!b?.value && mentionsRecover(b.value);
    }

    function mentionsRecover(n: GoNode): boolean {
      let found = false;
      walk(n, (x) => {
        if (x.type === "call_expression" && unparen(field(x, "function"))?.text === "recover") found = true;
        return !found;
      });
      if (!found && n.type === "call_expression" && unparen(field(n, "function"))?.text === "recover") found = true;
      return found;
    }

    /** `err != nil` → the `err` identifier. */
    function errNilCheck(cond: GoNode): GoNode | undefined {
      const c = unparen(cond);
      if (c?.type !== "binary_expression" || field(c, "operator")?.text !== "!=") return undefined;
      const l = unparen(field(c, "left"));
      const r = unparen(field(c, "right"));
      if (l?.type === "identifier" && r?.type === "nil") return l;
      if (r?.type === "identifier" && l?.type === "nil") return r;
      return undefined;
    }

    /** A return whose error is a different variable of the same name than the one the deferred check reads. */
    function shadowingErr(ret: GoNode, cover: Extract<Cover, { kind: "err" }>): Binding | undefined {
      let found: Binding | undefined;
      walk(ret, (n) => {
        if (found || n.type === "func_literal") return false;
        if (n.type === "identifier" && n.text === cover.errName) {
          const b = resolveLocal(n);
          if (b && !sameVariable(b, cover.binding) && b.id.range[0] > cover.deferStmt.range[0]) found = b;
        }
        return !found;
      });
      return found;
    }

    function rollbackArgs(uses: ResourceUses): string {
      // pgx's Rollback takes a context: reuse the one Begin got.
      if (!uses.type.startsWith("pgx.")) return "";
      const first = field(uses.origin, "arguments")?.children[0];
      return first ? src(first) : "ctx";
    }

    function managedHint(uses: ResourceUses): string {
      if (uses.type === "gorm.DB") return ", or use `db.Transaction(func(tx *gorm.DB) error { ... })`, which rolls back on error and panic";
      if (uses.type === "pgx.Tx") return ", or use `pgx.BeginFunc`, which rolls back when the function returns an error";
      return "";
    }

    /** The `if` right after Begin (defers between are skipped) that checks Begin's own error: tx is nil there. */
    function beginErrCheck(beginStmt: GoNode, txName: string, errName: string | undefined): GoNode | undefined {
      let next = nextStatement(beginStmt);
      while (next?.type === "defer_statement") next = nextStatement(next);
      if (next?.type !== "if_statement") return undefined;
      const init = field(next, "initializer");
      const cond = field(next, "condition");
      if (!cond) return undefined;
      if (init) return new RegExp(`:=\\s*${txName}\\.Error\\s*$`, "u").test(src(init)) ? next : undefined;
      const c = src(cond);
      if (new RegExp(`\\b${txName}\\.Error\\s*!=\\s*nil`, "u").test(c)) return next;
      if (errName && new RegExp(`\\b${errName}\\s*!=\\s*nil`, "u").test(c)) return next;
      return undefined;
    }

    return { short_var_declaration: check, assignment_statement: check, var_spec: check };
  },
});

/** Inside `outer`, does a block holding `call` return after it (so its path ends there)? */
function exitsAfter(call: GoNode, outer: GoNode): boolean {
  for (let child: GoNode = call, p = call.parent; p && p !== outer; child = p, p = p.parent) {
    if (p.type !== "statement_list" && p.type !== "block") continue;
    const i = p.children.indexOf(child);
    if (p.children.slice(i + 1).some((s) => s.type === "return_statement")) return true;
  }
  return false;
}

/** The error variable declared or assigned next to the transaction (`tx, err := db.Begin()`). */
function declaredErr(stmt: GoNode): string | undefined {
  const left = stmt.type === "var_spec" ? fieldAll(stmt, "name") : field(stmt, "left")?.children ?? [];
  const last = left[left.length - 1];
  return left.length > 1 && last?.type === "identifier" && last.text !== "_" ? last.text : undefined;
}

/** Return statements inside `scope` that leave `fn` (not those of nested function literals). */
function returnsIn(scope: GoNode | null, fn: GoNode): GoNode[] {
  const out: GoNode[] = [];
  if (!scope) return out;
  walk(scope, (n) => {
    if (n.type === "func_literal" && n !== fn) return false;
    if (n.type === "return_statement") out.push(n);
    return true;
  });
  return out;
}

function enclosingDefer(n: GoNode): GoNode | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === "defer_statement") return p;
  return undefined;
}

/** Is the deferred check's `err` the function's named result (every `return x` assigns it)? */
function isNamedResult(fn: GoNode, name: string, binding: Binding | undefined): boolean {
  const result = field(fn, "result");
  if (result?.type !== "parameter_list") return false;
  const named = result.children.some((d) => d.type === "parameter_declaration" && fieldAll(d, "name").some((id) => id.text === name));
  if (!named) return false;
  if (!binding) return true;
  // `tx, err := db.Begin()` in the function's own block reuses the named result.
  const body = field(fn, "body");
  return binding.declaration.parent === body || binding.declaration.parent?.parent === body;
}

/** Two bindings of one name denote the same variable: same declaration, or `:=` redeclaring it in the same block. */
function sameVariable(a: Binding, b: Binding | undefined): boolean {
  if (!b) return false;
  if (a.id === b.id) return true;
  if (a.declaration.type !== "short_var_declaration") return false;
  const holder = (d: GoNode) => {
    let n: GoNode = d;
    while (n.parent && (n.type === "var_spec" || n.type === "var_spec_list")) n = n.parent;
    return n.parent;
  };
  const ba = holder(a.declaration);
  return !!ba && (ba.type === "statement_list" || ba.type === "block") && ba === holder(b.declaration);
}
