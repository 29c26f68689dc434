/**
 * Constant values of expressions, through literals, local and package constants, package vars
 * initialised with constants, library constants (fiber.HeaderOrigin) and fields of composite
 * literals held in variables (`cfg.AllowOrigins` where `var cfg = cors.Config{...}`).
 */
import type { GoNode } from "../language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, rootOf, unparen, walk } from "./ast.js";
import { importsOf } from "./imports.js";
import { LIBRARY_CONSTS } from "./library.js";
import { PackageModel, packageOf, type ConstValue } from "./package.js";
import { importedPackage, resolveLocal, typeOf } from "./types.js";

/** The expression a name or `x.Field` stands for, when goward can see its single definition. */
export function definitionOf(expr: GoNode | undefined, depth = 0): GoNode | undefined {
  expr = unparen(expr);
  if (!expr || depth > 8) return undefined;
  if (expr.type === "identifier") {
    const b = resolveLocal(expr);
    if (b) return b.values === b.names && b.value ? definitionOf(b.value, depth + 1) ?? b.value : undefined;
    const v = packageOf(rootOf(expr)).values.get(expr.text ?? "");
    return v?.init ? definitionOf(v.init, depth + 1) ?? v.init : undefined;
  }
  if (expr.type === "selector_expression") {
    const operand = field(expr, "operand");
    const name = field(expr, "field")?.text;
    if (!name || importedPackage(operand, importsOf(rootOf(expr)))) return undefined;
    const lit = definitionOf(operand, depth + 1);
    const value = lit?.type === "composite_literal" ? keyedValue(lit, name) : undefined;
    return value ? definitionOf(value, depth + 1) ?? value : undefined;
  }
  return undefined;
}

/** The value of `Key: value` in a composite literal. */
export function keyedValue(lit: GoNode, key: string): GoNode | undefined {
  const body = field(lit, "body");
  for (const el of body?.children ?? []) {
    if (el.type !== "keyed_element") continue;
    const k = el.children[0];
    const keyName = k?.children[0]?.text ?? k?.text;
    if (keyName === key) return el.children[1]?.children[0] ?? el.children[1];
  }
  return undefined;
}

/** The keyed element `Key: value` itself (for reporting on its line). */
export function keyedElement(lit: GoNode, key: string): GoNode | undefined {
  const body = field(lit, "body");
  return body?.children.find((el) => el.type === "keyed_element" && (el.children[0]?.children[0]?.text ?? el.children[0]?.text) === key);
}

const LITERAL_TYPES = new Set(["interpreted_string_literal", "raw_string_literal", "int_literal", "true", "false"]);
/** A model with no declarations: evaluates literals. */
const LITERAL_MODEL = new PackageModel("", "", []);

/** The constant value of an expression, or undefined. */
export function constValue(expr: GoNode | undefined, depth = 0): ConstValue | undefined {
  expr = unparen(expr);
  if (!expr || depth > 8) return undefined;
  // Literals need no package model (building one parses the whole package).
  if (LITERAL_TYPES.has(expr.type)) return LITERAL_MODEL.evalConst(expr);
  const root = rootOf(expr);
  const model = packageOf(root);
  const direct = model.evalConst(expr);
  if (direct !== undefined) return direct;
  if (expr.type === "selector_expression") {
    const operand = field(expr, "operand");
    const name = field(expr, "field")?.text ?? "";
    const imports = importsOf(root);
    if (importedPackage(operand, imports)) {
      const lib = imports.byLocalName(operand!.text!)?.library;
      return lib ? LIBRARY_CONSTS[lib]?.[name] : undefined;
    }
  }
  if (expr.type === "binary_expression" && field(expr, "operator")?.text === "+") {
    const l = constValue(field(expr, "left"), depth + 1);
    const r = constValue(field(expr, "right"), depth + 1);
    return typeof l === "string" && typeof r === "string" ? l + r : undefined;
  }
  const def = definitionOf(expr, depth + 1);
  return def && def !== expr ? constValue(def, depth + 1) : undefined;
}

/** Elements of a slice literal (`[]string{"a", "b"}`), following a variable to its literal. */
export function sliceElements(expr: GoNode | undefined): GoNode[] | undefined {
  let e = unparen(expr);
  if (e && e.type !== "composite_literal") e = definitionOf(e);
  if (e?.type !== "composite_literal") return undefined;
  const body = field(e, "body");
  return (body?.children ?? []).map((el) => (el.type === "literal_element" ? el.children[0] : el)).filter(Boolean) as GoNode[];
}

/**
 * The function a value denotes: a func literal, a same-package function or method
 * (`checkOrigin`, `s.checkOrigin`), or a local / package variable holding a func literal.
 */
export function functionOf(value: GoNode | undefined): GoNode | undefined {
  const v = unparen(value);
  if (!v) return undefined;
  if (v.type === "func_literal" || v.type === "function_declaration" || v.type === "method_declaration") return v;
  const model = packageOf(rootOf(v));
  if (v.type === "identifier") {
    if (!resolveLocal(v)) {
      const f = model.funcs.get(v.text ?? "");
      if (f) return f.node;
    }
    const def = definitionOf(v);
    return def?.type === "func_literal" ? def : undefined;
  }
  if (v.type === "selector_expression") {
    const operand = field(v, "operand");
    const name = field(v, "field")?.text;
    if (!name || importedPackage(operand, importsOf(rootOf(v)))) return undefined;
    const t = typeOf(operand);
    return t ? model.method(t, name)?.node : undefined;
  }
  return undefined;
}

/** The return statements of a function body, not those of nested function literals. */
export function returnsOf(fn: GoNode): GoNode[] {
  const body = field(fn, "body");
  const out: GoNode[] = [];
  if (body) {
    walk(body, (n) => {
      if (n.type === "func_literal") return false;
      if (n.type === "return_statement") out.push(n);
      return true;
    });
  }
  return out;
}

/**
 * A predicate that accepts everything: a function (literal, named, method, or a variable holding
 * one) whose every `return` returns the constant `true` first (`return true`, `return true, nil`),
 * or a same-package factory call whose every `return` returns such a function
 * (`CheckOrigin: allowAll()`). Used for origin predicates (CORS, WebSocket CheckOrigin).
 */
export function alwaysReturnsTrue(value: GoNode | undefined, depth = 0): boolean {
  const v = unparen(value);
  if (!v || depth > 3) return false;
  if (v.type === "call_expression") {
    const callee = unparen(field(v, "function"));
    if (callee?.type !== "identifier" || resolveLocal(callee)) return false;
    const factory = packageOf(rootOf(v)).funcs.get(callee.text ?? "")?.node;
    const rets = factory ? returnsOf(factory) : [];
    return rets.length > 0 && rets.every((r) => alwaysReturnsTrue(firstReturned(r), depth + 1));
  }
  const fn = functionOf(v);
  if (!fn) return false;
  const rets = returnsOf(fn);
  return rets.length > 0 && rets.every((r) => constValue(firstReturned(r)) === true);
}

function firstReturned(ret: GoNode): GoNode | undefined {
  const e = ret.children[0];
  return e?.type === "expression_list" ? e.children[0] : e;
}

/**
 * `x.Field = value` statements on the variable that `init` initialises (`x := T{...}`,
 * `x := &T{...}`, `var x = new(T)`), anywhere after it in its function: field name → the
 * value and the assignment statement.
 */
export function fieldAssignmentsOf(init: GoNode): Map<string, { value: GoNode; at: GoNode }> {
  const out = new Map<string, { value: GoNode; at: GoNode }>();
  const id = variableInitialisedBy(init);
  const fn = enclosingFunction(init);
  if (!id?.text || !fn) return out;
  walk(fn, (n) => {
    if (n.type !== "assignment_statement" || n.range[0] < init.range[0]) return true;
    const l = field(n, "left")?.children ?? [];
    const r = field(n, "right")?.children ?? [];
    l.forEach((target, i) => {
      if (target.type !== "selector_expression" || field(target, "operand")?.text !== id.text) return;
      const f = field(target, "field")?.text;
      if (f && r[i]) out.set(f, { value: r[i], at: n });
    });
    return true;
  });
  return out;
}

/** The identifier of the variable that `init` (possibly under `&`) initialises or is assigned to. */
export function variableInitialisedBy(init: GoNode): GoNode | undefined {
  let holder: GoNode | null = init.parent;
  let item: GoNode = init;
  while (holder && (holder.type === "unary_expression" || holder.type === "parenthesized_expression")) {
    item = holder;
    holder = holder.parent;
  }
  if (holder?.type !== "expression_list") return undefined;
  const decl = holder.parent;
  if (!decl || (decl.type !== "short_var_declaration" && decl.type !== "assignment_statement" && decl.type !== "var_spec")) return undefined;
  const left = decl.type === "var_spec" ? fieldAll(decl, "name") : field(decl, "left")?.children ?? [];
  const id = left[holder.children.indexOf(item)];
  return id?.type === "identifier" ? id : undefined;
}
