/**
 * no-sql-injection (CWE-89): SQL text built from values that are not constants (fmt.Sprintf,
 * `+`, strings.Builder, bytes.Buffer, strings.Join) and handed to database/sql, sqlx, pgx or
 * GORM. Request input that reaches the text is reported with the strongest message, ORDER BY
 * first: a sort column cannot be a placeholder, so it is where string building survives longest.
 *
 * The value analysis follows locals (their definition and every later `=`/`+=` before the
 * query), same-package and same-module helpers (their returns, with parameters bound to the
 * call's arguments), builders, slices joined with strings.Join, and map lookups. Values are
 * safe when constant, numeric (or bool, time, UUID), quoted by a sanitizer (pq.QuoteIdentifier,
 * pgx.Identifier{...}.Sanitize(), strconv), looked up in a fixed map, or checked against an
 * allow-list in the same function (`if !allowed[sort]`, `slices.Contains(cols, sort)`,
 * `switch sort`, a `oneof=` binding tag). Anything goward cannot see through is not reported.
 */
import { anyWord, createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, rootOf, stringValue, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import {
  ERROR_METHODS, GORM_FRAGMENT_METHODS, REQUEST_INPUT_FUNCTIONS, REQUEST_INPUT_READERS, SQL_SAFE_FUNCTIONS, SQL_SANITIZER_METHODS,
  SQL_TEXT_METHODS, type TypeRef,
} from "../src/semantic/library.js";
import { fileOfRoot, importedModel, ownerOf, packageOf } from "../src/semantic/package.js";
import { recordRelated } from "../src/related.js";
import { callResultType, importedPackage, resolveLocal, typeOf, type Binding } from "../src/semantic/types.js";
import { constValue, definitionOf, returnsOf } from "../src/semantic/values.js";

type Options = [{ sanitizers?: string[]; nonConstant?: "values" | "all" | "off" }];
type MessageIds = "inputOrder" | "input" | "dynamicOrder" | "dynamic";

const RULE_ID = "goward/no-sql-injection";

/** A part of SQL text that is not a known constant. */
export interface Hole {
  kind: "input" | "dynamic" | "unknown";
  node: GoNode;
  what: string;
}
export type Piece = string | Hole;
/** SQL text as a sequence of constant strings and holes; `built` when it was concatenated or formatted. */
export interface Built {
  pieces: Piece[];
  built: boolean;
}

/** What a value safe to interpolate contributes to the text (a number, a quoted identifier). */
const SAFE = "?";
const SAFE_TYPES = new Set([
  "builtin.int", "builtin.int8", "builtin.int16", "builtin.int32", "builtin.int64", "builtin.uint", "builtin.uint8", "builtin.uint16",
  "builtin.uint32", "builtin.uint64", "builtin.float32", "builtin.float64", "builtin.bool", "builtin.byte", "builtin.rune", "builtin.uintptr",
  "time.Time", "time.Duration",
]);
const isSafeType = (t: TypeRef | undefined) => !!t && (SAFE_TYPES.has(t) || /(?:^|[/.])uuid\.UUID$/u.test(t));
const NUMERIC_CONVERSIONS = new Set(["int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "bool"]);
const BUILDER_TYPES = new Set(["strings.Builder", "bytes.Buffer"]);
const BUILDER_WRITES = new Set(["WriteString", "Write", "WriteByte", "WriteRune"]);
/** `strings.Replace(s, "'", "''", -1)`: replacing a quote character is manual escaping. */
const QUOTES = /['"`]/u;

type EnvEntry = { node: GoNode; env: Env } | { built: Built };
type Env = Map<GoNode, EnvEntry>;

const hole = (kind: Hole["kind"], node: GoNode, what: string): Built => ({ pieces: [{ kind, node, what }], built: false });
const text = (s: string): Built => ({ pieces: [s], built: false });
function concat(parts: Built[], sep?: Built, built = true): Built {
  const pieces: Piece[] = [];
  parts.forEach((p, i) => {
    if (i > 0 && sep) pieces.push(...sep.pieces);
    pieces.push(...p.pieces);
  });
  return { pieces, built: built || parts.some((p) => p.built) };
}

/** Source text of the files seen while linting one file: the linted text, else the package cache's. */
let currentText: { root: GoNode; text: string } | undefined;
/** The source text of a node (whitespace runs collapsed), for messages and for comparing expressions. */
function nodeText(n: GoNode): string {
  const root = rootOf(n);
  let full: string | undefined;
  if (currentText?.root === root) full = currentText.text;
  else {
    const f = fileOfRoot(root);
    full = f ? f.cache.sourceText(f.path) : undefined;
  }
  if (full === undefined) return n.text ?? "";
  return full.slice(n.range[0], n.range[1]).replace(/\s+/gu, " ");
}

/**
 * Evaluates SQL-building expressions to pieces. One instance per rule run (per file); caches per
 * node when no environment is bound.
 */
export class SqlText {
  readonly #sanitizers: ReadonlySet<string>;
  readonly #cache = new Map<GoNode, Built>();
  readonly #validated = new Map<string, boolean>();
  readonly #active = new Set<GoNode>();

  constructor(sanitizers: Iterable<string> = []) {
    this.#sanitizers = new Set(sanitizers);
  }

  /** The pieces of the SQL text `expr` evaluates to. */
  of(expr: GoNode | undefined, env: Env = new Map(), depth = 0): Built {
    const e = unparen(expr);
    if (!e) return { pieces: [], built: false };
    if (depth > 14) return hole("unknown", e, "value");
    const cacheable = env.size === 0;
    if (cacheable) {
      const hit = this.#cache.get(e);
      if (hit) return hit;
    }
    if (this.#active.has(e)) return hole("unknown", e, "value");
    this.#active.add(e);
    let out: Built;
    try {
      out = this.#eval(e, env, depth);
    } finally {
      this.#active.delete(e);
    }
    if (cacheable) this.#cache.set(e, out);
    return out;
  }

  /** The constant SQL text with every hole replaced by `0`, for keyword checks (pagination). */
  flat(b: Built): string {
    return b.pieces.map((p) => (typeof p === "string" ? p : SAFE)).join("");
  }

  #eval(e: GoNode, env: Env, depth: number): Built {
    // An identifier bound by a helper call (its parameter) or by a self-referencing assignment.
    if (e.type === "identifier") {
      const b = resolveLocal(e);
      const bound = b ? env.get(b.id) : undefined;
      if (bound) return "built" in bound ? bound.built : this.of(bound.node, bound.env, depth + 1);
    }
    // A local's constant value may be changed by later assignments (`q += ...`): #variable sees them.
    const local = e.type === "identifier" ? resolveLocal(e) : undefined;
    const c = local && local.kind !== "param" ? undefined : constValue(e);
    if (c !== undefined) return text(String(c));
    if (e.type === "interpreted_string_literal" || e.type === "raw_string_literal") return text(stringValue(e) ?? "");
    switch (e.type) {
      case "binary_expression": {
        if (field(e, "operator")?.text !== "+") return this.#typed(e);
        // Arithmetic (`len(args)+1`) rather than concatenation.
        const l = field(e, "left");
        const r = field(e, "right");
        if ([l, r].some((x) => typeof constValue(x) === "number" || isSafeType(typeOf(x)) || isLenCall(x))) return text(SAFE);
        return concat([this.of(field(e, "left"), env, depth + 1), this.of(field(e, "right"), env, depth + 1)]);
      }
      case "call_expression":
        return this.#call(e, env, depth);
      case "identifier":
        return this.#identifier(e, env, depth);
      case "selector_expression":
        return this.#selector(e, env, depth);
      case "index_expression":
        return this.#index(e, env, depth);
      case "int_literal":
      case "float_literal":
      case "true":
      case "false":
      case "nil":
        return text(SAFE);
      default:
        return this.#typed(e);
    }
  }

  /** Safe when of a numeric/bool/time/UUID type; otherwise a hole goward cannot see through. */
  #typed(e: GoNode): Built {
    return isSafeType(typeOf(e)) ? text(SAFE) : hole("unknown", e, nodeText(e));
  }

  #call(e: GoNode, env: Env, depth: number): Built {
    const fn = unparen(field(e, "function"));
    const args = field(e, "arguments")?.children ?? [];
    const root = rootOf(e);
    const imports = importsOf(root);
    if (fn?.type === "identifier") {
      const name = fn.text ?? "";
      if (!resolveLocal(fn)) {
        if (NUMERIC_CONVERSIONS.has(name) || name === "len" || name === "cap") return text(SAFE);
        if (name === "string") return this.of(args[0], env, depth + 1);
        if (this.#sanitizers.has(name)) return text(SAFE);
        const f = packageOf(root).funcs.get(name);
        if (f) return this.#returns(f.node, args, env, depth);
      }
      return this.#typed(e);
    }
    // []byte(x), other conversions written as types.
    if (fn && (fn.type === "slice_type" || fn.type === "parenthesized_type")) return this.of(args[0], env, depth + 1);
    if (fn?.type !== "selector_expression") return this.#typed(e);
    const operand = field(fn, "operand");
    const name = field(fn, "field")?.text ?? "";
    const full = operand ? `${nodeText(operand)}.${name}` : name;
    if (this.#sanitizers.has(name) || this.#sanitizers.has(full)) return text(SAFE);
    const pkg = importedPackage(operand, imports);
    if (pkg) {
      const lib = imports.library(operand!.text!);
      if (lib === "fmt" && (name === "Sprintf" || name === "Sprint" || name === "Sprintln")) return this.#format(name, args, env, depth);
      if (lib && SQL_SAFE_FUNCTIONS[lib]?.has(name)) return text(SAFE);
      const input = lib ? REQUEST_INPUT_FUNCTIONS[lib]?.[name] : undefined;
      if (input) return hole("input", e, `${input} \`${nodeText(e)}\``);
      if (lib === "strings") return this.#strings(name, args, env, depth);
      if (lib === "strconv" && /^(?:Atoi|Parse)/u.test(name)) return text(SAFE);
      if (lib === "strconv" || lib === "sqlx") return args[0] ? { ...this.of(args[0], env, depth + 1) } : this.#typed(e);
      if (!lib) {
        const other = importedModel(root, pkg);
        const c = other?.constValue(name);
        if (c !== undefined) return text(String(c));
        const f = other?.funcs.get(name);
        if (f) return this.#returns(f.node, args, env, depth);
      }
      return this.#typed(e);
    }
    if (SQL_SANITIZER_METHODS.has(name)) return text(SAFE);
    const t = typeOf(operand);
    if (t) {
      if (name === "String" && BUILDER_TYPES.has(t)) return this.#builder(operand!, e, env, depth);
      const input = REQUEST_INPUT_READERS[t]?.[name];
      if (input) return hole("input", e, `${input} \`${nodeText(e)}\``);
      if (name === "Rebind" && (t === "sqlx.DB" || t === "sqlx.Tx")) return this.of(args[0], env, depth + 1);
      const owner = ownerOf(root, t);
      const m = owner?.model.method(owner.local, name);
      if (m) return this.#returns(m.node, args, env, depth);
    }
    if (isSafeType(callResultType(e))) return text(SAFE);
    return hole("unknown", e, nodeText(e));
  }

  /** The first result of every `return` of a same-package or same-module function, parameters bound to `args`. */
  #returns(fn: GoNode, args: GoNode[], env: Env, depth: number): Built {
    const rets = returnsOf(fn);
    if (rets.length === 0 || rets.length > 12) return hole("unknown", fn, "helper result");
    const inner: Env = new Map();
    let i = 0;
    for (const decl of field(fn, "parameters")?.children ?? []) {
      if (decl.type !== "parameter_declaration") continue;
      for (const id of fieldAll(decl, "name")) {
        if (args[i]) inner.set(id, { node: args[i], env });
        i++;
      }
    }
    const parts = rets.map((r) => {
      const first = r.children[0]?.type === "expression_list" ? r.children[0].children[0] : r.children[0];
      return first ? this.of(first, inner, depth + 1) : text("");
    });
    // Different returns are alternatives: keep the holes of each, in order.
    return concat(parts, undefined, parts.some((p) => p.built));
  }

  /** fmt.Sprintf: verbs of a constant format take the arguments in order. */
  #format(name: string, args: GoNode[], env: Env, depth: number): Built {
    if (name !== "Sprintf") return concat(args.map((a) => this.of(a, env, depth + 1)));
    const format = constValue(args[0]);
    if (typeof format !== "string" || /%\[/u.test(format)) return concat(args.map((a) => this.of(a, env, depth + 1)));
    const parts: Built[] = [];
    let arg = 1;
    let last = 0;
    const verb = /%[-+# 0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?([a-zA-Z%])/gu;
    for (let m = verb.exec(format); m; m = verb.exec(format)) {
      parts.push(text(format.slice(last, m.index)));
      last = m.index + m[0].length;
      if (m[1] === "%") {
        parts.push(text("%"));
        continue;
      }
      const a = args[arg++];
      parts.push(a ? this.of(a, env, depth + 1) : text(""));
    }
    parts.push(text(format.slice(last)));
    return concat(parts);
  }

  #strings(name: string, args: GoNode[], env: Env, depth: number): Built {
    if (name === "Join") return concat([this.#elements(args[0], env, depth)], undefined, true);
    if ((name === "Replace" || name === "ReplaceAll") && QUOTES.test(String(constValue(args[1]) ?? ""))) return text(SAFE);
    if (name === "Repeat") return concat([this.of(args[0], env, depth + 1)]);
    if (/^(?:Contains|HasPrefix|HasSuffix|Index|Count|Compare|EqualFold|LastIndex)/u.test(name)) return text(SAFE);
    return args[0] ? this.of(args[0], env, depth + 1) : text("");
  }

  /** The elements of a slice: a literal, or a local built with `append`. */
  #elements(expr: GoNode | undefined, env: Env, depth: number): Built {
    const e = unparen(expr);
    if (!e) return text("");
    if (e.type === "composite_literal") {
      const body = field(e, "body");
      return concat((body?.children ?? []).map((el) => this.of(el.type === "literal_element" ? el.children[0] : el.children[1]?.children[0], env, depth + 1)));
    }
    if (e.type !== "identifier") return this.of(e, env, depth + 1);
    const b = resolveLocal(e);
    if (!b) return this.#typed(e);
    if (b.kind === "param") return this.#param(e, b, env, depth);
    const fn = enclosingFunction(e);
    const parts: Built[] = [];
    if (b.value && b.values === b.names) parts.push(this.#elements(b.value, env, depth + 1));
    if (fn) {
      walk(fn, (n) => {
        if (n.range[0] >= e.range[0]) return false;
        if (n.type !== "assignment_statement") return true;
        const left = field(n, "left")?.children ?? [];
        const right = field(n, "right")?.children ?? [];
        left.forEach((l, i) => {
          if (l.type !== "identifier" || resolveLocal(l)?.id !== b.id || !right[i]) return;
          const r = unparen(right[i]);
          const callee = r?.type === "call_expression" ? unparen(field(r, "function")) : undefined;
          if (callee?.type === "identifier" && callee.text === "append") {
            const items = field(r!, "arguments")?.children ?? [];
            for (const item of items.slice(1)) parts.push(item.type === "variadic_argument" ? this.#elements(item.children[0], env, depth + 1) : this.of(item, env, depth + 1));
          } else parts.push(this.#elements(r, env, depth + 1));
        });
        return true;
      });
    }
    return concat(parts);
  }

  /** `sb.String()`: everything written into the builder before. */
  #builder(operand: GoNode, use: GoNode, env: Env, depth: number): Built {
    const id = unparen(operand);
    const b = id?.type === "identifier" ? resolveLocal(id) : undefined;
    const fn = enclosingFunction(use);
    if (!b || !fn) return hole("unknown", use, nodeText(use));
    const parts: Built[] = [];
    walk(fn, (n) => {
      if (n.range[0] >= use.range[0]) return false;
      if (n.type !== "call_expression") return true;
      const callee = unparen(field(n, "function"));
      if (callee?.type !== "selector_expression") return true;
      const name = field(callee, "field")?.text ?? "";
      const args = field(n, "arguments")?.children ?? [];
      const target = unparen(field(callee, "operand"));
      if (BUILDER_WRITES.has(name) && target?.type === "identifier" && resolveLocal(target)?.id === b.id) {
        parts.push(name === "WriteString" || name === "Write" ? this.of(args[0], env, depth + 1) : text(SAFE));
      } else if (/^Fprint/u.test(name) && importsOf(rootOf(n)).library(target?.text ?? "") === "fmt") {
        const w = unparen(args[0]);
        const wid = w?.type === "unary_expression" ? unparen(field(w, "operand")) : w;
        if (wid?.type === "identifier" && resolveLocal(wid)?.id === b.id) parts.push(this.#format(name.replace(/^F/u, "S"), args.slice(1), env, depth));
      }
      return true;
    });
    return concat(parts);
  }

  #identifier(e: GoNode, env: Env, depth: number): Built {
    const b = resolveLocal(e);
    if (!b) return this.#typed(e); // a package-level var (constants were evaluated already)
    if (this.#isValidated(e)) return text(SAFE);
    switch (b.kind) {
      case "param":
        // A parameter reassigned before the use (`prefix = strings.TrimSpace(prefix)`) is followed like a local.
        return this.#variable(e, b, env, depth, this.#param(e, b, env, depth));
      case "receiver":
      case "type-switch":
        return this.#typed(e);
      case "range":
        return this.#range(e, b, env, depth);
      default:
        return this.#variable(e, b, env, depth);
    }
  }

  #param(e: GoNode, b: Binding, env: Env, depth: number): Built {
    const bound = env.get(b.id);
    if (bound) return "built" in bound ? bound.built : this.of(bound.node, bound.env, depth + 1);
    const t = typeOf(e);
    if (isSafeType(t)) return text(SAFE);
    if (t !== "builtin.string" && t !== "builtin.slice") return hole("unknown", e, b.name);
    const fromCallers = this.#viaCallers(b, e, depth, (arg) => this.of(arg, new Map(), depth + 1));
    return fromCallers ?? hole("dynamic", e, `parameter \`${b.name}\``);
  }

  /**
   * A parameter's value as its callers in the package pass it: request input at any call site
   * makes it input; for an unexported function whose every visible caller passes something that
   * is neither input nor a non-constant parameter, it is not reported. Undefined: no caller seen.
   */
  #viaCallers(b: Binding, e: GoNode, depth: number, evaluate: (arg: GoNode) => Built): Built | undefined {
    if (depth > 10) return undefined;
    const fn = enclosingFunction(b.id);
    const sites = fn ? callSitesOf(fn) : [];
    if (!fn || sites.length === 0) return undefined;
    const index = parameterIndex(fn, b.id);
    if (index < 0) return undefined;
    let dynamic = false;
    for (const site of sites) {
      const arg = site.args[index];
      if (!arg || arg.type === "variadic_argument") return undefined;
      const r = evaluate(arg);
      const input = r.pieces.find((p): p is Hole => typeof p !== "string" && p.kind === "input");
      if (input) return { pieces: [{ ...input, what: / \(passed to /u.test(input.what) ? input.what : `${input.what} (passed to \`${field(fn, "name")?.text ?? "a function"}\`)` }], built: false };
      if (r.pieces.some((p) => typeof p !== "string" && p.kind === "dynamic")) dynamic = true;
    }
    const name = field(fn, "name")?.text ?? "";
    if (!dynamic && /^[a-z_]/u.test(name)) return hole("unknown", e, b.name);
    return undefined;
  }

  /** `base.F...` where `base` is a local filled from the request, or a parameter (followed to its callers). */
  #fieldOf(base: GoNode, e: GoNode, path: string, t: TypeRef | undefined, depth: number): Built {
    const b = resolveLocal(base);
    if (!b) return this.#typed(e);
    if (boundFromRequest(base, b)) return hole("input", e, `request field \`${nodeText(base)}${path}\``);
    if (b.kind !== "param") return this.#typed(e);
    const fromCallers = this.#viaCallers(b, e, depth, (arg) => {
      const root = rootIdentifier(arg);
      const extra = root ? nodeText(unparen(arg)!).replace(/^&/u, "").slice(nodeText(root).length) : "";
      return root ? this.#fieldOf(root, e, extra + path, t, depth + 1) : hole("unknown", arg, nodeText(arg));
    });
    if (fromCallers) return fromCallers;
    if (t === "builtin.string" || t === "builtin.slice") return hole("dynamic", e, `\`${nodeText(e)}\` (a field of parameter \`${b.name}\`)`);
    return this.#typed(e);
  }

  #range(e: GoNode, b: Binding, env: Env, depth: number): Built {
    if (isSafeType(typeOf(e))) return text(SAFE);
    const ranged = unparen(field(b.declaration, "right"));
    if (!ranged) return this.#typed(e);
    const lit = ranged.type === "composite_literal" ? ranged : ranged.type === "identifier" ? definitionOf(ranged) : undefined;
    if (lit?.type === "composite_literal") {
      const body = field(lit, "body");
      const isMap = typeOf(lit) === "builtin.map";
      if (b.index === 0 && !isMap) return text(SAFE);
      return concat((body?.children ?? []).map((el) => {
        if (el.type === "keyed_element") return this.of(el.children[b.index === 0 ? 0 : 1]?.children[0], env, depth + 1);
        return this.of(el.children[0], env, depth + 1);
      }));
    }
    return this.#elements(ranged, env, depth);
  }

  /** A local: its definition, then every `=` and `+=` to it before the use, in order. */
  #variable(e: GoNode, b: Binding, env: Env, depth: number, initial?: Built): Built {
    let current: Built | undefined = initial;
    const value = initial ? undefined : unparen(b.value);
    if (initial) {
      // a parameter: its value so far is `initial`
    } else if (value) {
      if (b.values === b.names) current = this.of(value, env, depth + 1);
      else if (b.index === 0 && (value.type === "index_expression" || value.type === "call_expression" || value.type === "type_assertion_expression")) {
        // `col, ok := allowed[key]`, `s, err := build()`: the first name carries the value.
        current = value.type === "type_assertion_expression" ? this.of(field(value, "operand"), env, depth + 1) : this.of(value, env, depth + 1);
      } else current = hole("unknown", e, b.name);
    } else if (isSafeType(typeOf(e))) return text(SAFE);
    const fn = enclosingFunction(e);
    if (fn) {
      const assigns: GoNode[] = [];
      walk(fn, (n) => {
        if (n.range[0] >= e.range[0]) return false;
        if (n.type === "assignment_statement") assigns.push(n);
        return true;
      });
      for (const n of assigns) {
        const op = field(n, "operator")?.text;
        const left = field(n, "left")?.children ?? [];
        const right = field(n, "right")?.children ?? [];
        left.forEach((l, i) => {
          if (l.type !== "identifier" || l.text !== b.name || resolveLocal(l)?.id !== b.id) return;
          const r = right.length === left.length ? right[i] : right.length === 1 && i === 0 ? right[0] : undefined;
          if (!r) {
            current = concat([current ?? text(""), hole("unknown", l, b.name)]);
            return;
          }
          if (op === "+=") {
            current = concat([current ?? text(""), this.of(r, env, depth + 1)]);
            return;
          }
          // `q = q + " AND ..."`: the q on the right is the value so far.
          const inner: Env = new Map(env);
          inner.set(b.id, { built: current ?? text("") });
          const next = this.of(r, inner, depth + 1);
          current = refersTo(r, b) ? next : concat([current ?? text(""), next], undefined, (current?.built ?? false) || next.built);
        });
      }
    }
    return current ?? hole("unknown", e, b.name);
  }

  #selector(e: GoNode, env: Env, depth: number): Built {
    const operand = field(e, "operand");
    const name = field(e, "field")?.text ?? "";
    const root = rootOf(e);
    const pkg = importedPackage(operand, importsOf(root));
    if (pkg) {
      const c = importedModel(root, pkg)?.constValue(name);
      return c !== undefined ? text(String(c)) : this.#typed(e);
    }
    if (this.#isValidated(e)) return text(SAFE);
    const t = typeOf(e);
    if (isSafeType(t)) return text(SAFE);
    if (hasOneOfTag(operand, name)) return text(SAFE);
    // The struct the field belongs to: a local filled from the request, or a parameter.
    let base = unparen(operand);
    while (base?.type === "selector_expression") base = unparen(field(base, "operand"));
    const b = base?.type === "identifier" ? resolveLocal(base) : undefined;
    if (b && base) {
      const path = nodeText(e).slice(nodeText(base).length);
      const bound = env.get(b.id);
      if (bound && !("built" in bound)) {
        const arg = rootIdentifier(bound.node);
        if (!arg) return this.#typed(e);
        const extra = nodeText(unparen(bound.node)!).replace(/^&/u, "").slice(nodeText(arg).length);
        return this.#fieldOf(arg, e, extra + path, t, depth + 1);
      }
      if (b.kind === "param" || boundFromRequest(base, b)) return this.#fieldOf(base, e, path, t, depth + 1);
    }
    const def = definitionOf(e);
    if (def && def !== e) return this.of(def, env, depth + 1);
    return this.#typed(e);
  }

  #index(e: GoNode, env: Env, depth: number): Built {
    const operand = unparen(field(e, "operand"));
    if (!operand) return this.#typed(e);
    if (this.#isValidated(e)) return text(SAFE);
    // A lookup in a fixed map (`allowed[sort]`) yields one of its values, whatever the key.
    const lit = operand.type === "composite_literal" ? operand : definitionOf(operand);
    if (lit?.type === "composite_literal") {
      const body = field(lit, "body");
      const values = (body?.children ?? []).map((el) => (el.type === "keyed_element" ? el.children[1]?.children[0] : el.children[0]));
      return concat(values.map((v) => this.of(v, env, depth + 1)), undefined, false);
    }
    return this.of(operand, env, depth + 1);
  }

  /**
   * Is the value checked against an allow-list in its function: a map lookup with it as the key,
   * a call taking it (`slices.Contains`, `isValidColumn`, a regexp), an equality with a non-empty
   * constant, or a `switch` on it with constant cases?
   */
  #isValidated(e: GoNode): boolean {
    const fn = enclosingFunction(e);
    if (!fn) return false;
    const key = `${fn.range[0]}:${nodeText(e)}`;
    const hit = this.#validated.get(key);
    if (hit !== undefined) return hit;
    const target = nodeText(e);
    const same = (n: GoNode | undefined) => !!n && (n.type === "identifier" || n.type === "selector_expression") && nodeText(n) === target;
    const checks = (x: GoNode): boolean => {
      let ok = false;
      const visit = (n: GoNode) => {
        if (ok) return;
        if (n.type === "index_expression" && same(unparen(field(n, "index")))) ok = true;
        else if (n.type === "call_expression") {
          if (isCheckCall(n) && (field(n, "arguments")?.children ?? []).some((a) => same(unparen(a)))) ok = true;
        } else if (n.type === "binary_expression" && ["==", "!="].includes(field(n, "operator")?.text ?? "")) {
          const l = unparen(field(n, "left"));
          const r = unparen(field(n, "right"));
          const other = same(l) ? r : same(r) ? l : undefined;
          const v = other ? constValue(other) : undefined;
          if (typeof v === "string" && v !== "") ok = true;
        }
        for (const c of n.children) visit(c);
      };
      visit(x);
      return ok;
    };
    let found = false;
    walk(fn, (n) => {
      if (found) return false;
      if (n.type === "if_statement") {
        const cond = field(n, "condition");
        const init = field(n, "initializer");
        if ((cond && checks(cond)) || (init && checks(init))) found = true;
      } else if (n.type === "expression_switch_statement") {
        const v = unparen(field(n, "value"));
        if (v && same(v)) found = true;
      }
      return !found;
    });
    this.#validated.set(key, found);
    return found;
  }
}

const callSites = new WeakMap<GoNode, Array<{ call: GoNode; args: GoNode[] }>>();

/**
 * Calls of a function or method from the files of its package (methods matched by name and
 * receiver type). At most 8 are kept: enough to find input, cheap enough to follow.
 */
function callSitesOf(fn: GoNode): Array<{ call: GoNode; args: GoNode[] }> {
  const hit = callSites.get(fn);
  if (hit) return hit;
  const out: Array<{ call: GoNode; args: GoNode[] }> = [];
  callSites.set(fn, out);
  const name = field(fn, "name")?.text;
  if (!name || fn.type === "func_literal") return out;
  const isMethod = fn.type === "method_declaration";
  const recvType = isMethod ? field(field(fn, "receiver")?.children.find((c) => c.type === "parameter_declaration"), "type") : undefined;
  const model = packageOf(rootOf(fn));
  const recvRef = recvType ? model.typeRefOf(recvType, importsOf(rootOf(fn))) : undefined;
  for (const file of model.files.values()) {
    walk(file.ast, (n) => {
      if (out.length >= 8) return false;
      if (n.type !== "call_expression") return true;
      const callee = unparen(field(n, "function"));
      if (!isMethod && callee?.type === "identifier" && callee.text === name && !resolveLocal(callee)) {
        out.push({ call: n, args: field(n, "arguments")?.children ?? [] });
      } else if (isMethod && callee?.type === "selector_expression" && field(callee, "field")?.text === name && recvRef) {
        if (typeOf(field(callee, "operand")) === recvRef) out.push({ call: n, args: field(n, "arguments")?.children ?? [] });
      }
      return true;
    });
  }
  return out;
}

function parameterIndex(fn: GoNode, id: GoNode): number {
  let i = 0;
  for (const decl of field(fn, "parameters")?.children ?? []) {
    if (decl.type !== "parameter_declaration" && decl.type !== "variadic_parameter_declaration") continue;
    for (const n of fieldAll(decl, "name")) {
      if (n === id) return i;
      i++;
    }
  }
  return -1;
}

const SQL_METHOD_NAMES: ReadonlySet<string> = new Set(Object.values(SQL_TEXT_METHODS).flatMap((m) => Object.keys(m)));
const STRING_CHECKS = new Set(["Contains", "ContainsAny", "HasPrefix", "HasSuffix", "EqualFold"]);

/**
 * A call in an `if` that can check a value: not len/cap, not the query itself
 * (`if err := db.Order(sort).Find(&x).Error; ...`), not a formatter or a strings transformation.
 */
function isCheckCall(call: GoNode): boolean {
  const callee = unparen(field(call, "function"));
  if (callee?.type === "identifier") return callee.text !== "len" && callee.text !== "cap";
  if (callee?.type !== "selector_expression") return false;
  const name = field(callee, "field")?.text ?? "";
  const lib = importsOf(rootOf(call)).library(field(callee, "operand")?.text ?? "");
  if (lib === "fmt" || lib === "strconv") return false;
  if (lib === "strings") return STRING_CHECKS.has(name);
  if (SQL_METHOD_NAMES.has(name) && !lib) {
    const t = typeOf(field(callee, "operand"));
    if (t && SQL_TEXT_METHODS[t]) return false;
  }
  return true;
}

function isLenCall(x: GoNode | undefined): boolean {
  const e = unparen(x);
  const callee = e?.type === "call_expression" ? unparen(field(e, "function")) : undefined;
  return callee?.type === "identifier" && (callee.text === "len" || callee.text === "cap") && !resolveLocal(callee);
}

function refersTo(expr: GoNode, b: Binding): boolean {
  let found = false;
  const visit = (n: GoNode) => {
    if (found) return;
    if (n.type === "identifier" && n.text === b.name && resolveLocal(n)?.id === b.id) found = true;
    for (const c of n.children) visit(c);
  };
  visit(expr);
  return found;
}

function rootIdentifier(expr: GoNode): GoNode | undefined {
  let e = unparen(expr);
  while (e?.type === "selector_expression" || e?.type === "unary_expression") e = unparen(field(e, e.type === "selector_expression" ? "operand" : "operand"));
  return e?.type === "identifier" ? e : undefined;
}

const BINDER_TYPES: readonly TypeRef[] = ["fiber.Ctx", "gin.Context", "echo.Context"];

/**
 * Is the local `id` (a struct or map) filled from the request: its address (or the pointer)
 * handed to a framework binder (`c.ShouldBindJSON(&req)`, `c.BodyParser(&req)`,
 * `c.QueryParser(&q)`, `c.Bind(&req)`) or decoded from the body (`json.NewDecoder(r.Body).Decode(&req)`)?
 */
export function boundFromRequest(id: GoNode, b: Binding): boolean {
  if (b.kind === "param" || b.kind === "receiver") return false;
  const fn = enclosingFunction(b.id);
  if (!fn) return false;
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n.type !== "call_expression") return true;
    const callee = unparen(field(n, "function"));
    if (callee?.type !== "selector_expression") return true;
    const name = field(callee, "field")?.text ?? "";
    const arg = unparen(field(n, "arguments")?.children[0]);
    const target = arg?.type === "unary_expression" ? unparen(field(arg, "operand")) : arg;
    if (target?.type !== "identifier" || target.text !== id.text || resolveLocal(target)?.id !== b.id) return true;
    if (name === "Decode") {
      if (/\bBody\b|Request\(\)/u.test(nodeText(field(callee, "operand")!))) found = true;
      return true;
    }
    const t = typeOf(field(callee, "operand"));
    if (t && BINDER_TYPES.includes(t) && ERROR_METHODS[t]?.[name] === "bind") found = true;
    return true;
  });
  return found;
}

/** A struct field whose binding tag restricts it to fixed values (`binding:"oneof=asc desc"`). */
function hasOneOfTag(operand: GoNode | undefined, name: string): boolean {
  const t = typeOf(operand);
  if (!t) return false;
  const owner = ownerOf(rootOf(operand!), t);
  const fact = owner?.model.types.get(owner.local.replace(/^pkg\./u, ""));
  if (!fact) return false;
  let ok = false;
  walk(fact.spec, (n) => {
    if (ok) return false;
    if (n.type === "field_declaration" && fieldAll(n, "name").some((id) => id.text === name)) {
      const tag = field(n, "tag");
      if (tag && /\boneof=/u.test(stringValue(tag) ?? tag.text ?? "")) ok = true;
      return false;
    }
    return true;
  });
  return ok;
}

/** The clause keyword that governs the text right after `before`: ORDER BY? */
function inOrderBy(before: string): boolean {
  const kw = /\b(ORDER\s+BY|GROUP\s+BY|WHERE|FROM|SELECT|LIMIT|OFFSET|SET|VALUES|HAVING|JOIN|ON|AND|OR|INTO|UPDATE|RETURNING)\b/giu;
  let last = "";
  for (let m = kw.exec(before); m; m = kw.exec(before)) last = m[1].toUpperCase().replace(/\s+/gu, " ");
  return last === "ORDER BY";
}

/**
 * Does text placed after `before` stand for a value: inside a quoted literal, right after a
 * comparison, LIKE, IN (, VALUES (, BETWEEN, LIMIT or OFFSET?
 */
export function valuePosition(before: string): boolean {
  const quotes = (before.replace(/''/gu, "").match(/'/gu) ?? []).length;
  if (quotes % 2 === 1) return true;
  if (/(?:=|<>|<|>|\bLIKE|\bILIKE|\bBETWEEN|\bLIMIT|\bOFFSET)\s*$/iu.test(before)) return true;
  // Inside `IN (...)` or `VALUES (...)`: after the paren or a comma.
  if (!/[(,]\s*$/u.test(before)) return false;
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const ch = before[i];
    if (ch === ")") depth++;
    else if (ch === "(") {
      if (depth === 0) return /\b(?:IN|VALUES)\s*$/iu.test(before.slice(0, i));
      depth--;
    }
  }
  return false;
}

/** The SQL argument of a call to a query method (database/sql, sqlx, pgx, GORM), with its method name and receiver type. */
export function sqlArgument(call: GoNode): { arg: GoNode; method: string; type: TypeRef } | undefined {
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const method = field(fn, "field")?.text ?? "";
  let known = false;
  for (const m of Object.values(SQL_TEXT_METHODS)) if (method in m) known = true;
  if (!known) return undefined;
  const operand = field(fn, "operand");
  if (importedPackage(operand, importsOf(rootOf(call)))) return undefined;
  const type = typeOf(operand);
  const index = type ? SQL_TEXT_METHODS[type]?.[method] : undefined;
  if (index === undefined || !type) return undefined;
  const arg = field(call, "arguments")?.children[index];
  if (!arg || arg.type === "variadic_argument") return undefined;
  return { arg, method, type };
}

export default createRule<Options, MessageIds>({
  name: "no-sql-injection",
  // Sound: every report is the SQL argument of a call named in SQL_TEXT_METHODS (the SQL may be built elsewhere).
  prefilter: anyWord(SQL_METHOD_NAMES),
  meta: {
    type: "problem",
    docs: {
      description: "SQL must not be built from request input or other non-constant strings (fmt.Sprintf, +, strings.Builder): use placeholders and allow-lists",
      recommended: "error",
      security: {
        cwe: [89],
        securitySeverity: 9.8,
        precision: "high",
        frameworks: ["database/sql", "sqlx", "pgx", "pgxpool", "gorm", "fiber", "gin", "echo", "chi", "gorilla/mux", "net/http"],
        tags: ["injection", "sql"],
      },
    },
    messages: {
      inputOrder:
        "{{source}} goes into ORDER BY of this {{sink}} query: sort columns cannot be placeholders, and a crafted value (`(CASE WHEN (SELECT ...) THEN name ELSE id END)`) reads the database one bit per request. Map the client's sort key to a fixed column (`col, ok := allowedSorts[key]`) and build ORDER BY from that.",
      input:
        "{{source}} is built into the SQL text of this {{sink}} call: the client can change the query (read other rows, bypass filters, write data). Pass it as a placeholder argument (`WHERE name = ?` / `$1` with the value as an argument); identifiers must come from an allow-list or pgx.Identifier{...}.Sanitize() / pq.QuoteIdentifier.",
      dynamicOrder:
        "ORDER BY of this {{sink}} query is built from {{source}}, which is not a constant: if a caller passes client input this is SQL injection. Choose the column from a fixed map (`col, ok := allowedSorts[key]`) before building the query.",
      dynamic:
        "SQL text of this {{sink}} call is built from {{source}}, which is not a constant: if it ever carries client input the query can be rewritten. Use placeholders for values; take identifiers from an allow-list or quote them with pgx.Identifier{...}.Sanitize() / pq.QuoteIdentifier.",
    },
    schema: [
      {
        type: "object",
        properties: {
          sanitizers: {
            type: "array",
            items: { type: "string" },
            description: "Functions or methods (`quoteIdent`, `dialect.Quote`) whose result is safe to put into SQL text.",
          },
          nonConstant: {
            enum: ["values", "all", "off"],
            description:
              "SQL built from non-constant strings not traced to request input (function parameters and their fields): reported where they stand for a value (in quotes, after a comparison, in LIMIT/OFFSET or VALUES) or in ORDER BY (\"values\", the default), anywhere, identifiers included (\"all\"), or never (\"off\").",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ sanitizers: [], nonConstant: "values" }],
  },
  create(context) {
    const opts = context.options[0] ?? {};
    const sql = new SqlText(opts.sanitizers ?? []);
    setCurrentText(context.sourceCode.ast as unknown as GoNode, context.sourceCode.text);
    const nonConstant = opts.nonConstant ?? "values";

    return {
      call_expression(call) {
        const target = sqlArgument(call);
        if (!target) return;
        const { arg, method, type } = target;
        // GORM builder methods also take structs, maps and clause values: only strings are SQL text.
        if (type === "gorm.DB" && GORM_FRAGMENT_METHODS.has(method)) {
          const t = typeOf(arg);
          if (t && t !== "builtin.string") return;
          const a = unparen(arg);
          if (a?.type === "composite_literal" || a?.type === "unary_expression") return;
        }
        const built = sql.of(arg);
        const sink = `${sinkName(type)} \`${method}\``;
        const orderSink = type === "gorm.DB" && method === "Order";
        let before = "";
        let input: { hole: Hole; order: boolean } | undefined;
        let dynamic: { hole: Hole; order: boolean } | undefined;
        for (const p of built.pieces) {
          if (typeof p === "string") {
            before += p;
            continue;
          }
          const order = orderSink || inOrderBy(before);
          if (p.kind === "input" && (!input || (order && !input.order))) input = { hole: p, order };
          // Table and column names from parameters are everyday code: by default only values and ORDER BY count.
          const counts = nonConstant === "all" || (nonConstant === "values" && (order || valuePosition(before)));
          if (p.kind === "dynamic" && counts && (!dynamic || (order && !dynamic.order))) dynamic = { hole: p, order };
          before += SAFE;
        }
        const file = fileOfRoot(rootOf(call))?.path ?? context.physicalFilename ?? context.filename;
        if (input) {
          context.report({ node: arg, messageId: input.order ? "inputOrder" : "input", data: { source: capitalize(input.hole.what), sink } });
          const holeFile = fileOfRoot(rootOf(input.hole.node))?.path ?? file;
          if (holeFile !== file || input.hole.node.loc.start.line !== arg.loc.start.line) {
            recordRelated(RULE_ID, file, arg.loc.start.line, arg.loc.start.column + 1, [
              { file: holeFile, line: input.hole.node.loc.start.line, column: input.hole.node.loc.start.column + 1, message: `reads the ${input.hole.what.replace(/ \(passed to .*$/u, "")}` },
            ]);
          }
          return;
        }
        if (dynamic && built.built) {
          context.report({ node: arg, messageId: dynamic.order ? "dynamicOrder" : "dynamic", data: { source: dynamic.hole.what, sink } });
        }
      },
    };
  },
});

function sinkName(type: TypeRef): string {
  if (type === "gorm.DB") return "GORM";
  if (type.startsWith("sqlx.")) return "sqlx";
  if (type.startsWith("pgx") ) return "pgx";
  return "database/sql";
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Tells nodeText the text of the file being linted (rules that use SqlText call it in `create`). */
export function setCurrentText(root: GoNode, text: string): void {
  currentText = { root, text };
}
