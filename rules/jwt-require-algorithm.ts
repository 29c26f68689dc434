/**
 * jwt-require-algorithm (CWE-347): a JWT must be verified with the algorithm the server chose,
 * not the one the token's own `alg` header names. golang-jwt and dgrijalva/jwt-go let the token
 * pick the verification method; the keyfunc (or `jwt.WithValidMethods`) has to pin it. Also
 * reported: claims of `ParseUnverified` used as identity, and `alg: none` (SigningMethodNone,
 * UnsafeAllowNoneSignatureType).
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, isFunctionLike, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import {
  JWT_MIDDLEWARE_CONFIGS, JWT_OPTIONS, JWT_PARSE_FUNCTIONS, JWT_PARSER_METHODS, type JwtParseShape, type LibraryId,
} from "../src/semantic/library.js";
import { importedModel, ownerOf, packageOf, type PackageModel } from "../src/semantic/package.js";
import { importedPackage, resolveLocal, typeOf, typeOfTypeNode } from "../src/semantic/types.js";
import { constValue, definitionOf, keyedElement, keyedValue, sliceElements } from "../src/semantic/values.js";

// ---------------------------------------------------------------------------------------------
// Helpers shared with jwt-require-claims.
// ---------------------------------------------------------------------------------------------

/** Arguments of a call, without comments. */
export function argsOf(call: GoNode): GoNode[] {
  return (field(call, "arguments")?.children ?? []).filter((c) => c.type !== "comment");
}

/** `pkg.Name(...)` where `pkg` is an import that goward knows (not shadowed by a local). */
export function libraryCall(call: GoNode): { lib: LibraryId; name: string; path: string; pkg: string } | undefined {
  const fn = unparen(field(call, "function"));
  return fn?.type === "selector_expression" ? libraryRef(fn) : undefined;
}

/** `pkg.Name` where `pkg` is an import that goward knows (not shadowed by a local). */
export function libraryRef(sel: GoNode | undefined): { lib: LibraryId; name: string; path: string; pkg: string } | undefined {
  const s = unparen(sel);
  if (s?.type !== "selector_expression") return undefined;
  const operand = field(s, "operand");
  const name = field(s, "field")?.text;
  if (!operand?.text || !name) return undefined;
  const imports = importsOf(rootOf(s));
  const path = importedPackage(operand, imports);
  const lib = path ? imports.byLocalName(operand.text)?.library : undefined;
  return path && lib ? { lib, name, path, pkg: operand.text } : undefined;
}

/** Is the file a Go test file (`_test.go`)? The JWT rules leave tests alone: they forge bad tokens on purpose. */
export function isTestFile(filename: string): boolean {
  return /_test\.go$/u.test(filename);
}

/** Claim names that identify the caller or grant rights (map keys of jwt.MapClaims). */
export const IDENTITY_CLAIM_KEY = /^(?:sub|id|uid|oid|upn|name|username|login)$|user|email|account|role|tenant|org_?id|owner|customer|admin|member|principal|identity|group|perm|scope/iu;
/** Fields of claims structs that identify the caller or grant rights. */
export const IDENTITY_CLAIM_FIELD = /^(?:Subject|Sub|ID|Id|UID|Uid|Name|Login)$|User|Email|Account|Role|Tenant|OrgID|Owner|Customer|Admin|Member|Principal|Identity|Group|Perm|Scope/u;

/** How a value of type *jwt.Parser was made, as far as goward can see. */
export type ParserOrigin =
  | { kind: "NewParser"; node: GoNode }
  | { kind: "literal"; node: GoNode }
  | { kind: "zero"; node: GoNode }
  | { kind: "unknown" };

/** The construction of a *jwt.Parser expression, or undefined when `expr` is not a jwt parser. */
export function parserOrigin(expr: GoNode | undefined, depth = 0): ParserOrigin | undefined {
  const e = unparen(expr);
  if (!e || depth > 6) return undefined;
  if (e.type === "unary_expression" && field(e, "operator")?.text === "&") return parserOrigin(field(e, "operand"), depth + 1);
  if (e.type === "call_expression") {
    const lc = libraryCall(e);
    if (lc?.lib === "jwt" && lc.name === "NewParser") return { kind: "NewParser", node: e };
    const fn = unparen(field(e, "function"));
    if (fn?.type === "identifier" && fn.text === "new" && !resolveLocal(fn)) {
      const t = argsOf(e)[0];
      return t && typeOfTypeNode(t) === "jwt.Parser" ? { kind: "zero", node: e } : undefined;
    }
    return typeOf(e) === "jwt.Parser" ? { kind: "unknown" } : undefined;
  }
  if (e.type === "composite_literal") return typeOf(e) === "jwt.Parser" ? { kind: "literal", node: e } : undefined;
  if (e.type === "identifier") {
    const b = resolveLocal(e);
    if (b) {
      if (b.value && b.values === b.names) return parserOrigin(b.value, depth + 1);
      if (b.typeNode && typeOfTypeNode(b.typeNode) === "jwt.Parser") return b.kind === "var" && !b.value ? { kind: "zero", node: b.id } : { kind: "unknown" };
      return undefined;
    }
    const v = packageOf(rootOf(e)).values.get(e.text ?? "");
    if (v?.init) return parserOrigin(v.init, depth + 1);
    return typeOf(e) === "jwt.Parser" ? { kind: "unknown" } : undefined;
  }
  return typeOf(e) === "jwt.Parser" ? { kind: "unknown" } : undefined;
}

/** A three-valued answer: goward saw it, saw that it is absent, or cannot tell. */
type Tri = "yes" | "no" | "unknown";

/**
 * Do these parser options (or request options) set `option` (`WithValidMethods`, ...)? Follows
 * variables and `opts...` slices; anything goward cannot see makes the answer "unknown".
 */
export function optionsSet(nodes: GoNode[], option: string, field_: string, depth = 0): Tri {
  let verdict = "no" as Tri;
  const merge = (v: Tri) => {
    if (v === "yes") verdict = "yes";
    else if (v === "unknown" && verdict === "no") verdict = "unknown";
  };
  for (const raw of nodes) {
    if (verdict === "yes" || depth > 5) break;
    let n = unparen(raw);
    if (!n) continue;
    if (n.type === "variadic_argument") {
      const inner = n.children.find((c) => c.type !== "comment");
      const elements = sliceElements(inner);
      merge(elements ? optionsSet(elements, option, field_, depth + 1) : "unknown");
      continue;
    }
    if (n.type === "identifier") {
      const def = definitionOf(n);
      if (!def) {
        merge("unknown");
        continue;
      }
      n = def;
    }
    if (n.type !== "call_expression") {
      merge("unknown");
      continue;
    }
    const lc = libraryCall(n);
    if (lc?.lib === "jwt") {
      if (lc.name === option) merge("yes");
      continue;
    }
    if (lc?.lib === "jwtrequest") {
      if (lc.name === JWT_OPTIONS.requestParser) merge(parserSets(parserOrigin(argsOf(n)[0]), option, field_, depth + 1));
      continue;
    }
    merge("unknown");
  }
  return verdict;
}

/** Does the parser `origin` set `option` (v5 options) or `field_` (v4/dgrijalva struct field)? */
export function parserSets(origin: ParserOrigin | undefined, option: string, field_: string, depth = 0): Tri {
  if (!origin || origin.kind === "unknown") return "unknown";
  if (origin.kind === "zero") return fieldAssignedOn(origin.node, field_) ? "unknown" : "no";
  if (origin.kind === "literal") {
    if (keyedValue(origin.node, field_)) return "yes";
    return fieldAssignedOn(origin.node, field_) ? "unknown" : "no";
  }
  return optionsSet(argsOf(origin.node), option, field_, depth + 1);
}

/** Is `p.<field> = ...` assigned anywhere in the function of `node` (v4 parsers configured after creation)? */
function fieldAssignedOn(node: GoNode, name: string): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n.type === "assignment_statement") {
      for (const l of field(n, "left")?.children ?? []) if (l.type === "selector_expression" && field(l, "field")?.text === name) found = true;
    }
    return true;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// Does a keyfunc check the token's signing method?
// ---------------------------------------------------------------------------------------------

type Verdict = "checked" | "unchecked" | "unknown";

/** Packages whose functions only format or log their arguments: passing the token there checks nothing. */
const FORMATTING_LIBS: ReadonlySet<string> = new Set(["fmt", "log", "slog", "errors", "zap", "zerolog", "logrus", "fiberlog"]);

/** `x.Method` or `x.Header["alg"]`: the token's own statement of its algorithm. */
function isAlgReference(n: GoNode): boolean {
  if (n.type === "selector_expression") return field(n, "field")?.text === "Method";
  if (n.type === "index_expression") {
    const operand = unparen(field(n, "operand"));
    return operand?.type === "selector_expression" && field(operand, "field")?.text === "Header" && constValue(field(n, "index")) === "alg";
  }
  return false;
}

/** `header.Alg`, `hdr.Algorithm`, a local `alg`: an algorithm name read outside the keyfunc (not the jwt package's own names). */
function isAlgValue(n: GoNode): boolean {
  if (n.type === "selector_expression") return /^(?:Alg|Algorithm)$/u.test(field(n, "field")?.text ?? "") && !libraryRef(n) && field(n.parent!, "function") !== n;
  return n.type === "identifier" && /^alg(?:orithm)?$/iu.test(n.text ?? "") && n.parent?.type !== "selector_expression";
}

function isFormattingCall(call: GoNode): boolean {
  const lc = libraryCall(call);
  return !!lc && FORMATTING_LIBS.has(lc.lib);
}

/**
 * Is the algorithm reference `ref` used to decide something: asserted to a method type,
 * compared, switched on, tested in a condition, handed to a (non-logging) function, or stored
 * in a variable that is itself used that way?
 */
function usedAsCheck(ref: GoNode, scope: GoNode, followVars = true): boolean {
  let child = ref;
  for (let p = ref.parent; p && p !== scope; child = p, p = p.parent) {
    switch (p.type) {
      case "type_assertion_expression":
        if (field(p, "operand") === child && ref.type === "selector_expression") return true;
        break;
      case "type_switch_statement":
        return field(p, "value") === child;
      case "binary_expression": {
        const op = field(p, "operator")?.text;
        if (op === "==" || op === "!=") return true;
        break;
      }
      case "if_statement":
        return field(p, "condition") === child;
      case "expression_switch_statement":
        return field(p, "value") === child;
      case "expression_case":
        return true;
      case "argument_list": {
        const call = p.parent;
        return !!call && !isFormattingCall(call);
      }
      case "short_var_declaration":
      case "assignment_statement": {
        if (!followVars || field(p, "right") !== child) return false;
        const left = field(p, "left")?.children ?? [];
        return left.some((id) => id.type === "identifier" && id.text !== "_" && variableChecked(id.text!, scope));
      }
      case "return_statement":
      case "block":
      case "expression_statement":
        return false;
      default:
        if (isFunctionLike(p)) return false;
    }
  }
  return false;
}

/** Is the local `name` (holding an algorithm) compared or tested somewhere in `scope`? */
function variableChecked(name: string, scope: GoNode): boolean {
  let found = false;
  walk(scope, (n) => {
    if (found) return false;
    if (n.type === "identifier" && n.text === name && usedAsCheck(n, scope, false)) found = true;
    return true;
  });
  return found;
}

/** Does the body of `fn` test the token's algorithm anywhere (nested literals included)? */
function mentionsAlgCheck(fn: GoNode): boolean {
  const body = field(fn, "body");
  if (!body) return false;
  let found = false;
  walk(body, (n) => {
    if (found) return false;
    if (n.type === "type_switch_statement" && isAlgReference(unparen(field(n, "value")) ?? n)) {
      found = true;
      return false;
    }
    if (isAlgReference(n)) {
      if (usedAsCheck(n, body)) found = true;
      return false;
    }
    return true;
  });
  return found;
}

/** Names of the parameters of a function, by position (`undefined` for unnamed ones). */
function paramNames(fn: GoNode): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  for (const d of field(fn, "parameters")?.children ?? []) {
    if (d.type !== "parameter_declaration" && d.type !== "variadic_parameter_declaration") continue;
    const names = fieldAll(d, "name");
    if (names.length === 0) out.push(undefined);
    for (const id of names) out.push(id.text);
  }
  return out;
}

/** The function a call invokes, when it is declared in this package or another package of the module. */
function calleeOf(call: GoNode): GoNode | "formatting" | undefined {
  const fn = unparen(field(call, "function"));
  if (!fn) return undefined;
  const root = rootOf(call);
  if (fn.type === "func_literal") return fn;
  if (fn.type === "identifier") {
    const b = resolveLocal(fn);
    if (b) {
      const v = b.value && b.values === b.names ? unparen(b.value) : undefined;
      return v?.type === "func_literal" ? v : undefined;
    }
    return packageOf(root).funcs.get(fn.text ?? "")?.node;
  }
  if (fn.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const name = field(fn, "field")?.text ?? "";
  const lib = libraryRef(fn);
  if (lib) return FORMATTING_LIBS.has(lib.lib) ? "formatting" : undefined;
  const path = importedPackage(operand, importsOf(root));
  if (path) return importedModel(root, path)?.funcs.get(name)?.node;
  return methodOf(root, typeOf(operand), name)?.node;
}

/** The method `name` of the type `t`, declared in this package or another package of the module. */
function methodOf(root: GoNode, t: string | undefined, name: string) {
  const owner = t ? ownerOf(rootOf(root), t) : undefined;
  return owner?.model.method(owner.local, name);
}

/** Does the function `fn`, given the token as its parameter at `tokenIndex`, check the token's algorithm? */
function functionChecksAlg(fn: GoNode, tokenIndex: number, depth: number): Verdict {
  if (depth > 4) return "unknown";
  if (mentionsAlgCheck(fn)) return "checked";
  const body = field(fn, "body");
  if (!body) return "unknown";
  const token = paramNames(fn)[tokenIndex];
  if (!token || token === "_") return "unchecked";
  let verdict: Verdict = "unchecked";
  walk(body, (n) => {
    if (verdict === "checked") return false;
    if (n.type !== "call_expression") return true;
    const i = argsOf(n).findIndex((a) => unparen(a)?.type === "identifier" && unparen(a)!.text === token);
    if (i < 0) return true;
    // The whole token is handed to a helper: follow it when goward can see the helper.
    const callee = calleeOf(n);
    if (callee === "formatting") return true;
    const v = callee ? functionChecksAlg(callee, i, depth + 1) : "unknown";
    if (v === "checked") verdict = "checked";
    else if (v === "unknown") verdict = "unknown";
    return true;
  });
  return verdict;
}

/** A keyfunc factory (`keyFunc(secret)`): checked when its body checks, unchecked when every keyfunc it returns is. */
function factoryVerdict(fn: GoNode, depth: number): Verdict {
  if (mentionsAlgCheck(fn)) return "checked";
  const body = field(fn, "body");
  if (!body) return "unknown";
  const verdicts: Verdict[] = [];
  walk(body, (n) => {
    if (isFunctionLike(n)) return false;
    if (n.type === "return_statement") {
      const first = n.children[0]?.type === "expression_list" ? n.children[0].children[0] : n.children[0];
      verdicts.push(first ? keyfuncVerdict(first, depth + 1) : "unknown");
      return false;
    }
    return true;
  });
  if (verdicts.length === 0 || verdicts.includes("unknown")) return "unknown";
  return verdicts.includes("checked") ? "checked" : "unchecked";
}

/**
 * Does the keyfunc `expr` check `token.Method` (or `token.Header["alg"]`)? Follows function
 * literals, named functions of the package (and other packages of the module), method values,
 * variables, config fields and keyfunc factories. Anything else is "unknown".
 */
export function keyfuncVerdict(expr: GoNode | undefined, depth = 0): Verdict {
  const e = unparen(expr);
  if (!e || depth > 5) return "unknown";
  const root = rootOf(e);
  switch (e.type) {
    case "func_literal":
      return functionChecksAlg(e, 0, depth);
    case "identifier": {
      if (e.text === "nil") return "unknown";
      const b = resolveLocal(e);
      if (b) return b.value && b.values === b.names && !reassigned(e) ? keyfuncVerdict(b.value, depth + 1) : "unknown";
      const model = packageOf(root);
      const f = model.funcs.get(e.text ?? "");
      if (f) return functionChecksAlg(f.node, 0, depth + 1);
      const v = model.values.get(e.text ?? "");
      return v?.init ? keyfuncVerdict(v.init, depth + 1) : "unknown";
    }
    case "selector_expression": {
      const operand = field(e, "operand");
      const name = field(e, "field")?.text ?? "";
      if (libraryRef(e)) return "unknown";
      const path = importedPackage(operand, importsOf(root));
      if (path) {
        const f = importedModel(root, path)?.funcs.get(name);
        return f ? functionChecksAlg(f.node, 0, depth + 1) : "unknown";
      }
      const m = methodOf(root, typeOf(operand), name);
      if (m) return functionChecksAlg(m.node, 0, depth + 1);
      const def = definitionOf(e);
      return def && def !== e ? keyfuncVerdict(def, depth + 1) : "unknown";
    }
    case "call_expression": {
      const lc = libraryCall(e);
      if (lc?.lib === "jwt" && lc.name === "Keyfunc") return keyfuncVerdict(argsOf(e)[0], depth + 1);
      if (lc) return "unknown";
      const callee = calleeOf(e);
      return callee && callee !== "formatting" ? factoryVerdict(callee, depth + 1) : "unknown";
    }
    default:
      return "unknown";
  }
}

/** Is the local variable `id` assigned again (`kf = other`) in its function? Then its value is not known. */
function reassigned(id: GoNode): boolean {
  const b = resolveLocal(id);
  const fn = b ? enclosingFunction(b.id) : null;
  if (!b || !fn) return false;
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n.type === "assignment_statement") {
      for (const l of field(n, "left")?.children ?? []) if (l.type === "identifier" && l.text === id.text && resolveLocal(l)?.id === b.id) found = true;
    }
    return true;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// The signing algorithm a package mints its tokens with, for the suggestion.
// ---------------------------------------------------------------------------------------------

const ALG_CONSTANT = /^SigningMethod(HS256|HS384|HS512|RS256|RS384|RS512|ES256|ES384|ES512|PS256|PS384|PS512|EdDSA)$/u;
const algCache = new WeakMap<PackageModel, string | null>();

/** The one algorithm the package signs with (`jwt.SigningMethodHS256` → "HS256"), or undefined. */
function packageAlgorithm(root: GoNode): string | undefined {
  const model = packageOf(rootOf(root));
  const cached = algCache.get(model);
  if (cached !== undefined) return cached ?? undefined;
  const algs = new Set<string>();
  for (const file of model.files.values()) {
    walk(file.ast, (n) => {
      if (n.type !== "selector_expression") return true;
      const ref = libraryRef(n);
      const m = ref?.lib === "jwt" ? ALG_CONSTANT.exec(ref.name) : null;
      if (m) algs.add(m[1]);
      return !ref;
    });
  }
  const alg = algs.size === 1 ? [...algs][0] : undefined;
  algCache.set(model, alg ?? null);
  return alg;
}

// ---------------------------------------------------------------------------------------------
// ParseUnverified used as identity.
// ---------------------------------------------------------------------------------------------

const VERIFYING_CALL = /^(?:Parse|ParseWithClaims|ParseFromRequest\w*)$|verif|validat|authenticat/iu;

/** Does `scope` contain a call that verifies a token (a jwt Parse, or a helper named verify/validate)? */
function hasVerifyingCall(scope: GoNode): boolean {
  let found = false;
  walk(scope, (n) => {
    if (found) return false;
    if (n.type !== "call_expression") return true;
    const fn = unparen(field(n, "function"));
    const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : fn?.type === "identifier" ? fn.text : undefined;
    if (name && name !== "ParseUnverified" && VERIFYING_CALL.test(name)) found = true;
    return true;
  });
  return found;
}

/** Methods that put a value where later handlers read the caller's identity. */
const CONTEXT_STORES: ReadonlySet<string> = new Set(["Locals", "Set", "WithValue", "SetUserContext"]);

/**
 * How the claims of an unverified parse are used as identity in `fn`, if they are: an identity
 * claim read (`claims["sub"]`, `claims.UserID`, `GetSubject()`), the claims stored in the request
 * context, or returned to callers that never verify. Reading `exp`, `iss`, `kid` is fine.
 */
function unverifiedIdentityUse(call: GoNode, fn: GoNode, depth = 0): string | undefined {
  const body = field(fn, "body");
  if (!body) return undefined;
  const holders = new Set<string>();
  const claimsArg = unparen(argsOf(call)[1]);
  const claimsId = claimsArg?.type === "unary_expression" ? unparen(field(claimsArg, "operand")) : claimsArg;
  if (claimsId?.type === "identifier" && claimsId.text) holders.add(claimsId.text);
  const tokenVars = new Set<string>();
  const decl = call.parent?.type === "expression_list" ? call.parent.parent : undefined;
  if (decl && (decl.type === "short_var_declaration" || decl.type === "assignment_statement")) {
    const first = field(decl, "left")?.children[0];
    if (first?.type === "identifier" && first.text && first.text !== "_") tokenVars.add(first.text);
  }
  const after = call.range[1];
  let use: string | undefined;
  const claimsUse = (node: GoNode): string | undefined => {
    // `node` is an expression holding the claims.
    let child = node;
    let p = node.parent;
    while (p?.type === "parenthesized_expression") {
      child = p;
      p = p.parent;
    }
    if (!p) return undefined;
    if (p.type === "index_expression" && field(p, "operand") === child) {
      const key = constValue(field(p, "index"));
      return typeof key === "string" && IDENTITY_CLAIM_KEY.test(key) ? `the "${key}" claim` : undefined;
    }
    if (p.type === "selector_expression" && field(p, "operand") === child) {
      const f = field(p, "field")?.text ?? "";
      if (f === "GetSubject") return "the subject";
      if (IDENTITY_CLAIM_FIELD.test(f)) return `the ${f} claim`;
      if (f === "RegisteredClaims" || f === "StandardClaims") return claimsUse(p);
      return undefined;
    }
    if (p.type === "type_assertion_expression") {
      const holder = assignedName(p);
      if (holder) holders.add(holder);
      return undefined;
    }
    if (p.type === "expression_list" && p.parent?.type === "return_statement") return callersUse(fn, depth) ? "returned to a caller that never verifies it" : undefined;
    if (p.type === "argument_list") {
      const callee = unparen(field(p.parent!, "function"));
      const name = callee?.type === "selector_expression" ? field(callee, "field")?.text : undefined;
      if (name && CONTEXT_STORES.has(name)) return "stored in the request context";
    }
    if (p.type === "unary_expression" && field(p, "operator")?.text === "&") return claimsUse(p);
    return undefined;
  };
  walk(body, (n) => {
    if (use) return false;
    if (n.range[0] < after || n.type !== "identifier" || !n.text) return true;
    if (holders.has(n.text)) use = claimsUse(n);
    else if (tokenVars.has(n.text) && n.parent?.type === "selector_expression" && field(n.parent, "field")?.text === "Claims") use = claimsUse(n.parent);
    return true;
  });
  return use;
}

const SERVER_LIBS: ReadonlySet<string> = new Set(["fiber", "gin", "echo", "chi", "gorillamux"]);

/**
 * Is this file server code (a web framework imported, or a function taking an *http.Request)?
 * CLIs and clients that read their own stored token with ParseUnverified (to show the user
 * name or the expiry) are not reported.
 */
function serverFile(root: GoNode): boolean {
  const imports = importsOf(rootOf(root));
  if (imports.entries.some((e) => e.library && SERVER_LIBS.has(e.library))) return true;
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if (n.type === "parameter_declaration" && typeOfTypeNode(field(n, "type")) === "http.Request") found = true;
    return true;
  });
  return found;
}

/** `x := <expr>` / `x, ok := <expr>`: the first name assigned from `expr`. */
function assignedName(expr: GoNode): string | undefined {
  const list = expr.parent;
  const stmt = list?.type === "expression_list" ? list.parent : undefined;
  if (!stmt || (stmt.type !== "short_var_declaration" && stmt.type !== "assignment_statement") || field(stmt, "right") !== list) return undefined;
  const first = field(stmt, "left")?.children[0];
  return first?.type === "identifier" && first.text !== "_" ? first.text : undefined;
}

/** Does some caller (in this package) of the function `fn` use its result without verifying the token itself? */
function callersUse(fn: GoNode, depth: number): boolean {
  if (depth > 1 || fn.type === "func_literal") return false;
  const name = field(fn, "name")?.text;
  if (!name) return false;
  const model = packageOf(rootOf(fn));
  let callers = 0;
  let unverified = false;
  for (const file of model.files.values()) {
    walk(file.ast, (n) => {
      if (unverified) return false;
      if (n.type !== "call_expression") return true;
      const f = unparen(field(n, "function"));
      const callee = f?.type === "identifier" ? f.text : f?.type === "selector_expression" ? field(f, "field")?.text : undefined;
      if (callee !== name) return true;
      const scope = enclosingFunction(n);
      if (!scope || scope === fn) return true;
      callers++;
      if (!hasVerifyingCall(scope)) unverified = true;
      return true;
    });
  }
  return callers > 0 && unverified;
}

// ---------------------------------------------------------------------------------------------
// The rule.
// ---------------------------------------------------------------------------------------------

type MessageId = "keyfunc" | "middlewareKeyfunc" | "unverified" | "none" | "addValidMethods";

/** Method and function names the call visitor looks at. */
const CALL_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(JWT_PARSE_FUNCTIONS).flatMap((m) => Object.keys(m ?? {})),
  ...Object.keys(JWT_PARSER_METHODS),
  "GetSigningMethod",
  "ParseUnverified",
]);

/** `pkg.Config{...}` / `pkg.JWTConfig{...}`: the only literals that can be JWT middleware configs. */
export function isQualifiedConfigType(lit: GoNode): boolean {
  const t = field(lit, "type");
  return t?.type === "qualified_type" && /Config$/u.test(field(t, "name")?.text ?? "");
}

export default createRule<[], MessageId>({
  name: "jwt-require-algorithm",
  // Sound: every report is a call named Parse*/GetSigningMethod, a SigningMethodNone / UnsafeAllowNoneSignatureType
  // selector, or a `KeyFunc:` key of a middleware config literal, all written in this file.
  prefilter: /\bParse|GetSigningMethod|SigningMethodNone|UnsafeAllowNoneSignatureType|KeyFunc/u,
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "JWT verification must pin the signing algorithm (keyfunc check or WithValidMethods), never trust ParseUnverified claims, and never allow alg none",
      recommended: "error",
      security: {
        cwe: [347, 327],
        securitySeverity: 7.4,
        precision: "high",
        frameworks: ["golang-jwt v4", "golang-jwt v5", "dgrijalva/jwt-go", "jwt request", "echo-jwt", "fiber jwt", "net/http", "gin", "echo", "fiber"],
        tags: ["jwt", "authentication"],
      },
    },
    messages: {
      keyfunc:
        "`{{call}}` verifies the token with a keyfunc that never checks `token.Method`, and no `WithValidMethods` pins the algorithm: the token's own `alg` header decides how its signature is checked (algorithm confusion). Check the method in the keyfunc (`if _, ok := token.Method.(*jwt.SigningMethodHMAC); !ok { return nil, err }`) or {{pin}}.",
      middlewareKeyfunc:
        "This custom `KeyFunc` replaces the {{library}} algorithm check and never checks `token.Method`: the token's own `alg` header decides how its signature is checked. Check `token.Method` in the KeyFunc, or configure SigningKey (with the algorithm) instead of a KeyFunc.",
      unverified:
        "Claims from `ParseUnverified` are used as identity ({{use}}) and this code never verifies the token's signature: anyone can forge them. Verify with `jwt.ParseWithClaims` and a keyfunc; use ParseUnverified only to read `kid`, `iss` or `exp` before or after a verified parse.",
      none:
        "`{{name}}` allows unsigned tokens (`alg: none`): anyone can forge a token for any user. Sign and verify with a real algorithm (HS256 with a strong secret, RS256, ES256, EdDSA).",
      addValidMethods: "Pass {{pkg}}.WithValidMethods([]string{\"{{alg}}\"}) (the algorithm this package signs its tokens with)",
    },
    schema: [],
  },
  create(context) {
    if (isTestFile(context.physicalFilename ?? context.filename)) return {};
    const sourceCode = context.sourceCode;
    const text = sourceCode.text;

    /**
     * The function pins the algorithm some other way goward trusts: `WithValidMethods` /
     * `ValidMethods` anywhere (options built in ways goward cannot follow), or an `alg` value
     * tested before the parse (`if header.Alg != "RS256"`, a JOSE header decoded by hand).
     */
    const functionPinsAlgorithm = (node: GoNode): boolean => {
      const scope = enclosingFunction(node) ?? rootOf(node);
      let found = false;
      walk(scope, (n) => {
        if (found) return false;
        if ((n.type === "field_identifier" || n.type === "identifier") && (n.text === JWT_OPTIONS.validMethods || n.text === JWT_OPTIONS.validMethodsField)) found = true;
        else if (isAlgValue(n) && n.range[1] <= node.range[0] && usedAsCheck(n, scope, false)) found = true;
        return true;
      });
      return found;
    };

    const checkParse = (call: GoNode, shape: JwtParseShape, receiver: ParserOrigin | undefined, calleeText: string, lib: { pkg: string; path: string } | undefined) => {
      const args = argsOf(call);
      const kfIndex = shape.keyfunc;
      if (args.slice(0, kfIndex + 1).some((a) => a.type === "variadic_argument")) return;
      const keyfunc = args[kfIndex];
      if (!keyfunc || keyfuncVerdict(keyfunc) !== "unchecked") return;
      if (functionPinsAlgorithm(call)) return;
      const options = shape.options !== undefined ? args.slice(shape.options) : [];
      let restricted = optionsSet(options, JWT_OPTIONS.validMethods, JWT_OPTIONS.validMethodsField);
      if (restricted === "no" && receiver) restricted = parserSets(receiver, JWT_OPTIONS.validMethods, JWT_OPTIONS.validMethodsField);
      if (restricted !== "no") return;
      const alg = lib && /golang-jwt\/jwt\/v[45]$/u.test(lib.path) && !options.some((o) => o.type === "variadic_argument") ? packageAlgorithm(call) : undefined;
      const argList = field(call, "arguments");
      const last = args[args.length - 1];
      const suggest = alg && argList && last
        ? [{
            messageId: "addValidMethods" as const,
            data: { pkg: lib!.pkg, alg },
            fix: (fixer: { insertTextAfterRange(r: [number, number], t: string): unknown }) => {
              const option = `${lib!.pkg}.WithValidMethods([]string{"${alg}"})`;
              const tail = text.slice(last.range[1], argList.range[1] - 1);
              const comma = tail.indexOf(",");
              return comma >= 0
                ? fixer.insertTextAfterRange([last.range[1] + comma + 1, last.range[1] + comma + 1], ` ${option},`)
                : fixer.insertTextAfterRange([last.range[1], last.range[1]], `, ${option}`);
            },
          }]
        : [];
      const jwtPath = importsOf(rootOf(call)).entries.find((e) => e.library === "jwt")?.path ?? "";
      const pin = /golang-jwt\/jwt\/v[45]$/u.test(jwtPath)
        ? "pass `jwt.WithValidMethods([]string{\"HS256\"})`"
        : "parse with `&jwt.Parser{ValidMethods: []string{\"HS256\"}}`";
      context.report({ node: call, messageId: "keyfunc", data: { call: calleeText, pin }, suggest: suggest as never });
    };

    const checkUnverified = (call: GoNode) => {
      const fn = enclosingFunction(call);
      if (!fn || hasVerifyingCall(fn) || !serverFile(rootOf(call))) return;
      const use = unverifiedIdentityUse(call, fn);
      if (use) context.report({ node: call, messageId: "unverified", data: { use } });
    };

    return {
      call_expression(call) {
        const fn = unparen(field(call, "function"));
        if (fn?.type !== "selector_expression") return;
        const name = field(fn, "field")?.text ?? "";
        // Cheap name test first: resolving the operand costs more.
        if (!CALL_NAMES.has(name)) return;
        const lc = libraryCall(call);
        if (lc) {
          const shape = JWT_PARSE_FUNCTIONS[lc.lib]?.[name];
          if (shape && (lc.lib === "jwt" || lc.lib === "jwtrequest")) checkParse(call, shape, undefined, `${lc.pkg}.${name}`, lc);
          if (lc.lib === "jwt" && name === "GetSigningMethod" && String(constValue(argsOf(call)[0]) ?? "").toLowerCase() === "none") {
            context.report({ node: call, messageId: "none", data: { name: `${lc.pkg}.GetSigningMethod("none")` } });
          }
          return;
        }
        const methodShape = Object.hasOwn(JWT_PARSER_METHODS, name) ? JWT_PARSER_METHODS[name] : undefined;
        if (!methodShape && name !== "ParseUnverified") return;
        const receiver = parserOrigin(field(fn, "operand"));
        if (!receiver) return;
        if (methodShape) checkParse(call, methodShape, receiver, sourceCode.getText(fn as never).replace(/\s+/gu, ""), undefined);
        else checkUnverified(call);
      },
      selector_expression(sel) {
        const f = field(sel, "field")?.text;
        if (f !== "SigningMethodNone" && f !== "UnsafeAllowNoneSignatureType") return;
        const ref = libraryRef(sel);
        if (ref?.lib !== "jwt" || (ref.name !== "SigningMethodNone" && ref.name !== "UnsafeAllowNoneSignatureType")) return;
        // Comparisons reject none: `if token.Method == jwt.SigningMethodNone { return nil, err }`.
        let p = sel.parent;
        while (p?.type === "parenthesized_expression") p = p.parent;
        if (p?.type === "binary_expression" && ["==", "!="].includes(field(p, "operator")?.text ?? "")) return;
        if (p?.type === "expression_list" && p.parent?.type === "expression_case") return;
        context.report({ node: sel, messageId: "none", data: { name: `${ref.pkg}.${ref.name}` } });
      },
      composite_literal(lit) {
        if (!isQualifiedConfigType(lit)) return;
        const t = typeOf(lit);
        const shape = t ? JWT_MIDDLEWARE_CONFIGS[t] : undefined;
        if (!shape) return;
        const at = keyedElement(lit, shape.keyFunc);
        const value = keyedValue(lit, shape.keyFunc);
        if (!at || !value) return;
        if (shape.parseFunc && keyedValue(lit, shape.parseFunc)) return;
        if (keyfuncVerdict(value) !== "unchecked") return;
        context.report({ node: at, messageId: "middlewareKeyfunc", data: { library: shape.library } });
      },
    };
  },
});
