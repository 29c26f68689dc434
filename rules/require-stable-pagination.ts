/**
 * require-stable-pagination: a page read with OFFSET (GORM `Offset`, SQL `OFFSET`) needs an
 * ORDER BY. Without one the database returns rows in whatever order the plan produces, which
 * changes between requests (parallel scans, updates, vacuum): page 2 repeats rows of page 1 and
 * other rows are never shown. Exports and sync jobs that page through a table silently miss data.
 *
 * GORM chains are followed back from the finisher through split statements (`q = q.Where(...)`)
 * and through scopes (`db.Scopes(Paginate(c))`, resolved in the package and the module); an
 * `Order` anywhere in the chain or its scopes counts (precision first). A chain that starts from
 * a parameter is the caller's business and is not reported. SQL text is checked for a top-level
 * ORDER BY: ones inside `OVER (...)` or subqueries do not count.
 */
import { anyWord, createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { GORM_FRAGMENT_METHODS, GORM_PAGE_FINISHERS, SQL_TEXT_METHODS, SQL_WRITE_METHODS } from "../src/semantic/library.js";
import { importedModel, ownerOf, packageOf } from "../src/semantic/package.js";
import { importedPackage, resolveLocal, typeOf } from "../src/semantic/types.js";
import { constValue, definitionOf } from "../src/semantic/values.js";
import { SqlText, setCurrentText, sqlArgument, valuePosition } from "./no-sql-injection.js";

type Options = [{ reportLimitWithoutOffset?: boolean }];
type MessageIds = "gorm" | "gormLimit" | "sql" | "sqlLimit" | "addOrder";

interface ChainFacts {
  /** The Offset call that decides the page (the last one applied), when it is not Offset(0)/Offset(-1). */
  offset?: GoNode;
  /** A Limit call (for the limit-only option). */
  limit?: GoNode;
  /** Whether the nearest Offset/Limit was already seen (a later Offset(-1) cancels earlier ones). */
  offsetDecided: boolean;
  limitDecided: boolean;
  order: boolean;
  /** Something goward cannot see through: a parameter, an unresolved scope. */
  unknown: boolean;
  raw: boolean;
  joins: boolean;
  /** The chain starts from a *gorm.DB parameter. */
  fromParameter: boolean;
  /** A Model or Table call: the function starts a query of its own. */
  model: boolean;
}

const fresh = (): ChainFacts => ({ offsetDecided: false, limitDecided: false, order: false, unknown: false, raw: false, joins: false, fromParameter: false, model: false });

function methodOf(call: GoNode): { name: string; operand: GoNode } | undefined {
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const name = field(fn, "field")?.text;
  const operand = field(fn, "operand");
  return name && operand ? { name, operand } : undefined;
}

/** A page-changing argument: not the constants 0 and -1 (which cancel a previous Offset/Limit). */
function pages(arg: GoNode | undefined): boolean {
  const v = constValue(arg);
  if (typeof v === "number") return v > 0;
  const a = unparen(arg);
  if (a?.type === "unary_expression" && field(a, "operator")?.text === "-") return false;
  return !!a;
}

/** The function a GORM scope argument stands for: a literal, a package function, or a factory call's body. */
function scopeBody(arg: GoNode): GoNode | undefined {
  const a = unparen(arg);
  if (!a) return undefined;
  if (a.type === "func_literal") return a;
  const root = rootOf(a);
  if (a.type === "identifier") {
    if (resolveLocal(a)) {
      const def = definitionOf(a);
      return def?.type === "func_literal" ? def : def?.type === "call_expression" ? scopeBody(def) : undefined;
    }
    return packageOf(root).funcs.get(a.text ?? "")?.node;
  }
  if (a.type === "call_expression") {
    const callee = unparen(field(a, "function"));
    if (callee?.type === "identifier") return resolveLocal(callee) ? undefined : packageOf(root).funcs.get(callee.text ?? "")?.node;
    if (callee?.type === "selector_expression") {
      const operand = field(callee, "operand");
      const name = field(callee, "field")?.text ?? "";
      const pkg = importedPackage(operand, importsOf(root));
      if (pkg) return importsOf(root).library(operand!.text!) ? undefined : importedModel(root, pkg)?.funcs.get(name)?.node;
      const t = typeOf(operand);
      const owner = t ? ownerOf(root, t) : undefined;
      return owner?.model.method(owner.local, name)?.node;
    }
  }
  return undefined;
}

/** What a scope function does to the chain: Order, Offset, Limit calls anywhere in its body. */
function scopeFacts(arg: GoNode, facts: ChainFacts): void {
  const body = scopeBody(arg);
  if (!body) {
    facts.unknown = true;
    return;
  }
  walk(body, (n) => {
    if (n.type !== "call_expression") return true;
    const m = methodOf(n);
    if (!m) return true;
    const a = field(n, "arguments")?.children[0];
    if (m.name === "Order") facts.order = true;
    else if (m.name === "Offset" && !facts.offsetDecided) {
      facts.offsetDecided = true;
      if (pages(a)) facts.offset = n;
    } else if (m.name === "Limit" && !facts.limitDecided) {
      facts.limitDecided = true;
      if (pages(a)) facts.limit = n;
    } else if (m.name === "Scopes") for (const s of field(n, "arguments")?.children ?? []) if (unparen(s) !== unparen(arg)) scopeFacts(s, facts);
    return true;
  });
}

/** Does a helper that returns a *gorm.DB order it (`func (r *Repo) base() *gorm.DB { return r.db.Order("id") }`)? */
function helperOrders(call: GoNode): boolean {
  const body = scopeBody(call);
  let found = false;
  if (body) walk(body, (n) => {
    if (n.type === "selector_expression" && field(n, "field")?.text === "Order") found = true;
    return !found;
  });
  return found;
}

/** Walks a GORM chain back from `expr` (the operand of a finisher), through locals and their reassignments. */
function chainFacts(expr: GoNode | undefined, use: GoNode, facts: ChainFacts, seen: Set<GoNode>, depth = 0): void {
  const e = unparen(expr);
  if (!e || depth > 16) {
    facts.unknown = true;
    return;
  }
  if (e.type === "call_expression") {
    const m = methodOf(e);
    if (!m || typeOf(m.operand) !== "gorm.DB") {
      // A helper returning *gorm.DB (`global.DB()`, `r.base()`): the start of the chain.
      if (helperOrders(e)) facts.order = true;
      return;
    }
    const args = field(e, "arguments")?.children ?? [];
    switch (m.name) {
      case "Order":
        facts.order = true;
        break;
      case "Offset":
        if (!facts.offsetDecided) {
          facts.offsetDecided = true;
          if (pages(args[0])) facts.offset = e;
        }
        break;
      case "Limit":
        if (!facts.limitDecided) {
          facts.limitDecided = true;
          if (pages(args[0])) facts.limit = e;
        }
        break;
      case "Scopes":
        for (const a of args) scopeFacts(a, facts);
        break;
      case "Clauses":
        // clause.OrderBy{...}, clause.OrderByColumn: ordering without Order.
        if (args.some(mentionsOrderBy)) facts.order = true;
        break;
      case "Raw":
        facts.raw = true;
        break;
      case "Joins":
      case "InnerJoins":
        facts.joins = true;
        break;
      case "Model":
      case "Table":
        facts.model = true;
        break;
      default:
        break;
    }
    chainFacts(m.operand, use, facts, seen, depth + 1);
    return;
  }
  if (e.type === "identifier") {
    const b = resolveLocal(e);
    if (!b) return; // a package-level *gorm.DB: the bare handle
    if (seen.has(b.id)) return;
    seen.add(b.id);
    if (b.kind === "param") {
      facts.fromParameter = true; // the caller may have ordered it, unless a Model/Table call starts a query here
      return;
    }
    if (b.kind === "receiver" || b.kind === "range" || b.kind === "type-switch") {
      facts.unknown = true;
      return;
    }
    // Each definition is a path of its own: the Offset decided on one does not cancel another's.
    const branches: ChainFacts[] = [];
    const follow = (value: GoNode) => {
      const f: ChainFacts = { ...facts };
      chainFacts(value, use, f, seen, depth + 1);
      branches.push(f);
    };
    if (b.value && b.values === b.names) follow(b.value);
    else if (b.value) facts.unknown = true;
    const fn = enclosingFunction(use);
    if (fn) {
      walk(fn, (n) => {
        if (n.range[0] >= use.range[0]) return false;
        if (n.type === "assignment_statement" && field(n, "operator")?.text === "=") {
          const left = field(n, "left")?.children ?? [];
          const right = field(n, "right")?.children ?? [];
          left.forEach((l, i) => {
            if (l.type === "identifier" && l.text === e.text && resolveLocal(l)?.id === b.id && right[i] && left.length === right.length) follow(right[i]);
          });
        }
        return true;
      });
    }
    for (const f of branches) {
      if (f.order) facts.order = true;
      if (f.unknown) facts.unknown = true;
      if (f.raw) facts.raw = true;
      if (f.joins) facts.joins = true;
      if (f.fromParameter) facts.fromParameter = true;
      if (f.model) facts.model = true;
      if (f.offset && !facts.offset) facts.offset = f.offset;
      if (f.limit && !facts.limit) facts.limit = f.limit;
    }
    return;
  }
  // A struct field or another package's var (`r.db`, `global.DB`): the bare handle.
  if (e.type === "selector_expression") return;
  facts.unknown = true;
}

/** `clause.OrderBy{...}`, `clause.OrderByColumn{...}` anywhere in a Clauses argument. */
function mentionsOrderBy(arg: GoNode): boolean {
  let found = /^OrderBy/u.test(arg.text ?? "");
  walk(arg, (n) => {
    if (/^OrderBy/u.test(n.text ?? "")) found = true;
    return !found;
  });
  return found;
}

/** Blanks out comments, string literals and quoted identifiers of SQL text. */
function stripSql(sql: string): string {
  return sql
    .replace(/--[^\n]*/gu, " ")
    .replace(/\/\*[\s\S]*?\*\//gu, " ")
    .replace(/'(?:[^']|'')*'/gu, "''")
    .replace(/"[^"]*"|`[^`]*`/gu, "x");
}

/** The text at parenthesis depth 0 (subqueries, window definitions and function arguments removed). */
function topLevel(sql: string): string {
  let out = "";
  let depth = 0;
  for (const ch of sql) {
    if (ch === "(") {
      depth++;
      out += " ";
    } else if (ch === ")") {
      depth = Math.max(0, depth - 1);
      out += " ";
    } else if (depth === 0) out += ch;
  }
  return out;
}

/** Paging facts of SQL text: an OFFSET (or MySQL's `LIMIT o, n`) that skips rows, a LIMIT, a top-level ORDER BY. */
/** Names of SQL_TEXT_METHODS that checkSql looks at: not writes, not GORM's Exec and fragment builders. */
const SQL_READ_METHODS: string[] = Object.entries(SQL_TEXT_METHODS).flatMap(([type, methods]) =>
  Object.keys(methods).filter((m) => !SQL_WRITE_METHODS.has(m) && !(type === "gorm.DB" && (m === "Exec" || GORM_FRAGMENT_METHODS.has(m)))),
);

export function sqlPaging(sql: string): { offset: boolean; limit: boolean; orderBy: boolean } {
  const top = topLevel(stripSql(sql));
  const offset = /\bOFFSET\s+(?!0\b)\S/iu.test(top) || /\bLIMIT\s+[^,\s]+\s*,/iu.test(top);
  return { offset, limit: /\bLIMIT\b|\bFETCH\s+(?:FIRST|NEXT)\b/iu.test(top), orderBy: /\bORDER\s+BY\b/iu.test(top) };
}

export default createRule<Options, MessageIds>({
  name: "require-stable-pagination",
  // Sound: SQL reports are the SQL argument of a reading SQL_TEXT_METHODS call (the text may be a constant of another
  // file); GORM reports are page finishers whose chain, in this file, has Offset, Limit or Scopes (a scope's body
  // may be elsewhere).
  prefilter: new RegExp(
    `${anyWord(SQL_READ_METHODS).source}|^(?=[\\s\\S]*?\\b(?:Offset|Limit|Scopes)\\b)[\\s\\S]*?${anyWord(GORM_PAGE_FINISHERS).source}`,
    "u",
  ),
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Pages read with OFFSET (GORM Offset, SQL OFFSET) must have an ORDER BY, or pages skip and repeat rows",
      recommended: "warn",
      security: {
        cwe: [1208],
        securitySeverity: 3.1,
        precision: "high",
        frameworks: ["gorm", "database/sql", "sqlx", "pgx", "pgxpool", "fiber", "gin", "echo", "net/http"],
        tags: ["reliability", "data-integrity", "pagination"],
      },
    },
    messages: {
      gorm: "GORM `{{method}}` reads a page with Offset but the query has no Order: without ORDER BY the database returns rows in any order, and the order changes between requests, so pages repeat some rows and never show others. Add `.Order(...)` on a unique column, or a unique tie-breaker (`created_at DESC, id DESC`).",
      gormLimit:
        "GORM `{{method}}` takes Limit rows without Order: which rows come back is up to the database and changes between requests. Add `.Order(...)` on a unique column.",
      sql: "This query pages with OFFSET but has no top-level ORDER BY (one inside OVER (...) or a subquery does not order the result): pages repeat some rows and never show others. Add `ORDER BY` on a unique column, or a unique tie-breaker (`created_at DESC, id DESC`).",
      sqlLimit: "This query takes LIMIT rows without a top-level ORDER BY: which rows come back is up to the database. Add `ORDER BY` on a unique column.",
      addOrder: "Order by the primary key: insert `.Order(\"id\")` before `{{method}}`",
    },
    schema: [
      {
        type: "object",
        properties: {
          reportLimitWithoutOffset: {
            type: "boolean",
            description: "Also report LIMIT without OFFSET and without ORDER BY (first pages, `LIMIT 1` lookups). Off by default: most are lookups of a unique key.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ reportLimitWithoutOffset: false }],
  },
  create(context) {
    const limitOnly = !!context.options[0]?.reportLimitWithoutOffset;
    const sql = new SqlText();
    setCurrentText(context.sourceCode.ast as unknown as GoNode, context.sourceCode.text);

    const checkGorm = (call: GoNode, m: { name: string; operand: GoNode }) => {
      const facts = fresh();
      chainFacts(m.operand, call, facts, new Set());
      if (facts.order || facts.unknown || facts.raw || (facts.fromParameter && !facts.model)) return;
      const page = facts.offset ? "gorm" : limitOnly && facts.limit ? "gormLimit" : undefined;
      if (!page) return;
      const fn = unparen(field(call, "function"))!;
      const operand = field(fn, "operand")!;
      context.report({
        node: call,
        messageId: page,
        data: { method: m.name },
        ...(facts.joins
          ? {}
          : {
              suggest: [
                {
                  messageId: "addOrder" as const,
                  data: { method: m.name },
                  fix: (fixer) => fixer.insertTextAfterRange(operand.range, '.Order("id")'),
                },
              ],
            }),
      });
    };

    const checkSql = (call: GoNode) => {
      const target = sqlArgument(call);
      if (!target) return;
      const { arg, method, type } = target;
      if (SQL_WRITE_METHODS.has(method) || (type === "gorm.DB" && (method === "Exec" || GORM_FRAGMENT_METHODS.has(method)))) return;
      const built = sql.of(arg);
      // A part goward cannot see (outside a value position) may be the ORDER BY clause itself.
      let before = "";
      for (const p of built.pieces) {
        if (typeof p === "string") before += p;
        else {
          if (!valuePosition(before)) return;
          before += "?";
        }
      }
      const paging = sqlPaging(before);
      if (paging.orderBy) return;
      if (paging.offset) context.report({ node: arg, messageId: "sql" });
      else if (limitOnly && paging.limit) context.report({ node: arg, messageId: "sqlLimit" });
    };

    return {
      call_expression(call) {
        const m = methodOf(call);
        if (!m) return;
        if (GORM_PAGE_FINISHERS.has(m.name) && typeOf(m.operand) === "gorm.DB") {
          checkGorm(call, m);
          return;
        }
        checkSql(call);
      },
    };
  },
});
