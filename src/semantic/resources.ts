/**
 * Def-use of a local that holds a resource (rows now; transactions later): where it is
 * defined, which methods are called on it, whether it escapes the function.
 */
import type { GoNode } from "../language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, rootOf, unparen, walk } from "./ast.js";
import { importsOf } from "./imports.js";
import { GORM_TX_BEGIN, METHOD_RESULTS, ROWS_BORROWERS, ROWS_CONSUMERS, ROWS_TYPES, TX_TYPES, type TypeRef } from "./library.js";
import { callResultType, importedPackage, resolveLocal, typeOf, type Binding } from "./types.js";

export interface MethodUse {
  name: string;
  call: GoNode;
  /** Inside a `defer` statement (directly or in a deferred function literal). */
  deferred: boolean;
  /** The call is a statement of its own: its results are discarded. */
  discarded: boolean;
}

export interface ResourceUses {
  name: string;
  id: GoNode;
  /** The call that produced the resource. */
  origin: GoNode;
  type: TypeRef;
  fn: GoNode;
  methods: MethodUse[];
  /** Returned, stored, passed to a function, captured by a goroutine: someone else may close it. */
  escapes: boolean;
  /** Handed to a library consumer that closes it and checks its error (pgx.CollectRows, sqlx.StructScan). */
  consumed: boolean;
  /** Where it escapes, and how: returned, passed as an argument of `call`, or anything else (stored, sent). */
  escapeSites: Array<{ node: GoNode; kind: "return" | "argument" | "other"; call?: GoNode; deferred: boolean }>;
}

/** For each name assigned from a call, the resource it holds when its type is one of `types`. */
export function resourcesDefinedBy(stmt: GoNode, types: ReadonlySet<TypeRef> = ROWS_TYPES): Array<{ id: GoNode; origin: GoNode; type: TypeRef }> {
  let left: GoNode[] = [];
  let right: GoNode[] = [];
  if (stmt.type === "short_var_declaration" || stmt.type === "assignment_statement") {
    if (stmt.type === "assignment_statement" && field(stmt, "operator")?.text !== "=") return [];
    left = field(stmt, "left")?.children ?? [];
    right = field(stmt, "right")?.children ?? [];
  } else if (stmt.type === "var_spec") {
    left = fieldAll(stmt, "name");
    right = field(stmt, "value")?.children ?? [];
  } else return [];
  const out: Array<{ id: GoNode; origin: GoNode; type: TypeRef }> = [];
  left.forEach((id, i) => {
    if (id.type !== "identifier" || !id.text || id.text === "_") return;
    const value = unparen(right.length === left.length ? right[i] : right[0]);
    if (value?.type !== "call_expression" || !mayReturn(value, types)) return;
    const t = callResultType(value, right.length === left.length ? 0 : i);
    if (t && types.has(t)) out.push({ id, origin: value, type: t });
  });
  return out;
}

function sameVariable(use: GoNode, id: GoNode, binding: Binding | undefined): boolean {
  if (use === id) return false;
  const b = resolveLocal(use);
  if (!b) return false;
  if (binding) return b.id === binding.id;
  return b.id === id;
}

export function analyzeUses(id: GoNode, origin: GoNode, type: TypeRef): ResourceUses | undefined {
  const fn = enclosingFunction(id);
  const body = fn && field(fn, "body");
  if (!fn || !body || !id.text) return undefined;
  // For `rows, err = db.Query()` (plain assignment) the variable was declared earlier.
  const binding = resolveLocal(id);
  const imports = importsOf(rootOf(id));
  const res: ResourceUses = { name: id.text, id, origin, type, fn, methods: [], escapes: false, consumed: false, escapeSites: [] };
  walk(body, (n) => {
    if (n.type !== "identifier" || n.text !== id.text || n.range[0] < id.range[0]) return true;
    if (!sameVariable(n, id, binding)) return true;
    const parent = n.parent!;
    if (parent.type === "selector_expression" && field(parent, "operand") === n) {
      const name = field(parent, "field")?.text ?? "";
      const call = parent.parent;
      if (call?.type === "call_expression" && field(call, "function") === parent) {
        res.methods.push({ name, call, deferred: isDeferred(call, fn), discarded: call.parent?.type === "expression_statement" });
      }
      return true;
    }
    if (parent.type === "binary_expression") return true; // rows != nil
    // Any other use hands the value to someone else.
    if (parent.type === "argument_list") {
      const call = parent.parent!;
      const callee = unparen(field(call, "function"));
      if (callee?.type === "selector_expression") {
        const pkgNode = field(callee, "operand");
        const lib = importedPackage(pkgNode, imports) ? imports.byLocalName(pkgNode!.text!)?.library : undefined;
        const fname = field(callee, "field")?.text ?? "";
        if (lib && ROWS_CONSUMERS[lib]?.has(fname)) {
          res.consumed = true;
          return true;
        }
        if (lib && ROWS_BORROWERS.functions[lib]?.has(fname)) return true;
        const recv = lib ? undefined : typeOf(pkgNode);
        if (recv && ROWS_BORROWERS.methods[recv]?.has(fname)) return true;
      }
    }
    // Left side of a re-assignment is a redefinition, not an escape.
    if (parent.type === "expression_list" && parent.parent?.type === "assignment_statement" && field(parent.parent, "left") === parent) return true;
    res.escapes = true;
    const holder = parent.type === "expression_list" ? parent.parent : parent;
    if (holder?.type === "return_statement") res.escapeSites.push({ node: n, kind: "return", deferred: false });
    else if (parent.type === "argument_list") res.escapeSites.push({ node: n, kind: "argument", call: parent.parent!, deferred: isDeferred(parent.parent!, fn) });
    else res.escapeSites.push({ node: n, kind: "other", deferred: false });
    return true;
  });
  return res;
}

/** Rows defined by `stmt` that this function owns: not returned, stored, handed on or consumed. */
export function ownedRowsDefinedBy(stmt: GoNode): ResourceUses[] {
  const out: ResourceUses[] = [];
  for (const def of resourcesDefinedBy(stmt)) {
    const uses = analyzeUses(def.id, def.origin, def.type);
    if (uses && !uses.escapes && !uses.consumed) out.push(uses);
  }
  return out;
}

/**
 * Transactions begun by `stmt`: `tx, err := db.BeginTx(ctx, nil)` (database/sql, sqlx, pgx:
 * TX_TYPES) and GORM's `tx := db.Begin()`, whose result is a *gorm.DB like any other chain.
 */
export function transactionsDefinedBy(stmt: GoNode): Array<{ id: GoNode; origin: GoNode; type: TypeRef }> {
  const out = resourcesDefinedBy(stmt, TX_TYPES);
  for (const def of resourcesDefinedBy(stmt, GORM_DB)) {
    const fn = unparen(field(def.origin, "function"));
    if (fn?.type === "selector_expression" && GORM_TX_BEGIN.has(field(fn, "field")?.text ?? "") && typeOf(field(fn, "operand")) === "gorm.DB") out.push(def);
  }
  return out;
}
const GORM_DB: ReadonlySet<TypeRef> = new Set(["gorm.DB"]);

/**
 * Does something on the way to `stmt` (a statement inside `fn`) satisfy `pred`: an earlier
 * statement of an enclosing block, the initialiser or condition of an enclosing `if`/`switch`,
 * or `stmt` itself? Flow-insensitive within a block: an earlier `if` whose branch does it counts.
 */
export function precededOnPath(stmt: GoNode, fn: GoNode, pred: (n: GoNode) => boolean): boolean {
  if (pred(stmt)) return true;
  for (let child: GoNode = stmt, p = stmt.parent; p && p !== fn; child = p, p = p.parent) {
    if (p.type === "func_literal") return false;
    if (p.type === "if_statement" || p.type === "expression_switch_statement" || p.type === "type_switch_statement") {
      for (const f of ["initializer", "condition", "value"]) {
        const x = field(p, f);
        if (x && x !== child && pred(x)) return true;
      }
    }
    for (const sib of p.children) {
      if (sib === child) break;
      // Another branch of the same `if`/`switch`/`select` is not on the way.
      if (p.type === "if_statement" || sib.type === "expression_list" || /_case$/u.test(sib.type)) continue;
      if (pred(sib)) return true;
    }
  }
  return false;
}

function isDeferred(node: GoNode, fn: GoNode): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent) if (p.type === "defer_statement") return true;
  return false;
}

/** Statements that leave `fn` between two offsets: `return` (not inside nested function literals). */
export function returnsBetween(fn: GoNode, from: number, to: number): GoNode[] {
  const out: GoNode[] = [];
  const body = field(fn, "body");
  if (!body) return out;
  walk(body, (n) => {
    if (n.type === "func_literal") return false;
    if (n.type === "return_statement" && n.range[0] > from && n.range[0] < to) out.push(n);
    return true;
  });
  return out;
}

/** Method names of the library table whose result is one of `types`. */
const namesReturning = new WeakMap<ReadonlySet<TypeRef>, ReadonlySet<string>>();

/**
 * A cheap filter before typing a call: library methods returning the resource by name, or a
 * function of the same package, which may return one too.
 */
function mayReturn(call: GoNode, types: ReadonlySet<TypeRef>): boolean {
  let names = namesReturning.get(types);
  if (!names) {
    const set = new Set<string>();
    for (const methods of Object.values(METHOD_RESULTS)) for (const [m, r] of Object.entries(methods)) if (types.has(r)) set.add(m);
    namesReturning.set(types, (names = set));
  }
  const fn = unparen(field(call, "function"));
  if (fn?.type === "identifier") return true; // a same-package helper
  if (fn?.type !== "selector_expression") return false;
  // Methods and other packages' functions: only the library's rows-returning names are typed
  // (a project method that hands out open rows is not followed).
  return names.has(field(fn, "field")?.text ?? "");
}
