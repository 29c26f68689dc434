/**
 * Constant values of expressions, through literals, local and package constants, package vars
 * initialised with constants, library constants (fiber.HeaderOrigin) and fields of composite
 * literals held in variables (`cfg.AllowOrigins` where `var cfg = cors.Config{...}`).
 */
import type { GoNode } from "../language/node-types.generated.js";
import { field, rootOf, unparen } from "./ast.js";
import { importsOf } from "./imports.js";
import { LIBRARY_CONSTS } from "./library.js";
import { packageOf, type ConstValue } from "./package.js";
import { importedPackage, resolveLocal } from "./types.js";

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

/** The constant value of an expression, or undefined. */
export function constValue(expr: GoNode | undefined, depth = 0): ConstValue | undefined {
  expr = unparen(expr);
  if (!expr || depth > 8) return undefined;
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
