/**
 * Local name resolution and type inference inside one file, without the Go toolchain:
 * parameters, receivers, `var` and `:=` declarations, range/if/switch initialisers, and the
 * results of known library calls. It answers "is `c` a *fiber.Ctx here?" from the source alone.
 * Package scope across files (struct fields, package vars) belongs to the package model.
 */
import type { GoNode } from "../language/node-types.generated.js";
import { field, fieldAll, isFunctionLike, rootOf, unparen } from "./ast.js";
import { importsOf, type ImportTable } from "./imports.js";
import { FIELD_TYPES, FUNCTION_RESULTS, METHOD_RESULTS, REQUEST_VALUE_SOURCES, type RequestValueSource } from "./library.js";
import { importedModel, ownerOf, packageOf, qualify, type TypeRef } from "./package.js";
import type { SourceFileNode } from "../language/node-types.generated.js";

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

const blockDeclarations = new WeakMap<GoNode, { stmts: GoNode[]; byName: Map<string, number[]> }>();

/**
 * The statements of a block and, by name, the positions of those that declare it (`:=` and
 * `var`): built once per block, so resolving a name costs its declarations, not the block's
 * length (a function of thousands of statements would otherwise be quadratic).
 */
function declarationsIn(block: GoNode): { stmts: GoNode[]; byName: Map<string, number[]> } {
  let d = blockDeclarations.get(block);
  if (d) return d;
  const stmts = statementsOf(block);
  const byName = new Map<string, number[]>();
  const add = (name: string | undefined, i: number) => {
    if (!name) return;
    const list = byName.get(name);
    if (!list) byName.set(name, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  stmts.forEach((s, i) => {
    if (s.type === "short_var_declaration") {
      const left = field(s, "left");
      for (const id of left ? (left.type === "expression_list" ? left.children : [left]) : []) if (id.type === "identifier") add(id.text, i);
    } else if (s.type === "var_declaration") {
      for (const c of s.children) {
        const specs = c.type === "var_spec" ? [c] : c.type === "var_spec_list" ? c.children.filter((x) => x.type === "var_spec") : [];
        for (const spec of specs) for (const id of fieldAll(spec, "name")) add(id.text, i);
      }
    }
  });
  blockDeclarations.set(block, (d = { stmts, byName }));
  return d;
}

/** The declaration in which `id` is the declared name, if it is one. */
function declaringStatement(id: GoNode): GoNode | undefined {
  const p = id.parent;
  if (!p) return undefined;
  if (p.type === "expression_list") {
    const stmt = p.parent;
    if (stmt && (stmt.type === "short_var_declaration" || stmt.type === "range_clause") && field(stmt, "left") === p) return stmt;
    return undefined;
  }
  if ((p.type === "var_spec" || p.type === "parameter_declaration" || p.type === "variadic_parameter_declaration") && fieldAll(p, "name").includes(id)) {
    return p.type === "var_spec" ? p.parent?.type === "var_declaration" ? p.parent : p.parent?.parent ?? undefined : p;
  }
  return undefined;
}

/**
 * The local declaration that the identifier `use` refers to, searching outwards through
 * blocks (declarations before the use), statement initialisers, and function parameters.
 */
export function resolveLocal(use: GoNode): Binding | undefined {
  const cached = bindingCache.get(use);
  if (cached !== undefined) return cached ?? undefined;
  const name = use.text;
  let found: Binding | undefined;
  // The identifier may itself be the declaring one (`x` in `x := f()`, a parameter name).
  const decl = declaringStatement(use);
  if (decl && name) {
    found = decl.type === "parameter_declaration" || decl.type === "variadic_parameter_declaration"
      ? bindFromParameters(decl.parent ?? undefined, name, decl.parent?.parent?.type === "method_declaration" && field(decl.parent.parent, "receiver") === decl.parent ? "receiver" : "param")
      : bindFromDeclaration(decl, name);
  }
  if (!found && name && name !== "_") {
    let child: GoNode = use;
    for (let scope = use.parent; scope && !found; child = scope, scope = scope.parent) {
      switch (scope.type) {
        case "block":
        case "statement_list": {
          const { stmts, byName } = declarationsIn(scope);
          const candidates = byName.get(name);
          if (!candidates) break;
          for (let k = candidates.length - 1; k >= 0 && !found; k--) {
            const s = stmts[candidates[k]];
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
            const alias = fieldAll(scope, "alias").flatMap((a) => (a.type === "expression_list" ? a.children : [a])).find((a) => a.text === name);
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

/** The TypeRef a written type denotes (`*fiber.Ctx` → "fiber.Ctx", `*Server` → "pkg.Server"). */
export function typeOfTypeNode(node: GoNode | undefined): TypeRef | undefined {
  if (!node) return undefined;
  const root = rootOf(node);
  return packageOf(root).typeRefOf(node, importsOf(root));
}

/** Results of calling a method on a value of type `t`, from the library table or the package models. */
function methodResult(t: TypeRef, name: string, root: SourceFileNode, index = 0): TypeRef | undefined {
  const lib = METHOD_RESULTS[t]?.[name];
  if (lib) return index === 0 ? lib : undefined;
  const owner = ownerOf(root, t);
  if (!owner) return undefined;
  const { model, local } = owner;
  const m = model.method(local, name);
  if (m) return qualify(model.typeRefOf(m.results[index], m.file.imports), model);
  // Methods promoted from embedded library types (`type Repo struct{ *gorm.DB }`).
  for (const e of model.embeddedLibraryTypes(local)) {
    const r = METHOD_RESULTS[e]?.[name];
    if (r) return index === 0 ? r : undefined;
  }
  return undefined;
}

/** The type of field `name` of a value of type `t` (library table, own package, or another package of the module). */
function fieldResult(t: TypeRef, name: string, root: SourceFileNode): TypeRef | undefined {
  const lib = FIELD_TYPES[t]?.[name];
  if (lib) return lib;
  const owner = ownerOf(root, t);
  return owner ? qualify(owner.model.fieldType(owner.local, name), owner.model) : undefined;
}

/** The type of the result at `index` of a call expression, when goward can tell. */
export function callResultType(call: GoNode, index = 0, depth = 0): TypeRef | undefined {
  const root = rootOf(call);
  const imports = importsOf(root);
  const model = packageOf(root);
  const fn = unparen(field(call, "function"));
  if (!fn) return undefined;
  if (fn.type === "identifier" && fn.text) {
    if (resolveLocal(fn)) return undefined;
    // The builtin `new(T)` (unless the package declares its own `new`).
    if (fn.text === "new" && index === 0 && !model.funcs.has("new")) return typeOfTypeNode(field(call, "arguments")?.children[0]);
    const f = model.funcs.get(fn.text);
    if (f) return model.typeRefOf(f.results[index], f.file.imports);
    return undefined;
  }
  if (fn.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const name = field(fn, "field")?.text;
  if (!name) return undefined;
  const pkg = importedPackage(operand, imports);
  if (pkg) {
    const lib = imports.byLocalName(operand!.text!)?.library;
    if (lib) return index === 0 ? FUNCTION_RESULTS[lib]?.[name] : undefined;
    // A function of another package of the same module.
    const other = importedModel(root, pkg);
    const f = other?.funcs.get(name);
    return f && other ? qualify(other.typeRefOf(f.results[index], f.file.imports), other) : undefined;
  }
  const t = typeOf(operand, depth + 1);
  return t ? methodResult(t, name, root, index) : undefined;
}

/** The type of an expression, or undefined when goward cannot tell. */
export function typeOf(expr: GoNode | undefined, depth = 0): TypeRef | undefined {
  expr = unparen(expr);
  if (!expr || depth > 12) return undefined;
  const root = rootOf(expr);
  const imports = importsOf(root);
  switch (expr.type) {
    case "identifier": {
      const b = resolveLocal(expr);
      if (b) return typeOfBinding(b, depth + 1);
      if (!expr.text || imports.byLocalName(expr.text)) return undefined;
      // A package-level var or const, possibly declared in a sibling file.
      const model = packageOf(root);
      const v = model.values.get(expr.text);
      if (!v) return undefined;
      if (v.typeNode) return model.typeRefOf(v.typeNode, v.file.imports);
      return v.init ? typeOf(v.init, depth + 1) : undefined;
    }
    case "selector_expression": {
      const operand = field(expr, "operand");
      const name = field(expr, "field")?.text;
      if (!name) return undefined;
      const pkg = importedPackage(operand, imports);
      if (pkg) {
        // A package-level var of another package of the module (`database.DB`).
        const other = imports.byLocalName(operand!.text!)?.library ? undefined : importedModel(root, pkg);
        const v = other?.values.get(name);
        if (!other || !v || v.kind !== "var") return undefined;
        if (v.typeNode) return qualify(other.typeRefOf(v.typeNode, v.file.imports), other);
        return v.init ? qualify(typeOf(v.init, depth + 1), other) : undefined;
      }
      const t = typeOf(operand, depth + 1);
      return t ? fieldResult(t, name, root) : undefined;
    }
    case "call_expression":
      return callResultType(expr, 0, depth);
    case "type_assertion_expression":
    case "composite_literal":
      return typeOfTypeNode(field(expr, "type"));
    case "unary_expression": {
      const op = field(expr, "operator")?.text;
      return op === "&" || op === "*" ? typeOf(field(expr, "operand"), depth + 1) : undefined;
    }
    case "interpreted_string_literal":
    case "raw_string_literal":
      return "builtin.string";
    default:
      return undefined;
  }
}

export function typeOfBinding(b: Binding, depth = 0): TypeRef | undefined {
  if (b.typeNode) return typeOfTypeNode(b.typeNode);
  if (!b.value) return undefined;
  if (b.kind === "range") return undefined;
  if (b.values === 1 && b.names > 1) {
    // `v, ok := x.(T)`: the first name gets T. `a, err := f()`: the result at the name's position.
    const v = unparen(b.value);
    if (v?.type === "type_assertion_expression") return b.index === 0 ? typeOfTypeNode(field(v, "type")) : undefined;
    if (v?.type === "call_expression") return callResultType(v, b.index, depth);
    return undefined;
  }
  return typeOf(b.value, depth);
}

/** A request-scoped value that reached an expression, and how. */
export interface RequestValue {
  kind: "context-value" | "jwt-claims" | "jwt-claim" | "body-field";
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
      const t = typeOf(field(fn, "operand"));
      const source = candidates.find((s) => s.type === t);
      return source ? { kind: "context-value", describe: source.describe, origin: expr, source } : undefined;
    }
    case "selector_expression": {
      if (field(expr, "field")?.text !== "Claims") return undefined;
      const token = field(expr, "operand");
      if (typeOf(token) !== "jwt.Token" || builtLocally(token)) return undefined;
      return { kind: "jwt-claims", describe: "JWT token claims", origin: expr };
    }
    case "index_expression": {
      const operand = field(expr, "operand");
      const t = typeOf(operand);
      if (t === "jwt.MapClaims" && !builtLocally(operand)) return { kind: "jwt-claim", describe: "JWT claim", origin: expr };
      if (t === "builtin.map" && decodedFromRequest(operand)) return { kind: "body-field", describe: "request body field", origin: expr };
      return undefined;
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

/**
 * A token or claims value the program built itself (`jwt.New(...)`, `jwt.NewWithClaims(...)`,
 * `jwt.MapClaims{...}`, or claims taken from such a token): its contents are not the client's.
 */
function builtLocally(expr: GoNode | undefined, depth = 0): boolean {
  const e = unparen(expr);
  if (!e || depth > 6) return false;
  if (e.type === "composite_literal") return true;
  if (e.type === "unary_expression") return builtLocally(field(e, "operand"), depth + 1);
  if (e.type === "call_expression") {
    const fn = unparen(field(e, "function"));
    const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : undefined;
    return (name === "New" || name === "NewWithClaims") && callResultType(e) === "jwt.Token";
  }
  if (e.type === "type_assertion_expression") return builtLocally(field(e, "operand"), depth + 1);
  if (e.type === "selector_expression" && field(e, "field")?.text === "Claims") return builtLocally(field(e, "operand"), depth + 1);
  if (e.type === "identifier") {
    const b = resolveLocal(e);
    if (!b?.value) return false;
    if (b.values === 1 && b.names > 1 && b.index > 0) return false;
    return builtLocally(b.value, depth + 1);
  }
  return false;
}

const BODY_BINDERS = new Set(["BodyParser", "Bind", "BindJSON", "ShouldBind", "ShouldBindJSON", "ShouldBindBodyWith", "MustBindWith", "ShouldBindWith"]);

/**
 * Is the map variable `m` filled from the request body: `json.NewDecoder(r.Body).Decode(&m)`,
 * a framework binder (`c.BodyParser(&m)`, `c.ShouldBindJSON(&m)`, `c.Bind(&m)`), or
 * `json.Unmarshal(body, &m)` of bytes read from the request?
 */
function decodedFromRequest(m: GoNode | undefined): boolean {
  const id = unparen(m);
  if (id?.type !== "identifier") return false;
  const b = resolveLocal(id);
  const fn = b ? enclosingFunctionOf(b.id) : undefined;
  if (!b || !fn) return false;
  let found = false;
  walkNodes(fn, (n) => {
    if (found) return false;
    if (n.type !== "unary_expression" || field(n, "operator")?.text !== "&") return true;
    const target = unparen(field(n, "operand"));
    if (target?.type !== "identifier" || target.text !== id.text || resolveLocal(target)?.id !== b.id) return true;
    const call = n.parent?.type === "argument_list" ? n.parent.parent : undefined;
    const callee = call ? unparen(field(call, "function")) : undefined;
    const name = callee?.type === "selector_expression" ? field(callee, "field")?.text : undefined;
    if (!call || !callee || !name) return true;
    const text = (x: GoNode | undefined) => (x ? sourceTextOf(x) : "");
    if (name === "Decode" && /\bBody\b|Request\(\)|\bbody\b/u.test(text(field(callee, "operand")))) found = true;
    else if (BODY_BINDERS.has(name)) found = true;
    else if (name === "Unmarshal") {
      const data = field(call, "arguments")?.children[0];
      if (/\bBody\b|GetRawData|\bbody\b|ReadAll\(r\.Body/u.test(text(data)) || isBodyRead(data)) found = true;
    }
    return !found;
  });
  return found;
}

function isBodyRead(data: GoNode | undefined): boolean {
  const d = unparen(data);
  if (d?.type !== "identifier") return false;
  const b = resolveLocal(d);
  return !!b?.value && /\bBody\b|GetRawData/u.test(sourceTextOf(b.value));
}

function enclosingFunctionOf(n: GoNode): GoNode | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFunctionLike(p)) return p;
  return undefined;
}

function walkNodes(root: GoNode, visit: (n: GoNode) => boolean): void {
  const stack = [...root.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (!visit(n)) continue;
    stack.push(...n.children);
  }
}

/** The source text of a node, rebuilt from its leaves (identifiers, literals, operators). */
function sourceTextOf(n: GoNode): string {
  const out: string[] = [];
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.children.length === 0 && x.text !== undefined) out.push(x.text);
    for (let i = x.children.length - 1; i >= 0; i--) stack.push(x.children[i]);
  }
  return out.join(".");
}

/** The named parameters (and, with `receiver`, the receiver) of a function with their types. */
export function parametersOf(fn: GoNode, receiver = false): Array<{ name: string; type: TypeRef | undefined }> {
  const out: Array<{ name: string; type: TypeRef | undefined }> = [];
  for (const list of receiver ? [field(fn, "receiver"), field(fn, "parameters")] : [field(fn, "parameters")]) {
    for (const d of list?.children ?? []) {
      if (d.type !== "parameter_declaration") continue;
      const t = typeOfTypeNode(field(d, "type"));
      for (const id of fieldAll(d, "name")) if (id.text && id.text !== "_") out.push({ name: id.text, type: t });
    }
  }
  return out;
}
