/**
 * Local name resolution and type inference inside one file, without the Go toolchain:
 * parameters, receivers, `var` and `:=` declarations, range/if/switch initialisers, and the
 * results of known library calls. It answers "is `c` a *fiber.Ctx here?" from the source alone.
 * Package scope across files (struct fields, package vars) belongs to the package model.
 */
import type { GoNode } from "../language/node-types.generated.js";
import { field, fieldAll, isFunctionLike, rootOf, unparen } from "./ast.js";
import { importsOf, type ImportTable } from "./imports.js";
import {
  FIELD_TYPES,
  FUNCTION_RESULTS,
  LIBRARY_TYPES,
  METHOD_RESULTS,
  REQUEST_VALUE_SOURCES,
  type KnownType,
  type RequestValueSource,
} from "./library.js";

/** Where a local name was declared. */
export interface Binding {
  name: string;
  kind: "param" | "receiver" | "var" | "short" | "range" | "type-switch";
  /** The identifier node in the declaration. */
  id: GoNode;
  /** The declared type node, when written. */
  typeNode?: GoNode;
  /** The initialising expression: the whole right-hand side when one call/assertion feeds several names. */
  value?: GoNode;
  /** Position of the name among the declared names. */
  index: number;
  /** Number of names and of values in the declaration. */
  names: number;
  values: number;
  declaration: GoNode;
}

function statementsOf(block: GoNode): GoNode[] {
  const out: GoNode[] = [];
  for (const c of block.children) {
    if (c.type === "statement_list") out.push(...c.children);
    else out.push(c);
  }
  return out;
}

function bindFromDeclaration(stmt: GoNode, name: string): Binding | undefined {
  if (stmt.type === "short_var_declaration" || (stmt.type === "range_clause" && stmt.children.length)) {
    const left = field(stmt, "left");
    const right = field(stmt, "right");
    if (!left) return undefined;
    const ids = left.type === "expression_list" ? left.children : [left];
    const vals = right ? (right.type === "expression_list" ? right.children : [right]) : [];
    const i = ids.findIndex((id) => id.type === "identifier" && id.text === name);
    if (i < 0) return undefined;
    const kind = stmt.type === "range_clause" ? "range" : "short";
    const value = vals.length === ids.length ? vals[i] : vals[0];
    return { name, kind, id: ids[i], value, index: i, names: ids.length, values: vals.length, declaration: stmt };
  }
  if (stmt.type === "var_declaration") {
    const specs: GoNode[] = [];
    for (const c of stmt.children) {
      if (c.type === "var_spec") specs.push(c);
      else if (c.type === "var_spec_list") specs.push(...c.children.filter((s) => s.type === "var_spec"));
    }
    for (const spec of specs) {
      const ids = fieldAll(spec, "name");
      const i = ids.findIndex((id) => id.text === name);
      if (i < 0) continue;
      const valueList = field(spec, "value");
      const vals = valueList ? valueList.children : [];
      const value = vals.length === ids.length ? vals[i] : vals[0];
      return { name, kind: "var", id: ids[i], typeNode: field(spec, "type"), value, index: i, names: ids.length, values: vals.length, declaration: spec };
    }
  }
  return undefined;
}

function bindFromParameters(list: GoNode | undefined, name: string, kind: "param" | "receiver"): Binding | undefined {
  if (!list) return undefined;
  for (const decl of list.children) {
    if (decl.type !== "parameter_declaration" && decl.type !== "variadic_parameter_declaration") continue;
    const ids = fieldAll(decl, "name");
    const i = ids.findIndex((id) => id.text === name);
    if (i >= 0) return { name, kind, id: ids[i], typeNode: field(decl, "type"), index: i, names: ids.length, values: 0, declaration: decl };
  }
  return undefined;
}

const bindingCache = new WeakMap<GoNode, Binding | null>();

/**
 * The local declaration that the identifier `use` refers to, searching outwards through
 * blocks (declarations before the use), statement initialisers, and function parameters.
 */
export function resolveLocal(use: GoNode): Binding | undefined {
  const cached = bindingCache.get(use);
  if (cached !== undefined) return cached ?? undefined;
  const name = use.text;
  let found: Binding | undefined;
  if (name && name !== "_") {
    let child: GoNode = use;
    for (let scope = use.parent; scope && !found; child = scope, scope = scope.parent) {
      switch (scope.type) {
        case "block":
        case "statement_list": {
          const stmts = statementsOf(scope);
          for (let i = stmts.length - 1; i >= 0 && !found; i--) {
            const s = stmts[i];
            if (s.range[0] >= child.range[0]) continue;
            found = bindFromDeclaration(s, name);
          }
          break;
        }
        case "if_statement":
        case "expression_switch_statement":
        case "type_switch_statement": {
          const init = field(scope, "initializer");
          if (init && init !== child) found = bindFromDeclaration(init, name);
          if (!found && scope.type === "type_switch_statement") {
            const alias = fieldAll(scope, "alias").find((a) => a.text === name);
            if (alias && child.type === "type_case") {
              const types = fieldAll(child, "type");
              found = { name, kind: "type-switch", id: alias, typeNode: types.length === 1 ? types[0] : undefined, index: 0, names: 1, values: 0, declaration: scope };
            }
          }
          break;
        }
        case "for_statement": {
          for (const c of scope.children) {
            if (c === child) continue;
            if (c.type === "range_clause") found = bindFromDeclaration(c, name);
            else if (c.type === "for_clause") {
              const init = field(c, "initializer");
              if (init) found = bindFromDeclaration(init, name);
            }
            if (found) break;
          }
          break;
        }
        default:
          if (isFunctionLike(scope)) {
            found = bindFromParameters(field(scope, "parameters"), name, "param");
            if (!found && scope.type === "method_declaration") found = bindFromParameters(field(scope, "receiver"), name, "receiver");
          }
      }
    }
  }
  bindingCache.set(use, found ?? null);
  return found;
}

/** True when `id` names an import of this file and no local declaration shadows it. */
export function importedPackage(id: GoNode | undefined, imports: ImportTable): string | undefined {
  if (!id || (id.type !== "identifier" && id.type !== "package_identifier") || !id.text) return undefined;
  const entry = imports.byLocalName(id.text);
  if (!entry) return undefined;
  if (id.type === "identifier" && resolveLocal(id)) return undefined;
  return entry.path;
}

/** The KnownType a written type denotes (`*fiber.Ctx`, `echo.Context`, `jwt.MapClaims`). */
export function knownTypeOfTypeNode(node: GoNode | undefined, imports: ImportTable): KnownType | undefined {
  while (node && (node.type === "pointer_type" || node.type === "parenthesized_type")) node = node.children[0];
  if (!node) return undefined;
  if (node.type === "qualified_type") {
    const lib = imports.library(field(node, "package")?.text ?? "");
    const name = field(node, "name")?.text;
    return lib && name ? LIBRARY_TYPES[lib]?.[name] : undefined;
  }
  if (node.type === "type_identifier" && node.text) {
    for (const dot of imports.dotImports()) {
      const t = dot.library ? LIBRARY_TYPES[dot.library]?.[node.text] : undefined;
      if (t) return t;
    }
  }
  return undefined;
}

/** The KnownType of an expression, or undefined when goward cannot tell. */
export function knownTypeOf(expr: GoNode | undefined, depth = 0): KnownType | undefined {
  expr = unparen(expr);
  if (!expr || depth > 8) return undefined;
  const imports = importsOf(rootOf(expr));
  switch (expr.type) {
    case "identifier": {
      const b = resolveLocal(expr);
      if (!b) return undefined;
      return knownTypeOfBinding(b, depth + 1);
    }
    case "selector_expression": {
      const operand = field(expr, "operand");
      const name = field(expr, "field")?.text;
      if (!name || importedPackage(operand, imports)) return undefined;
      const t = knownTypeOf(operand, depth + 1);
      return t ? FIELD_TYPES[t]?.[name] : undefined;
    }
    case "call_expression": {
      const fn = unparen(field(expr, "function"));
      if (fn?.type !== "selector_expression") return undefined;
      const operand = field(fn, "operand");
      const name = field(fn, "field")?.text;
      if (!name) return undefined;
      const pkg = importedPackage(operand, imports);
      if (pkg) {
        const lib = imports.byLocalName(operand!.text!)?.library;
        return lib ? FUNCTION_RESULTS[lib]?.[name] : undefined;
      }
      const t = knownTypeOf(operand, depth + 1);
      return t ? METHOD_RESULTS[t]?.[name] : undefined;
    }
    case "type_assertion_expression":
      return knownTypeOfTypeNode(field(expr, "type"), imports);
    case "unary_expression": {
      const op = field(expr, "operator")?.text;
      return op === "&" || op === "*" ? knownTypeOf(field(expr, "operand"), depth + 1) : undefined;
    }
    case "composite_literal":
      return knownTypeOfTypeNode(field(expr, "type"), imports);
    default:
      return undefined;
  }
}

export function knownTypeOfBinding(b: Binding, depth = 0): KnownType | undefined {
  const imports = importsOf(rootOf(b.id));
  if (b.typeNode) return knownTypeOfTypeNode(b.typeNode, imports);
  if (b.kind === "range") return undefined;
  if (!b.value) return undefined;
  // `v, ok := x.(T)` and `tok, err := jwt.Parse(...)`: the first name gets the value's type.
  if (b.values === 1 && b.names > 1 && b.index > 0) return undefined;
  return knownTypeOf(b.value, depth);
}

/** A request-scoped value that reached an expression, and how. */
export interface RequestValue {
  kind: "context-value" | "jwt-claims" | "jwt-claim";
  /** What the value is, for messages: "fiber Locals value", "JWT claim", ... */
  describe: string;
  /** The call or expression that produced it. */
  origin: GoNode;
  source?: RequestValueSource;
}

/**
 * Is `expr` a value that the request (or a middleware acting on it) controls: a fiber
 * `Locals` value, gin/echo context value, `ctx.Value`, `*jwt.Token`'s Claims or a claim?
 * Follows local variables one definition back (`v := c.Locals("u")`, `v, _ := c.Get("u")`).
 */
export function requestValue(expr: GoNode | undefined, depth = 0): RequestValue | undefined {
  expr = unparen(expr);
  if (!expr || depth > 4) return undefined;
  switch (expr.type) {
    case "call_expression": {
      const fn = unparen(field(expr, "function"));
      if (fn?.type !== "selector_expression") return undefined;
      const method = field(fn, "field")?.text;
      const args = field(expr, "arguments");
      const argc = args ? args.children.length : 0;
      if (!method) return undefined;
      const candidates = REQUEST_VALUE_SOURCES.filter((s) => s.method === method && s.arity === argc);
      if (candidates.length === 0) return undefined;
      const t = knownTypeOf(field(fn, "operand"));
      const source = candidates.find((s) => s.type === t);
      return source ? { kind: "context-value", describe: source.describe, origin: expr, source } : undefined;
    }
    case "selector_expression": {
      if (field(expr, "field")?.text !== "Claims") return undefined;
      return knownTypeOf(field(expr, "operand")) === "jwt.Token" ? { kind: "jwt-claims", describe: "JWT token claims", origin: expr } : undefined;
    }
    case "index_expression": {
      return knownTypeOf(field(expr, "operand")) === "jwt.MapClaims" ? { kind: "jwt-claim", describe: "JWT claim", origin: expr } : undefined;
    }
    case "identifier": {
      const b = resolveLocal(expr);
      if (!b || !b.value || b.typeNode) return undefined;
      if (b.kind !== "short" && b.kind !== "var") return undefined;
      // `v, ok := c.Get("k")`: the first name carries the value; `x, y := a, b` maps pairwise.
      if (b.values === 1 && b.names > 1 && b.index > 0) return undefined;
      if (b.value.type === "type_assertion_expression") return undefined;
      return requestValue(b.value, depth + 1);
    }
    default:
      return undefined;
  }
}
