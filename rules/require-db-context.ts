/**
 * require-db-context (CWE-400): database work must carry the request's context, so that a
 * client that goes away, or a deadline, cancels the query instead of leaving it running.
 * GORM chains need `.WithContext(ctx)`; database/sql and sqlx need the `...Context` methods.
 */
import { anyWord, createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { contextInScope, type ContextInScope } from "../src/semantic/context.js";
import { importsOf } from "../src/semantic/imports.js";
import { CONTEXT_FIRST_METHODS, CONTEXT_FIRST_TYPES, CONTEXT_TWINS, CONTEXTLESS_METHODS, GORM_FINISHERS } from "../src/semantic/library.js";
import { packageOf } from "../src/semantic/package.js";
import { importedPackage, resolveLocal, typeOf } from "../src/semantic/types.js";

type Options = [{ reportWithoutContext?: boolean }];

/** Where a GORM chain's context comes from, walking back from a call. */
type ChainVerdict = "has-context" | "background" | "no-context" | "unknown";

function methodOf(call: GoNode): { name: string; operand: GoNode } | undefined {
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const name = field(fn, "field")?.text;
  const operand = field(fn, "operand");
  return name && operand ? { name, operand } : undefined;
}

function isBackgroundContext(expr: GoNode | undefined): boolean {
  expr = unparen(expr);
  if (expr?.type !== "call_expression") return false;
  const m = methodOf(expr);
  if (!m || (m.name !== "Background" && m.name !== "TODO")) return false;
  return importedPackage(m.operand, importsOf(rootOf(expr))) === "context";
}

/** Does a same-package scope function (`func(db *gorm.DB) *gorm.DB`) attach a context? */
function scopeAttachesContext(arg: GoNode): boolean {
  let fnNode: GoNode | undefined;
  const a = unparen(arg);
  if (a?.type === "func_literal") fnNode = a;
  else if (a?.type === "call_expression" || a?.type === "identifier") {
    const callee = a.type === "call_expression" ? unparen(field(a, "function")) : a;
    if (callee?.type === "identifier" && callee.text && !resolveLocal(callee)) fnNode = packageOf(rootOf(arg)).funcs.get(callee.text)?.node;
  }
  if (!fnNode) return false;
  let found = false;
  walk(fnNode, (n) => {
    if (n.type === "selector_expression" && field(n, "field")?.text === "WithContext") found = true;
    return !found;
  });
  return found;
}

/**
 * Walks a GORM chain back from `expr` (the operand of a finisher): method calls, then the
 * variable it started from (its definition and reassignments before the use).
 */
function chainVerdict(expr: GoNode | undefined, use: GoNode, depth = 0, seen = new Set<GoNode>()): ChainVerdict {
  expr = unparen(expr);
  if (!expr || depth > 12) return "unknown";
  if (expr.type === "call_expression") {
    const m = methodOf(expr);
    if (!m) return "unknown";
    if (m.name === "WithContext") return isBackgroundContext(field(expr, "arguments")?.children[0]) ? "background" : "has-context";
    if (m.name === "Session") {
      const text = field(expr, "arguments")?.children[0];
      let ctx = false;
      if (text) walk(text, (n) => {
        if (n.type === "keyed_element" && n.children[0]?.children[0]?.text === "Context") ctx = true;
        return !ctx;
      });
      if (ctx) return "has-context";
    }
    if (m.name === "Scopes" && (field(expr, "arguments")?.children ?? []).some(scopeAttachesContext)) return "has-context";
    if (typeOf(m.operand) !== "gorm.DB") {
      // A same-package helper returning *gorm.DB (`r.db()`, `Tx(ctx)`): trust it when it takes a context.
      return "unknown";
    }
    return chainVerdict(m.operand, use, depth + 1, seen);
  }
  if (expr.type === "identifier") {
    const b = resolveLocal(expr);
    if (!b) return "no-context"; // package-level *gorm.DB
    // `q = q.Where(...)`: the q on the right is the earlier value, already being looked at.
    if (seen.has(b.id)) return "no-context";
    seen.add(b.id);
    if (b.kind === "param" || b.kind === "receiver") {
      // A *gorm.DB handed in by the caller may carry its context (`func (r *Repo) WithTx(tx *gorm.DB)`).
      // Inside `db.Transaction(func(tx *gorm.DB) error {...})` the tx inherits the outer chain's context.
      return "unknown";
    }
    const verdicts: ChainVerdict[] = [];
    if (b.value) verdicts.push(chainVerdict(b.value, use, depth + 1, seen));
    // `q = q.Where(...)` reassignments between the declaration and the use.
    const fn = enclosingFunction(use);
    if (fn) {
      walk(fn, (n) => {
        if (n.range[0] >= use.range[0]) return false;
        if (n.type === "assignment_statement") {
          const left = field(n, "left")?.children ?? [];
          const right = field(n, "right")?.children ?? [];
          left.forEach((l, i) => {
            if (l.type === "identifier" && l.text === expr!.text && right[i]) verdicts.push(chainVerdict(right[i], use, depth + 1, seen));
          });
        }
        return true;
      });
    }
    if (verdicts.includes("has-context")) return "has-context";
    if (verdicts.includes("unknown")) return "unknown";
    if (verdicts.includes("background")) return "background";
    return "no-context";
  }
  if (expr.type === "selector_expression") return "no-context"; // a struct field: s.db, r.conn
  return "unknown";
}

export default createRule<Options, "gorm" | "gormBackground" | "sql" | "background" | "fixGorm" | "fixSql">({
  name: "require-db-context",
  // Sound: reports are GORM finishers, context-less methods with a ...Context twin, or calls whose first argument is
  // context.Background()/TODO(): all by method name.
  prefilter: anyWord([...GORM_FINISHERS, ...Object.keys(CONTEXT_TWINS), "Background", "TODO"]),
  meta: {
    type: "problem",
    fixable: "code",
    hasSuggestions: true,
    docs: {
      description: "Database queries in request handlers must carry the request context (GORM WithContext, the ...Context methods of database/sql and sqlx)",
      recommended: "error",
      security: {
        cwe: [400],
        securitySeverity: 5.3,
        precision: "high",
        frameworks: ["gorm", "database/sql", "sqlx", "pgx", "fiber", "gin", "echo", "net/http"],
        tags: ["denial-of-service", "reliability"],
      },
    },
    messages: {
      gorm: "GORM `{{method}}` runs without the request context: when the client disconnects or the deadline passes the query keeps running and holds a connection. Chain `.WithContext({{ctx}})` before it.",
      gormBackground: "GORM `{{method}}` runs with context.{{bg}}() although the request context `{{ctx}}` is available: the query is not cancelled with the request. Use `.WithContext({{ctx}})`.",
      sql: "`{{method}}` runs without the request context: when the client disconnects or the deadline passes the query keeps running and holds a connection. Use `{{twin}}({{ctx}}, ...)`.",
      background: "`{{method}}` gets context.{{bg}}() although the request context `{{ctx}}` is available: the query is not cancelled with the request. Pass `{{ctx}}`.",
      fixGorm: "Chain .WithContext({{ctx}})",
      fixSql: "Use {{twin}}({{ctx}}, ...)",
    },
    schema: [
      {
        type: "object",
        properties: { reportWithoutContext: { type: "boolean", description: "Also report where no request context is in scope (fix-free)." } },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ reportWithoutContext: false }],
  },
  create(context) {
    const reportWithoutContext = !!context.options[0]?.reportWithoutContext;
    const text = context.sourceCode.text;

    return {
      call_expression(call) {
        const m = methodOf(call);
        if (!m) return;
        const { name, operand } = m;

        if (GORM_FINISHERS.has(name) && typeOf(operand) === "gorm.DB") {
          const verdict = chainVerdict(operand, call);
          if (verdict === "background") reportBackgroundInChain(call, operand, name);
          if (verdict !== "no-context") return;
          const ctx = contextInScope(call);
          if (!ctx && !reportWithoutContext) return;
          const ctxText = ctx?.expr ?? "ctx";
          const insertAt = chainRootEnd(operand);
          context.report({
            node: call,
            loc: locOfMethod(call),
            messageId: "gorm",
            data: { method: name, ctx: ctxText },
            ...(ctx && insertAt !== undefined ? { fix: (fixer) => fixer.insertTextAfterRange([insertAt, insertAt], `.WithContext(${ctx.expr})`) } : {}),
          });
          return;
        }

        // Cheap name checks first: typing a receiver may load other packages.
        const contextless = name in CONTEXT_TWINS;
        const firstArgBackground = isBackgroundContext(field(call, "arguments")?.children[0]);
        if (!contextless && !firstArgBackground) return;
        const t = typeOf(operand);
        if (!t) return;
        if (contextless && CONTEXTLESS_METHODS[t]?.includes(name)) {
          const ctx = contextInScope(call);
          if (!ctx && !reportWithoutContext) return;
          const twin = CONTEXT_TWINS[name];
          context.report({
            node: call,
            loc: locOfMethod(call),
            messageId: "sql",
            data: { method: name, twin: twin.twin, ctx: ctx?.expr ?? "ctx" },
            ...(ctx ? { fix: (fixer) => sqlFix(fixer, call, twin, ctx) } : {}),
          });
          return;
        }
        if (firstArgBackground && CONTEXT_FIRST_TYPES.has(t) && (CONTEXT_FIRST_METHODS.has(name) || t.startsWith("redis."))) {
          const first = field(call, "arguments")?.children[0];
          if (!isBackgroundContext(first)) return;
          const ctx = contextInScope(call);
          if (!ctx) return;
          const bgName = methodOf(unparen(first)!)!.name;
          context.report({
            node: first!,
            messageId: "background",
            data: { method: name, bg: bgName, ctx: ctx.expr },
            fix: (fixer) => fixer.replaceText(first as never, ctx.expr),
          });
        }
      },
    };

    function reportBackgroundInChain(call: GoNode, operand: GoNode, method: string): void {
      // `.WithContext(context.Background())` inside a handler: the request context is ignored.
      let e: GoNode | undefined = unparen(operand);
      while (e?.type === "call_expression") {
        const m = methodOf(e);
        if (!m) return;
        if (m.name === "WithContext") {
          const arg = field(e, "arguments")?.children[0];
          if (isBackgroundContext(arg)) {
            const ctx = contextInScope(call);
            if (ctx) {
              context.report({
                node: arg!,
                messageId: "gormBackground",
                data: { method, bg: methodOf(unparen(arg)!)!.name, ctx: ctx.expr },
                fix: (fixer) => fixer.replaceText(arg as never, ctx.expr),
              });
            }
          }
          return;
        }
        e = unparen(m.operand);
      }
    }

    function sqlFix(fixer: Parameters<NonNullable<Parameters<typeof context.report>[0]["fix"]>>[0], call: GoNode, twin: { twin: string; extraArgs?: string }, ctx: ContextInScope) {
      const fn = unparen(field(call, "function"))!;
      const nameNode = field(fn, "field")!;
      const args = field(call, "arguments")!;
      const inner = text.slice(args.range[0] + 1, args.range[1] - 1);
      const parts = [ctx.expr, ...(inner.trim() ? [inner] : []), ...(twin.extraArgs ? [twin.extraArgs] : [])];
      return [fixer.replaceTextRange(nameNode.range, twin.twin), fixer.replaceTextRange(args.range, `(${parts.join(", ")})`)];
    }
  },
});

/** Report on the method name (`.Find`) so that a long chain points at the query that runs. */
function locOfMethod(call: GoNode) {
  const fn = unparen(field(call, "function"));
  const nameNode = fn ? field(fn, "field") : undefined;
  return nameNode ? { start: call.loc.start, end: nameNode.loc.end } : call.loc;
}

/** The end offset of the start of a GORM chain (`s.db` in `s.db.Where(..).Find(..)`), where WithContext goes. */
function chainRootEnd(expr: GoNode): number | undefined {
  let e: GoNode | undefined = unparen(expr);
  while (e?.type === "call_expression") {
    const m = methodOf(e);
    if (!m) return undefined;
    if (typeOf(m.operand) !== "gorm.DB") return e.range[1];
    e = unparen(m.operand);
  }
  return e?.range[1];
}
