/**
 * jwt-require-claims (CWE-613): JWTs must expire and their claims must be validated. Reported:
 * `jwt.WithoutClaimsValidation()` / `SkipClaimsValidation: true`, tokens minted without `exp`,
 * claims types whose own `Valid()` / `GetExpirationTime()` never looks at an expiry, a leeway
 * above `maxLeeway`, and identity claims read in a way that silently turns a missing claim into
 * a zero value (`sub, _ := claims["sub"].(string)`, `fmt.Sprint(claims["user_id"])`).
 * Single-value assertions (`claims["sub"].(string)`) panic rather than mis-identify: they are
 * no-unchecked-assertion's findings and are not reported here again.
 */
import { createRule, GAP } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, isFunctionLike, rootOf, stringValue, unparen, walk } from "../src/semantic/ast.js";
import { JWT_EXPIRY_CLAIMS, JWT_OPTIONS, JWT_PARSE_FUNCTIONS, JWT_PARSER_METHODS, TIME_UNITS, type TypeRef } from "../src/semantic/library.js";
import { ownerOf, packageOf, type PackageModel } from "../src/semantic/package.js";
import { requestValue, resolveLocal, typeOf, typeOfTypeNode, type Binding } from "../src/semantic/types.js";
import { constValue, definitionOf, keyedElement, keyedValue } from "../src/semantic/values.js";
import { words } from "../src/semantic/secrets.js";
import { argsOf, isQualifiedConfigType, isTestFile, libraryCall, libraryRef, parserOrigin } from "./jwt-require-algorithm.js";

type Options = [{ maxLeeway?: number }];
type MessageId = "withoutValidation" | "skipField" | "noExp" | "neverValidatesExp" | "leeway" | "uncheckedIdentity" | "sprintIdentity" | "removeOption" | "setFalse";

const DEFAULT_MAX_LEEWAY = 300;

/** Function and method names the call visitor looks at. */
const CALL_NAMES: ReadonlySet<string> = new Set([
  JWT_OPTIONS.skipClaims, JWT_OPTIONS.leeway, JWT_OPTIONS.requestClaims, "NewWithClaims", "New", "Sprint", "Sprintf",
  ...Object.values(JWT_PARSE_FUNCTIONS).flatMap((m) => Object.keys(m ?? {})),
  ...Object.keys(JWT_PARSER_METHODS),
]);

/** Struct fields that hold an expiry: `Exp`, `ExpiresAt`, `Expiry`, `ExpiredAt`, ... */
const EXPIRY_FIELD = /^(?:Exp|Expiry|Expires|ExpiresAt|ExpireAt|ExpiredAt|ExpiryAt|Expiration|ExpirationTime|ExpiresIn)$/u;

type Expiry = "exp" | "no-exp" | "unknown";

// ---------------------------------------------------------------------------------------------
// Does a minted token carry an expiry?
// ---------------------------------------------------------------------------------------------

function stripAddress(e: GoNode | undefined): GoNode | undefined {
  let n = unparen(e);
  while (n?.type === "unary_expression" && field(n, "operator")?.text === "&") n = unparen(field(n, "operand"));
  return n;
}

function jsonTag(decl: GoNode | undefined): string | undefined {
  const tag = stringValue(field(decl, "tag"));
  return tag ? /(?:^|\s)json:"([^",]*)/u.exec(tag)?.[1] : undefined;
}

interface StructShape {
  model: PackageModel;
  local: TypeRef;
  /**
   * field name → kind: an embedded jwt claims type, an embedded package struct, an expiry field,
   * another embedded type ("embedded": goward cannot see its fields), or any other field.
   */
  fields: Map<string, { kind: "jwt" | "struct" | "expiry" | "embedded" | "other"; ref?: TypeRef }>;
  /** The type encodes itself (MarshalJSON): its JSON keys are not its fields. */
  customJson: boolean;
}

function structShape(root: GoNode, ref: TypeRef): StructShape | undefined {
  const owner = ownerOf(rootOf(root), ref);
  if (!owner) return undefined;
  const t = owner.model.types.get(owner.local.slice(4));
  if (!t?.fields) return undefined;
  const fields: StructShape["fields"] = new Map();
  const list = t.underlying?.children.find((c) => c.type === "field_declaration_list");
  const decls = new Map<string, GoNode>();
  for (const d of list?.children ?? []) {
    if (d.type !== "field_declaration") continue;
    for (const n of fieldAll(d, "name")) if (n.text) decls.set(n.text, d);
  }
  for (const f of t.fields) {
    const fref = owner.model.typeRefOf(f.typeNode, t.file.imports);
    if (f.embedded) {
      if (fref && JWT_EXPIRY_CLAIMS.has(fref)) fields.set(f.name, { kind: "jwt", ref: fref });
      else if (fref?.startsWith("pkg.")) fields.set(f.name, { kind: "struct", ref: fref });
      else fields.set(f.name, { kind: "embedded", ref: fref });
    } else if (EXPIRY_FIELD.test(f.name) || jsonTag(decls.get(f.name)) === "exp") fields.set(f.name, { kind: "expiry" });
    else fields.set(f.name, { kind: "other", ref: fref });
  }
  return { model: owner.model, local: owner.local, fields, customJson: !!owner.model.method(owner.local, "MarshalJSON") };
}

/** Can a value of the struct carry an expiry at all (own field or embedded claims, recursively)? */
function canExpire(shape: StructShape, depth = 0): boolean | undefined {
  if (depth > 4 || shape.customJson) return undefined;
  let unknown = false;
  for (const f of shape.fields.values()) {
    if (f.kind === "jwt" || f.kind === "expiry") return true;
    if (f.kind === "struct" && f.ref) {
      const inner = structShapeIn(shape.model, f.ref);
      const v = inner ? canExpire(inner, depth + 1) : undefined;
      if (v) return true;
      if (v === undefined) unknown = true;
    }
    // Only embedded fields flatten into the top-level claims; a named field holds a nested object.
    if (f.kind === "embedded") unknown = true;
  }
  return unknown ? undefined : false;
}

function structShapeIn(model: PackageModel, ref: TypeRef): StructShape | undefined {
  const anyFile = model.files.values().next().value;
  return anyFile ? structShape(anyFile.ast, ref) : undefined;
}

/** Does the literal (of a claims type) set an expiry? */
function literalExpiry(lit: GoNode, depth = 0): Expiry {
  if (depth > 5) return "unknown";
  const t = typeOf(lit);
  const body = field(lit, "body");
  const elements = (body?.children ?? []).filter((c) => c.type !== "comment");
  if (t === "jwt.MapClaims" || t === "builtin.map") {
    let verdict: Expiry = "no-exp";
    for (const el of elements) {
      if (el.type !== "keyed_element") return "unknown";
      const key = constValue(el.children[0]?.children[0] ?? el.children[0]);
      if (typeof key !== "string") verdict = "unknown";
      else if (key === "exp") return "exp";
    }
    return verdict;
  }
  if (elements.some((el) => el.type !== "keyed_element")) return elements.length ? "unknown" : "no-exp";
  if (t && JWT_EXPIRY_CLAIMS.has(t)) return keyedValue(lit, "ExpiresAt") ? "exp" : "no-exp";
  if (!t) return "unknown";
  // An expiry field set directly, or through a promoted field (`ExpiresAt:` of an embedded jwt.RegisteredClaims).
  for (const el of elements) {
    const key = el.children[0]?.children[0] ?? el.children[0];
    if (key?.type === "identifier" && EXPIRY_FIELD.test(key.text ?? "")) return "exp";
  }
  const shape = structShape(lit, t);
  if (!shape) return "unknown";
  let verdict: Expiry = "no-exp";
  for (const [name, f] of shape.fields) {
    const value = stripAddress(keyedValue(lit, name));
    if (!value) continue;
    if (f.kind === "expiry") return "exp";
    if (f.kind === "jwt" || f.kind === "struct") {
      const v = value.type === "composite_literal" ? literalExpiry(value, depth + 1) : "unknown";
      if (v === "exp") return "exp";
      if (v === "unknown") verdict = "unknown";
    }
  }
  if (verdict === "unknown") return "unknown";
  const can = canExpire(shape);
  if (can === undefined) return "unknown";
  if (can) return "no-exp";
  // No field could hold an expiry: whatever the type's own validation does, it has nothing to check.
  return validatesWithoutExpiry(shape, "Valid") !== false && validatesWithoutExpiry(shape, "GetExpirationTime") !== false ? "no-exp" : "unknown";
}

/**
 * Changes to a claims variable in its function: an `exp` key or expiry field assigned ("exp"),
 * anything goward cannot follow (a method call, the claims handed to another function, a
 * computed key: "unknown"), or nothing relevant ("none").
 */
function mutations(b: Binding, site: GoNode): Expiry | "none" {
  const fn = enclosingFunction(b.id);
  if (!fn) return "unknown";
  let verdict: Expiry | "none" = "none";
  walk(fn, (n) => {
    if (verdict === "exp") return false;
    if (n.type !== "identifier" || n.text !== b.name || n === b.id || resolveLocal(n)?.id !== b.id) return true;
    let child: GoNode = n;
    let p = n.parent;
    while (p && (p.type === "parenthesized_expression" || (p.type === "unary_expression" && field(p, "operator")?.text === "&"))) {
      child = p;
      p = p.parent;
    }
    if (!p) return true;
    if (p.type === "argument_list") {
      if (p.parent !== site) verdict = "unknown";
      return true;
    }
    if (p.type === "index_expression" && field(p, "operand") === child) {
      if (isAssigned(p)) {
        const key = constValue(field(p, "index"));
        if (key === "exp") verdict = "exp";
        else if (typeof key !== "string") verdict = "unknown";
      }
      return true;
    }
    if (p.type === "selector_expression" && field(p, "operand") === child) {
      // `c.ExpiresAt = ...`, `c.RegisteredClaims.ExpiresAt = ...`, `c.RegisteredClaims = jwt.RegisteredClaims{...}`.
      let sel: GoNode = p;
      const names: string[] = [field(p, "field")?.text ?? ""];
      while (sel.parent?.type === "selector_expression" && field(sel.parent, "operand") === sel) {
        sel = sel.parent;
        names.push(field(sel, "field")?.text ?? "");
      }
      if (sel.parent?.type === "call_expression" && field(sel.parent, "function") === sel) {
        verdict = "unknown"; // c.SetExpiry(...)
        return true;
      }
      if (isAssigned(sel)) {
        if (names.some((x) => EXPIRY_FIELD.test(x))) verdict = "exp";
        else {
          const value = assignedValue(sel);
          const v = value?.type === "composite_literal" ? literalExpiry(value) : "unknown";
          if (v === "exp") verdict = "exp";
          else if (v === "unknown" && names.length === 1 && /Claims$/u.test(names[0])) verdict = "unknown";
        }
      }
      return true;
    }
    if ((p.type === "expression_list" || p.type === "assignment_statement") && isAssigned(child)) verdict = "unknown"; // claims = other
    return true;
  });
  return verdict;
}

function isAssigned(target: GoNode): boolean {
  const list = target.parent;
  const stmt = list?.type === "expression_list" ? list.parent : list;
  return stmt?.type === "assignment_statement" && (field(stmt, "left") === list || field(stmt, "left") === target);
}

function assignedValue(target: GoNode): GoNode | undefined {
  const list = target.parent;
  const stmt = list?.type === "expression_list" ? list.parent : undefined;
  if (stmt?.type !== "assignment_statement") return undefined;
  const i = list!.children.indexOf(target);
  return stripAddress(field(stmt, "right")?.children[i]);
}

/** Does the claims value given to `NewWithClaims` (at `site`) carry an expiry? */
function claimsExpiry(expr: GoNode | undefined, site: GoNode, depth = 0): Expiry {
  const e = stripAddress(expr);
  if (!e || depth > 4) return "unknown";
  if (e.type === "composite_literal") return literalExpiry(e);
  if (e.type !== "identifier") return "unknown";
  const b = resolveLocal(e);
  if (!b || b.kind === "param" || b.kind === "receiver" || b.kind === "range") return "unknown";
  const m = mutations(b, site);
  if (m === "exp" || m === "unknown") return m;
  if (b.value && b.values === b.names) {
    const v = stripAddress(b.value);
    if (v?.type === "composite_literal") return literalExpiry(v);
    return "unknown";
  }
  if (!b.value && b.typeNode) {
    // `var claims UserClaims` filled field by field (no expiry field assigned: see mutations).
    const t = typeOfTypeNode(b.typeNode);
    if (t && JWT_EXPIRY_CLAIMS.has(t)) return "no-exp";
    const shape = t ? structShape(e, t) : undefined;
    return shape && canExpire(shape) ? "no-exp" : "unknown";
  }
  return "unknown";
}

/** `token := jwt.New(m)` followed by `token.Claims = ...` or `claims := token.Claims.(jwt.MapClaims); claims["k"] = v`. */
function newTokenExpiry(call: GoNode): Expiry {
  const list = call.parent;
  const decl = list?.type === "expression_list" ? list.parent : undefined;
  if (!decl || (decl.type !== "short_var_declaration" && decl.type !== "assignment_statement")) return "unknown";
  const id = field(decl, "left")?.children[0];
  const fn = enclosingFunction(call);
  if (id?.type !== "identifier" || !id.text || !fn) return "unknown";
  const token = resolveLocal(id);
  if (!token) return "unknown";
  const verdicts: Expiry[] = [];
  let signed = false;
  walk(fn, (n) => {
    if (n.type !== "identifier" || n.text !== id.text || n === token.id || resolveLocal(n)?.id !== token.id) return true;
    const p = n.parent;
    if (p?.type !== "selector_expression" || field(p, "operand") !== n) {
      verdicts.push("unknown"); // returned or handed on before signing
      return true;
    }
    const name = field(p, "field")?.text;
    if (name === "SignedString") signed = true;
    else if (name === "Claims") {
      if (isAssigned(p)) {
        const value = assignedValue(p);
        verdicts.push(value?.type === "composite_literal" ? literalExpiry(value) : "unknown");
      } else if (p.parent?.type === "type_assertion_expression") {
        const holder = declaredBinding(p.parent);
        if (!holder) verdicts.push("unknown");
        else {
          const m = mutations(holder, call);
          verdicts.push(m === "none" ? "no-exp" : m);
        }
      } else verdicts.push("unknown");
    } else if (name !== "Header") verdicts.push("unknown");
    return true;
  });
  if (verdicts.includes("exp")) return "exp";
  if (verdicts.includes("unknown")) return "unknown";
  return verdicts.length || signed ? "no-exp" : "unknown";
}

/** The binding declared by `x := <expr>` / `x, ok := <expr>`. */
function declaredBinding(expr: GoNode): Binding | undefined {
  const list = expr.parent;
  const stmt = list?.type === "expression_list" ? list.parent : undefined;
  if (stmt?.type !== "short_var_declaration" || field(stmt, "right") !== list) return undefined;
  const first = field(stmt, "left")?.children[0];
  return first?.type === "identifier" && first.text !== "_" ? resolveLocal(first) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Claims types whose own validation never looks at an expiry.
// ---------------------------------------------------------------------------------------------

/**
 * For a claims struct with its own `method` (`Valid` in v4/jwt-go, `GetExpirationTime` in v5):
 * true when the method never mentions an expiry (nor delegates to an embedded Valid), false when
 * it does, undefined when the type has no such method.
 */
function validatesWithoutExpiry(shape: StructShape, method: string): boolean | undefined {
  const m = shape.model.method(shape.local, method);
  const body = m ? field(m.node, "body") : undefined;
  if (!m || !body) return undefined;
  let mentions = false;
  walk(body, (n) => {
    if (mentions) return false;
    if ((n.type === "identifier" || n.type === "field_identifier") && /exp|valid|verify|issued|iat|ttl|age|since/iu.test(n.text ?? "")) mentions = true;
    if ((n.type === "interpreted_string_literal" || n.type === "raw_string_literal") && /\bexp/iu.test(stringValue(n) ?? "")) mentions = true;
    return true;
  });
  return !mentions;
}

/** The claims type a parse call decodes into, when it is a struct of the module. */
function parsedClaimsShape(arg: GoNode | undefined): StructShape | undefined {
  const e = stripAddress(arg);
  if (!e) return undefined;
  let t: TypeRef | undefined;
  if (e.type === "call_expression" && unparen(field(e, "function"))?.text === "new") t = typeOfTypeNode(argsOf(e)[0]);
  else t = typeOf(e);
  return t && !t.startsWith("jwt.") && !t.startsWith("builtin.") ? structShape(e, t) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Durations.
// ---------------------------------------------------------------------------------------------

/** The value in nanoseconds of a constant time.Duration expression (`5 * time.Minute`). */
export function durationNs(expr: GoNode | undefined, depth = 0): number | undefined {
  const e = unparen(expr);
  if (!e || depth > 8) return undefined;
  switch (e.type) {
    case "int_literal":
    case "float_literal": {
      const n = Number((e.text ?? "").replace(/_/gu, ""));
      return Number.isFinite(n) ? n : undefined;
    }
    case "selector_expression": {
      const ref = libraryRef(e);
      if (ref) return ref.lib === "time" ? TIME_UNITS[ref.name] : undefined;
      const def = definitionOf(e);
      return def && def !== e ? durationNs(def, depth + 1) : undefined;
    }
    case "binary_expression": {
      const l = durationNs(field(e, "left"), depth + 1);
      const r = durationNs(field(e, "right"), depth + 1);
      if (l === undefined || r === undefined) return undefined;
      switch (field(e, "operator")?.text) {
        case "*": return l * r;
        case "+": return l + r;
        case "-": return l - r;
        case "/": return r === 0 ? undefined : l / r;
        default: return undefined;
      }
    }
    case "call_expression": {
      // time.Duration(n) and int64(n) conversions.
      const fn = unparen(field(e, "function"));
      const ref = libraryRef(fn);
      const args = argsOf(e);
      if (args.length === 1 && ((ref?.lib === "time" && ref.name === "Duration") || (fn?.type === "identifier" && /^(?:int|int64|float64)$/u.test(fn.text ?? "")))) {
        return durationNs(args[0], depth + 1);
      }
      return undefined;
    }
    case "identifier": {
      const c = constValue(e);
      if (typeof c === "number") return c;
      const def = definitionOf(e);
      return def && def !== e ? durationNs(def, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

export function formatSeconds(s: number): string {
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`;
  return `${Math.round(s * 1000) / 1000}s`;
}

// ---------------------------------------------------------------------------------------------
// Identity claims read without a check.
// ---------------------------------------------------------------------------------------------

/** Calls that validate a value or fail on an empty one (`uuid.Parse(sub)`, `strconv.Atoi(id)`). */
const VALIDATING_CALL = /^(?:Parse\w*|MustParse\w*|Atoi|\w*FromHex|FromString\w*|Validate\w*|Valid\w*|Is\w+|Check\w*|Must\w*)$/u;

/** Is the variable `name` tested after `from` in `fn`: in a condition, a comparison, or a validating call? */
function valueChecked(name: string, fn: GoNode, from: number): boolean {
  let checked = false;
  walk(fn, (n) => {
    if (checked) return false;
    if (n.type !== "identifier" || n.text !== name || n.range[0] < from) return true;
    let child: GoNode = n;
    for (let p = n.parent; p && p !== fn; child = p, p = p.parent) {
      if (p.type === "binary_expression" && ["==", "!=", "<", ">", "<=", ">="].includes(field(p, "operator")?.text ?? "")) checked = true;
      else if (p.type === "if_statement" && field(p, "condition") === child) checked = true;
      else if (p.type === "expression_switch_statement" && field(p, "value") === child) checked = true;
      else if (p.type === "argument_list") {
        const callee = unparen(field(p.parent!, "function"));
        const cname = callee?.type === "selector_expression" ? field(callee, "field")?.text : callee?.text;
        if (cname && VALIDATING_CALL.test(cname)) checked = true;
      }
      if (checked || p.type === "block" || p.type === "expression_statement" || isFunctionLike(p)) break;
    }
    return !checked;
  });
  return checked;
}

const CONVERSIONS = /^(?:u?int(?:8|16|32|64)?|float(?:32|64)|string|uintptr)$/u;
const FORMATTING = new Set(["fmt", "log", "slog", "zap", "zerolog", "logrus", "fiberlog", "errors"]);

/**
 * Is the variable `name` used as the caller's identity after `from`: handed to a call (stored in
 * the request context, a query, a lookup), put into a struct or a field? Returning it to the
 * caller, comparing it or formatting it into a log line is not.
 */
function identityUse(name: string, fn: GoNode, from: number): boolean {
  let used = false;
  walk(fn, (n) => {
    if (used) return false;
    if (n.type !== "identifier" || n.text !== name || n.range[0] < from) return true;
    let child: GoNode = n;
    let p = n.parent;
    // Conversions are transparent: `uint(uid)`.
    while (p) {
      if (p.type === "parenthesized_expression" || p.type === "literal_element") {
        child = p;
        p = p.parent;
        continue;
      }
      if (p.type === "argument_list" && p.parent?.type === "call_expression") {
        const callee = unparen(field(p.parent, "function"));
        if (callee?.type === "identifier" && CONVERSIONS.test(callee.text ?? "") && !resolveLocal(callee)) {
          child = p.parent;
          p = p.parent.parent;
          continue;
        }
      }
      break;
    }
    if (!p) return true;
    if (p.type === "argument_list") {
      const call = p.parent!;
      const lib = libraryCall(call);
      const callee = unparen(field(call, "function"));
      const cname = callee?.type === "selector_expression" ? field(callee, "field")?.text : callee?.text;
      if (!(lib && FORMATTING.has(lib.lib)) && !(cname && VALIDATING_CALL.test(cname)) && cname !== "len") used = true;
    } else if (p.type === "keyed_element" && p.children[1] === child) used = true;
    else if (p.type === "expression_list" && p.parent?.type === "assignment_statement" && field(p.parent, "right") === p) {
      const target = field(p.parent, "left")?.children[p.children.indexOf(child)];
      if (target && (target.type === "selector_expression" || target.type === "index_expression")) used = true;
    }
    return !used;
  });
  return used;
}

/**
 * Claims that name the caller (whose zero value names *someone*: user 0, the empty subject).
 * Authorization claims (role, scope, admin) are left out: their zero value grants nothing.
 */
const SUBJECT_CLAIM_KEY = /^(?:sub|id|uid|oid|upn|user|username|login|email|principal)$|^(?:user|account|tenant|org|owner|customer|member)_?id$/iu;

/**
 * Another subject claim read in comma-ok form in `fn` and checked (its ok used, its value
 * tested): the caller's identity is established there, the other claims are attributes.
 */
function otherSubjectChecked(node: GoNode, fn: GoNode): boolean {
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n === node || n.type !== "type_assertion_expression") return true;
    const operand = unparen(field(n, "operand"));
    const key = operand?.type === "index_expression" ? constValue(field(operand, "index")) : undefined;
    if (typeof key !== "string" || !SUBJECT_CLAIM_KEY.test(key)) return true;
    const list = n.parent;
    const stmt = list?.type === "expression_list" ? list.parent : undefined;
    const names = stmt && (stmt.type === "short_var_declaration" || stmt.type === "assignment_statement") ? field(stmt, "left")?.children ?? [] : [];
    if (names.length !== 2) return true;
    const [value, ok] = names;
    if ((ok.text !== "_" && identifierUsed(ok.text!, fn, stmt!.range[1])) || (value.text && value.text !== "_" && valueChecked(value.text, fn, stmt!.range[1]))) found = true;
    return true;
  });
  return found;
}

/** Is the same claim (`claims["sub"]`, same map, same key) compared with ==/!= somewhere in `fn`? */
function claimCompared(index: GoNode, fn: GoNode): boolean {
  const mapName = unparen(field(index, "operand"))?.text;
  const key = constValue(field(index, "index"));
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n.type !== "binary_expression" || !["==", "!="].includes(field(n, "operator")?.text ?? "")) return true;
    for (const side of [field(n, "left"), field(n, "right")]) {
      const s = unparen(side);
      if (s?.type === "index_expression" && s !== index && unparen(field(s, "operand"))?.text === mapName && constValue(field(s, "index")) === key) found = true;
    }
    return true;
  });
  return found;
}

/** `fmt.Sprint(claim)` handed to a validating call (`strconv.ParseInt(...)`), or stored in a variable that is then tested. */
function sprintChecked(call: GoNode, fn: GoNode): boolean {
  let e: GoNode = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (p?.type === "argument_list") {
    const callee = unparen(field(p.parent!, "function"));
    const name = callee?.type === "selector_expression" ? field(callee, "field")?.text : callee?.text;
    return !!name && VALIDATING_CALL.test(name);
  }
  const stmt = p?.type === "expression_list" ? p.parent : undefined;
  if ((stmt?.type === "short_var_declaration" || stmt?.type === "assignment_statement") && field(stmt, "right") === p) {
    const id = field(stmt, "left")?.children[p!.children.indexOf(e)];
    return id?.type === "identifier" && !!id.text && valueChecked(id.text, fn, stmt.range[1]);
  }
  return false;
}

function zeroOf(typeText: string): string {
  if (typeText === "string") return '""';
  if (typeText === "bool") return "false";
  if (/^(?:u?int\d*|float\d+|uintptr|byte|rune|json\.Number)$/u.test(typeText)) return typeText === "json.Number" ? '""' : "0";
  return "nil";
}


// ---------------------------------------------------------------------------------------------
// Claims validation turned off: when does it matter?
// ---------------------------------------------------------------------------------------------

/**
 * Does `scope` look at the expiry or the token's age itself (`claims.ExpiresAt`, `claims["exp"]`,
 * `IsExpired`, `allowExpired`, `claims.IssuedAt`), or call a custom `Valid`/`Validate`? Then skipping the library's claims
 * validation is a deliberate choice (refresh with a grace period) and is not reported.
 * The jwt package's own option names (`WithExpirationRequired`) do not count.
 */
function expiryHandled(fn: GoNode): boolean {
  const scope = field(fn, "body");
  if (!scope) return false;
  let found = false;
  walk(scope, (n) => {
    if (found) return false;
    if (n.type === "selector_expression" && libraryRef(n)?.lib === "jwt") return false;
    if (n.type === "identifier" || n.type === "field_identifier") {
      const ws = words(n.text ?? "");
      if (ws.some((w) => w === "exp" || w === "iat" || w === "issued" || w.startsWith("expir"))) found = true;
      if (n.type === "field_identifier" && /^(?:Valid|Validate|VerifyExpiresAt)$/u.test(n.text ?? "") && n.parent?.parent?.type === "call_expression") found = true;
    } else if ((n.type === "interpreted_string_literal" || n.type === "raw_string_literal") && ["exp", "iat"].includes(stringValue(n) ?? "")) found = true;
    return true;
  });
  return found;
}

/** The calls of methods on the parser built by `ctor` (`jwt.NewParser(...)`, `jwt.Parser{...}`), when goward can find them all. */
function parserMethodCalls(ctor: GoNode): GoNode[] | undefined {
  let e: GoNode = ctor;
  while (e.parent && (e.parent.type === "parenthesized_expression" || (e.parent.type === "unary_expression" && field(e.parent, "operator")?.text === "&"))) e = e.parent;
  const p = e.parent;
  if (p?.type === "selector_expression" && field(p, "operand") === e) return p.parent?.type === "call_expression" ? [p.parent] : undefined;
  const stmt = p?.type === "expression_list" ? p.parent : undefined;
  if (!stmt || !p) return undefined;
  const idx = p.children.indexOf(e);
  let id: GoNode | undefined;
  if ((stmt.type === "short_var_declaration" || stmt.type === "assignment_statement") && field(stmt, "right") === p) id = field(stmt, "left")?.children[idx];
  else if (stmt.type === "var_spec" && field(stmt, "value") === p) id = fieldAll(stmt, "name")[idx];
  if (id?.type !== "identifier" || !id.text) return undefined;
  const fn = enclosingFunction(stmt);
  const scopes = fn ? [fn] : [...packageOf(rootOf(stmt)).files.values()].map((f) => f.ast as GoNode);
  const calls: GoNode[] = [];
  let escapes = false;
  for (const scope of scopes) {
    walk(scope, (n) => {
      if (n.type !== "identifier" || n.text !== id!.text || n === id) return true;
      if (fn && resolveLocal(n)?.id !== resolveLocal(id!)?.id) return true;
      if (!fn && resolveLocal(n)) return true;
      const sel = n.parent;
      if (sel?.type === "selector_expression" && field(sel, "operand") === n && sel.parent?.type === "call_expression") calls.push(sel.parent);
      else if (!(sel?.type === "selector_expression" && isAssignedTarget(sel))) escapes = true;
      return true;
    });
  }
  return escapes ? undefined : calls;
}

function isAssignedTarget(n: GoNode): boolean {
  const list = n.parent;
  const stmt = list?.type === "expression_list" ? list.parent : undefined;
  return stmt?.type === "assignment_statement" && field(stmt, "left") === list;
}

/**
 * Is skipping claims validation on the parser built by `ctor` harmless: the parser is only used
 * for `ParseUnverified` (which never validates claims anyway), or every function that parses
 * with it checks the expiry itself?
 */
function skipHarmless(ctor: GoNode): boolean {
  const calls = parserMethodCalls(ctor);
  if (calls === undefined || calls.length === 0) {
    const fn = enclosingFunction(ctor);
    return !!fn && expiryHandled(fn);
  }
  return calls.every((c) => {
    const f = unparen(field(c, "function"));
    const name = f?.type === "selector_expression" ? field(f, "field")?.text : undefined;
    if (name === "ParseUnverified") return true;
    const fn = enclosingFunction(c);
    return !!fn && expiryHandled(fn);
  });
}

/** For `jwt.WithoutClaimsValidation()` given to a call: is it harmless there? */
function optionHarmless(option: GoNode): boolean {
  const list = option.parent;
  const owner = list?.type === "argument_list" ? list.parent : undefined;
  const lc = owner ? libraryCall(owner) : undefined;
  if (owner && lc?.lib === "jwt" && lc.name === "NewParser") return skipHarmless(owner);
  const fn = enclosingFunction(option);
  return !!fn && expiryHandled(fn);
}

// ---------------------------------------------------------------------------------------------
// The rule.
// ---------------------------------------------------------------------------------------------

export default createRule<Options, MessageId>({
  name: "jwt-require-claims",
  // Sound: jwt/jwt-request/fiber-jwt calls and configs need their import (every path contains `jwt`; `\x`/`\u`/octal
  // escapes could spell it otherwise), *jwt.Parser methods are Parse*, identity claims go through fmt.Sprint*, a
  // SkipClaimsValidation key or field, or a comma-ok assertion on an index (`m[k]` then `.(`, comments allowed).
  prefilter: new RegExp(String.raw`\bParse|Sprint|SkipClaimsValidation|jwt|\\[xuU0-7]|\]${GAP}(?:\)${GAP})*\.${GAP}\(`, "u"),
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "JWTs must expire and have their claims validated: no WithoutClaimsValidation, no tokens without exp, bounded leeway, identity claims checked",
      recommended: "error",
      security: {
        cwe: [613, 287],
        securitySeverity: 6.5,
        precision: "high",
        frameworks: ["golang-jwt v4", "golang-jwt v5", "dgrijalva/jwt-go", "jwt request", "net/http", "gin", "echo", "fiber"],
        tags: ["jwt", "authentication", "session-expiration"],
      },
    },
    messages: {
      withoutValidation:
        "`{{call}}` turns off the checks of exp, nbf (and iat, aud, iss when asked for): expired tokens are accepted forever. Remove it; a refresh flow that must read an expired token should verify the signature and check the token's age itself.",
      skipField:
        "`SkipClaimsValidation: true` turns off the checks of exp and nbf: expired tokens are accepted forever. Remove it; a refresh flow that must read an expired token should check the token's age itself.",
      noExp:
        "This token is minted without an expiry (no `exp` / `ExpiresAt`): jwt-go accepts a token without exp forever, so a leaked or stolen token never stops working and logout cannot end it. Set `ExpiresAt: jwt.NewNumericDate(time.Now().Add(ttl))` (or `\"exp\": time.Now().Add(ttl).Unix()` in MapClaims).",
      neverValidatesExp:
        "Claims type `{{type}}` has its own `{{method}}()` that never looks at an expiry: tokens parsed into it are accepted forever. Embed jwt.RegisteredClaims and drop the override (or delegate to the embedded claims), or check `exp` in {{method}}().",
      leeway:
        "A leeway of {{value}} on exp/nbf/iat is above the allowed {{max}}: tokens stay valid that long after they expired. Clock skew between servers is a matter of seconds; keep the leeway at or below {{max}} (option maxLeeway).",
      uncheckedIdentity:
        "The identity claim \"{{claim}}\" is read with its `ok` ignored: a token without it (a refresh token, a token of another kind signed with the same key) gets {{zero}} as identity instead of being rejected. Check it: `{{name}}, ok := ...; if !ok || {{name}} == {{zero}} { reject }`.",
      sprintIdentity:
        "`fmt.{{fn}}` turns a missing identity claim \"{{claim}}\" into a non-empty string such as \"<nil>\": a token without the claim gets that string as identity. Use `{{claim}}, ok := claims[\"{{claim}}\"].(string)` and reject the request when !ok or it is empty.",
      removeOption: "Remove {{call}}",
      setFalse: "Set SkipClaimsValidation to false",
    },
    schema: [
      {
        type: "object",
        properties: {
          maxLeeway: { type: "number", minimum: 0, description: "Largest allowed jwt.WithLeeway, in seconds (default 300)." },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ maxLeeway: DEFAULT_MAX_LEEWAY }],
  },
  create(context) {
    if (isTestFile(context.physicalFilename ?? context.filename)) return {};
    const maxLeeway = context.options[0]?.maxLeeway ?? DEFAULT_MAX_LEEWAY;
    const sourceCode = context.sourceCode;
    const text = sourceCode.text;

    const checkParsedClaims = (call: GoNode, claimsArg: GoNode | undefined, jwtPath: string | undefined) => {
      const shape = parsedClaimsShape(claimsArg);
      if (!shape) return;
      const method = jwtPath && /golang-jwt\/jwt\/v5/u.test(jwtPath) ? "GetExpirationTime" : "Valid";
      if (validatesWithoutExpiry(shape, method)) {
        context.report({ node: call, messageId: "neverValidatesExp", data: { type: shape.local.slice(4), method } });
      }
    };

    /** The import path of the jwt package in this file (to tell v5 from v4 and jwt-go). */
    const jwtPath = (): string | undefined => {
      const root = sourceCode.ast as unknown as GoNode;
      for (const decl of root.children) {
        if (decl.type !== "import_declaration") continue;
        let found: string | undefined;
        walk(decl, (n) => {
          const v = n.type === "interpreted_string_literal" ? stringValue(n) : undefined;
          if (v && /(?:golang-jwt\/jwt|jwt-go)(?:\/v\d)?$/u.test(v)) found = v;
          return !found;
        });
        if (found) return found;
      }
      return undefined;
    };

    return {
      call_expression(call) {
        // Cheap name test first: resolving the callee's package costs more.
        const callee = unparen(field(call, "function"));
        if (callee?.type !== "selector_expression" || !CALL_NAMES.has(field(callee, "field")?.text ?? "")) return;
        const lc = libraryCall(call);
        const args = argsOf(call);
        if (lc?.lib === "jwt") {
          switch (lc.name) {
            case JWT_OPTIONS.skipClaims: {
              if (optionHarmless(call)) return;
              const list = call.parent;
              const siblings = list?.type === "argument_list" ? list.children.filter((c) => c.type !== "comment") : [];
              const i = siblings.indexOf(call);
              const range: [number, number] | undefined =
                i > 0 ? [siblings[i - 1].range[1], call.range[1]] : i === 0 && siblings.length > 1 ? [call.range[0], siblings[1].range[0]] : undefined;
              context.report({
                node: call,
                messageId: "withoutValidation",
                data: { call: `${lc.pkg}.${lc.name}()` },
                suggest: range ? [{ messageId: "removeOption", data: { call: `${lc.pkg}.${lc.name}()` }, fix: (fixer) => fixer.removeRange(range) }] : [],
              });
              return;
            }
            case JWT_OPTIONS.leeway: {
              const ns = durationNs(args[0]);
              if (ns !== undefined && ns / 1e9 > maxLeeway) {
                context.report({ node: call, messageId: "leeway", data: { value: formatSeconds(ns / 1e9), max: formatSeconds(maxLeeway) } });
              }
              return;
            }
            case "NewWithClaims":
              if (claimsExpiry(args[1], call) === "no-exp") context.report({ node: call, messageId: "noExp" });
              return;
            case "New":
              if (args.length === 1 && newTokenExpiry(call) === "no-exp") context.report({ node: call, messageId: "noExp" });
              return;
            default: {
              const shape = JWT_PARSE_FUNCTIONS.jwt?.[lc.name];
              if (shape?.claims !== undefined) checkParsedClaims(call, args[shape.claims], lc.path);
              return;
            }
          }
        }
        if (lc?.lib === "jwtrequest") {
          const shape = JWT_PARSE_FUNCTIONS.jwtrequest?.[lc.name];
          if (shape?.claims !== undefined) checkParsedClaims(call, args[shape.claims], jwtPath());
          if (lc.name === JWT_OPTIONS.requestClaims) checkParsedClaims(call, args[0], jwtPath());
          return;
        }
        if (lc?.lib === "fmt" && (lc.name === "Sprint" || lc.name === "Sprintf")) {
          const value = lc.name === "Sprint" ? (args.length === 1 ? args[0] : undefined) : args.length === 2 && /^%[vsdq]$/u.test(String(constValue(args[0]) ?? "")) ? args[1] : undefined;
          const idx = unparen(value);
          if (idx?.type !== "index_expression") return;
          const key = constValue(field(idx, "index"));
          if (typeof key !== "string" || !SUBJECT_CLAIM_KEY.test(key) || requestValue(idx)?.kind !== "jwt-claim") return;
          const fn = enclosingFunction(call);
          if (!fn || claimCompared(idx, fn) || sprintChecked(call, fn)) return;
          context.report({ node: call, messageId: "sprintIdentity", data: { fn: lc.name, claim: key } });
          return;
        }
        if (lc) return;
        // Methods of *jwt.Parser.
        const fn = unparen(field(call, "function"));
        const name = fn?.type === "selector_expression" ? field(fn, "field")?.text ?? "" : "";
        const shape = Object.hasOwn(JWT_PARSER_METHODS, name) ? JWT_PARSER_METHODS[name] : undefined;
        if (shape?.claims === undefined || !parserOrigin(field(fn!, "operand"))) return;
        checkParsedClaims(call, args[shape.claims], jwtPath());
      },
      keyed_element(el) {
        const key = el.children[0]?.children[0] ?? el.children[0];
        if (key?.text !== JWT_OPTIONS.skipClaimsField) return;
        const lit = el.parent?.parent;
        if (lit?.type !== "composite_literal" || typeOf(lit) !== "jwt.Parser") return;
        const value = el.children[1]?.children[0] ?? el.children[1];
        if (constValue(value) !== true || skipHarmless(lit)) return;
        context.report({
          node: el,
          messageId: "skipField",
          suggest: [{ messageId: "setFalse", fix: (fixer) => fixer.replaceTextRange(value!.range, "false") }],
        });
      },
      assignment_statement(stmt) {
        const left = field(stmt, "left")?.children ?? [];
        const right = field(stmt, "right")?.children ?? [];
        left.forEach((l, i) => {
          if (l.type !== "selector_expression" || field(l, "field")?.text !== JWT_OPTIONS.skipClaimsField) return;
          if (constValue(right[i]) !== true || !parserOrigin(field(l, "operand"))) return;
          const fn = enclosingFunction(stmt);
          const origin = parserOrigin(field(l, "operand"));
          if (origin && origin.kind !== "unknown" && (origin.node.type === "call_expression" || origin.node.type === "composite_literal") ? skipHarmless(origin.node) : !!fn && expiryHandled(fn)) return;
          context.report({ node: stmt, messageId: "skipField" });
        });
      },
      type_assertion_expression(node) {
        const operand = unparen(field(node, "operand"));
        if (operand?.type !== "index_expression") return;
        const key = constValue(field(operand, "index"));
        if (typeof key !== "string" || !SUBJECT_CLAIM_KEY.test(key)) return;
        // Only the comma-ok form: the single-value form panics (no-unchecked-assertion).
        let list = node.parent;
        while (list?.type === "parenthesized_expression") list = list.parent;
        const stmt = list?.type === "expression_list" ? list.parent : undefined;
        if (!stmt || (stmt.type !== "short_var_declaration" && stmt.type !== "assignment_statement") || field(stmt, "right") !== list || list!.children.length !== 1) return;
        const names = field(stmt, "left")?.children ?? [];
        if (names.length !== 2 || names[0].type !== "identifier" || names[1].type !== "identifier") return;
        const [value, ok] = names;
        if (value.text === "_" || requestValue(operand)?.kind !== "jwt-claim") return;
        const fn = enclosingFunction(node);
        if (!fn) return;
        if (ok.text !== "_" && identifierUsed(ok.text!, fn, stmt.range[1])) return;
        // An `if` initialiser's condition counts too: `if sub, ok := ...; ok {`.
        if (stmt.parent?.type === "if_statement" && ok.text !== "_") return;
        if (valueChecked(value.text!, fn, stmt.range[1]) || claimCompared(operand, fn) || !identityUse(value.text!, fn, stmt.range[1])) return;
        if (otherSubjectChecked(node, fn)) return;
        const typeNode = field(node, "type");
        const typeText = typeNode ? text.slice(typeNode.range[0], typeNode.range[1]) : "";
        context.report({ node, messageId: "uncheckedIdentity", data: { claim: key, name: value.text!, zero: zeroOf(typeText) } });
      },
      composite_literal(lit) {
        // fiber jwt `Claims: &T{}`: the claims type the middleware parses into.
        if (!isQualifiedConfigType(lit) || typeOf(lit) !== "fiberjwt.Config") return;
        const claims = keyedValue(lit, "Claims");
        if (claims) {
          const shape = parsedClaimsShape(claims);
          if (shape && validatesWithoutExpiry(shape, "GetExpirationTime")) {
            context.report({ node: keyedElement(lit, "Claims") ?? lit, messageId: "neverValidatesExp", data: { type: shape.local.slice(4), method: "GetExpirationTime" } });
          }
        }
      },
    };
  },
});

function identifierUsed(name: string, fn: GoNode, from: number): boolean {
  let used = false;
  walk(fn, (n) => {
    if (used) return false;
    if (n.type === "identifier" && n.text === name && n.range[0] >= from) used = true;
    return true;
  });
  return used;
}
