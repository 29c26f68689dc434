/**
 * require-http-timeout (CWE-400): HTTP without timeouts. An http.Server without
 * ReadHeaderTimeout/ReadTimeout (and http.ListenAndServe, which builds one) lets slow clients
 * (Slowloris) hold connections and goroutines forever; an http.Client without Timeout (and
 * http.Get/Post, http.DefaultClient) waits forever on an upstream that stops answering, with the
 * request that called it. gin's Run, echo's Start and fiber's Listen serve without read timeouts
 * too (reported with the checkFrameworkServers option).
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, rootOf, stringValue, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import {
  CLIENT_SEND_METHODS, CLIENT_TIMEOUT, DEFAULT_CLIENT_FUNCTIONS, FRAMEWORK_SERVER_STARTS, SERVER_READ_TIMEOUTS, UNTIMED_SERVE_FUNCTIONS,
} from "../src/semantic/library.js";
import { packageCache, packageOf } from "../src/semantic/package.js";
import { importedPackage, resolveLocal, typeOf } from "../src/semantic/types.js";
import { constValue, definitionOf, keyedElement, keyedValue } from "../src/semantic/values.js";
import { isTestCode } from "./require-body-limit.js";

type Options = [{ checkFrameworkServers?: boolean }];
type MessageIds = "server" | "serveFunction" | "client" | "defaultClient" | "frameworkServer" | "addReadHeaderTimeout" | "addClientTimeout";

const FRAMEWORK_FIX: Record<string, string> = {
  gin: "Serve the engine with your own server: `srv := &http.Server{Addr: addr, Handler: r, ReadHeaderTimeout: 10 * time.Second}` and `srv.ListenAndServe()`.",
  echo: "Set `e.Server.ReadHeaderTimeout` (and `e.TLSServer` for TLS) before starting, or call `e.StartServer` with an http.Server that has ReadHeaderTimeout.",
  fiber: "Set `ReadTimeout` (and `IdleTimeout`) in the fiber.Config given to fiber.New.",
};

// ---------------------------------------------------------------------------------------------
// Small helpers

function selectorCall(call: GoNode): { operand: GoNode; name: string; args: GoNode[] } | undefined {
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const name = field(fn, "field")?.text;
  return operand && name ? { operand, name, args: field(call, "arguments")?.children ?? [] } : undefined;
}

/** Is `expr` the net/http package identifier of this file? */
function isNetHttp(expr: GoNode | undefined): boolean {
  const e = unparen(expr);
  return !!e && importedPackage(e, importsOf(rootOf(e))) !== undefined && importsOf(rootOf(e)).library(e.text ?? "") === "net/http";
}

/** A field set in the literal to something other than a constant zero. */
function setInLiteral(lit: GoNode, names: readonly string[]): boolean {
  return names.some((n) => {
    const v = keyedValue(lit, n);
    return !!v && constValue(v) !== 0 && !/^0+$/u.test(v.text ?? "");
  });
}

/** The node that holds the literal's value: the literal itself, or `&lit` / `(lit)` around it. */
function outerOf(lit: GoNode): GoNode {
  let n = lit;
  while (n.parent && (n.parent.type === "parenthesized_expression" || (n.parent.type === "unary_expression" && field(n.parent, "operator")?.text === "&"))) n = n.parent;
  return n;
}

interface Holder {
  kind: "local" | "package" | "field" | "return" | "argument" | "other";
  /** The variable or field name. */
  name?: string;
  /** The call the value is handed to (kind "argument"). */
  call?: GoNode;
}

/** Where a constructed value goes: a local or package variable, a struct field, a return, a call. */
function holderOf(value: GoNode): Holder {
  const outer = outerOf(value);
  const p = outer.parent;
  if (!p) return { kind: "other" };
  if (p.type === "expression_list") {
    const decl = p.parent;
    if (decl?.type === "return_statement") return { kind: "return" };
    if (decl && (decl.type === "short_var_declaration" || decl.type === "assignment_statement" || decl.type === "var_spec")) {
      const left = decl.type === "var_spec" ? fieldAll(decl, "name") : field(decl, "left")?.children ?? [];
      if (decl.type !== "var_spec" && field(decl, "right") !== p) return { kind: "other" };
      const target = left[p.children.indexOf(outer)];
      if (target?.type === "identifier") return { kind: enclosingFunction(value) ? "local" : "package", name: target.text };
      if (target?.type === "selector_expression") return { kind: "field", name: field(target, "field")?.text };
    }
    return { kind: "other" };
  }
  if (p.type === "return_statement") return { kind: "return" };
  if (p.type === "keyed_element") {
    const key = p.children[0];
    return { kind: "field", name: key?.children[0]?.text ?? key?.text };
  }
  if (p.type === "argument_list") return { kind: "argument", call: p.parent ?? undefined };
  return { kind: "other" };
}

const fieldAssignRe = (fields: readonly string[]) => new RegExp(`\\.(?:${fields.join("|")})\\s*=[^=]`, "u");

/** The same-package function or method a call goes to (methods matched by name), with its source text. */
function calleeTexts(call: GoNode): string[] {
  const fn = unparen(field(call, "function"));
  const model = packageOf(rootOf(call));
  const name = fn?.type === "identifier" ? fn.text : fn?.type === "selector_expression" && !importedPackage(field(fn, "operand"), importsOf(rootOf(call))) ? field(fn, "field")?.text : undefined;
  if (!name) return [];
  const facts = fn?.type === "identifier" ? [model.funcs.get(name)].filter((f) => !!f) : [...model.funcs.values()].filter((f) => f.name === name && f.receiver);
  return facts.map((f) => packageCache.sourceText(f!.file.path).slice(f!.node.range[0], f!.node.range[1]) || "");
}

/** The name of the function declaration (or method) that contains `node`, for "result of f()" aliases. */
function declaredFunctionName(node: GoNode): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === "function_declaration" || p.type === "method_declaration") return field(p, "name")?.text;
    if (p.type === "func_literal") return undefined;
  }
  return undefined;
}

interface Aliases {
  /** Package variables holding the value. */
  vars: Set<string>;
  /** Struct fields holding it (`s.srv`, `&App{srv: ...}`). */
  fields: Set<string>;
  /** Functions returning it (`srv := newServer()`). */
  results: Set<string>;
}

/**
 * Is one of `fields` set on the constructed value after construction: `x.F = ...` on the local
 * it is stored in, inside a same-package function it is handed to, or, when it leaves the
 * function, anywhere in the package through the package variable, struct field or constructor
 * function it went to (`s.srv.ReadTimeout = ...`, `srv := newServer(); srv.ReadTimeout = ...`).
 * Callers in other packages are not seen.
 */
function setLater(value: GoNode, fields: readonly string[]): boolean {
  const h = holderOf(value);
  const fn = enclosingFunction(value);
  const re = fieldAssignRe(fields);
  const aliases: Aliases = { vars: new Set(), fields: new Set(), results: new Set() };
  const targetField = (n: GoNode): GoNode | undefined => {
    if (n.type !== "assignment_statement") return undefined;
    return (field(n, "left")?.children ?? []).find((l) => l.type === "selector_expression" && fields.includes(field(l, "field")?.text ?? ""));
  };
  if (h.kind === "argument" && h.call && calleeTexts(h.call).some((t) => re.test(t))) return true;
  if (h.kind === "package" && h.name) aliases.vars.add(h.name);
  if (h.kind === "field" && h.name) aliases.fields.add(h.name);
  if (h.kind === "return") {
    const f = declaredFunctionName(value);
    if (f) aliases.results.add(f);
  }
  if (h.kind === "local" && fn && h.name) {
    let set = false;
    walk(fn, (n) => {
      if (set) return false;
      const t = targetField(n);
      if (t && unparen(field(t, "operand"))?.text === h.name) set = true;
      if (n.type === "identifier" && n.text === h.name && n.range[0] > value.range[1]) {
        const p = n.parent;
        if (p?.type === "argument_list" && p.parent && calleeTexts(p.parent).some((x) => re.test(x))) set = true;
        const out = p?.type === "expression_list" ? p.parent : p;
        if (out?.type === "return_statement") {
          const f = declaredFunctionName(n);
          if (f) aliases.results.add(f);
        } else if (out?.type === "assignment_statement" && field(out, "right") === p) {
          const target = (field(out, "left")?.children ?? [])[p!.children.indexOf(n)];
          if (target?.type === "selector_expression") aliases.fields.add(field(target, "field")?.text ?? "");
          else if (target?.type === "identifier" && !resolveLocal(target)) aliases.vars.add(target.text ?? "");
        } else if (p?.type === "literal_value" || p?.type === "keyed_element") {
          const key = p.type === "keyed_element" ? p.children[0] : undefined;
          const k = key?.children[0]?.text ?? key?.text;
          if (k && p.type === "keyed_element" && p.children[1] !== key) aliases.fields.add(k);
        } else if (p?.type === "literal_element" && p.parent?.type === "keyed_element" && p.parent.children[1] === p) {
          const key = p.parent.children[0];
          const k = key?.children[0]?.text ?? key?.text;
          if (k) aliases.fields.add(k);
        }
      }
      return !set;
    });
    if (set) return true;
  }
  if (!aliases.vars.size && !aliases.fields.size && !aliases.results.size) return false;
  const matches = (operand: GoNode | undefined): boolean => {
    const o = unparen(operand);
    if (!o) return false;
    if (o.type === "selector_expression") return aliases.fields.has(field(o, "field")?.text ?? "");
    if (o.type !== "identifier") return false;
    const b = resolveLocal(o);
    if (!b) return aliases.vars.has(o.text ?? "");
    const v = unparen(b.value);
    if (v?.type !== "call_expression") return false;
    const callee = unparen(field(v, "function"));
    const name = callee?.type === "identifier" ? callee.text : callee?.type === "selector_expression" ? field(callee, "field")?.text : undefined;
    return !!name && aliases.results.has(name);
  };
  for (const f of packageOf(rootOf(value)).files.values()) {
    let set = false;
    walk(f.ast, (n) => {
      if (set) return false;
      const t = targetField(n);
      if (t && matches(field(t, "operand"))) set = true;
      // The package variable or field handed to a same-package helper that sets the timeout.
      if (n.type === "argument_list" && n.children.some((a) => matches(a)) && n.parent && calleeTexts(n.parent).some((x) => re.test(x))) set = true;
      return !set;
    });
    if (set) return true;
  }
  return false;
}

function isBackgroundContext(expr: GoNode | undefined, depth = 0): boolean {
  const e = unparen(expr);
  if (!e || depth > 4) return false;
  if (e.type === "identifier") {
    const b = resolveLocal(e);
    return !!b?.value && b.values === b.names && isBackgroundContext(b.value, depth + 1);
  }
  if (e.type !== "call_expression") return false;
  const c = selectorCall(e);
  if (!c || (c.name !== "Background" && c.name !== "TODO")) return false;
  return importsOf(rootOf(e)).library(c.operand.text ?? "") === "context" && !!importedPackage(c.operand, importsOf(rootOf(e)));
}

/**
 * Does the request carry a caller's context (`http.NewRequestWithContext(ctx, ...)`,
 * `req.WithContext(ctx)`, `req.Clone(ctx)`, or `req = req.WithContext(ctx)` before `at`), other
 * than context.Background/TODO? Such a context usually carries the deadline (a judgement call:
 * goward cannot see the caller's deadline).
 */
function requestHasContext(expr: GoNode | undefined, at: GoNode, depth = 0): boolean {
  const e = unparen(expr);
  if (!e || depth > 5) return false;
  if (e.type === "call_expression") {
    const c = selectorCall(e);
    if (c?.name === "NewRequestWithContext" && isNetHttp(c.operand)) return !isBackgroundContext(c.args[0]);
    if (c && (c.name === "WithContext" || c.name === "Clone") && c.args.length === 1) return !isBackgroundContext(c.args[0]);
    // A helper that builds the request from a context (`shc.newRequest(ctx, target)`).
    return callWithContext(e);
  }
  if (e.type !== "identifier") return false;
  const b = resolveLocal(e);
  if (!b) return false;
  if (b.value && (b.values === b.names || b.index === 0) && requestHasContext(b.value, at, depth + 1)) return true;
  const fn = enclosingFunction(at);
  let found = false;
  if (fn) {
    walk(fn, (n) => {
      if (found || n.range[0] >= at.range[0]) return false;
      if (n.type === "assignment_statement") {
        const left = field(n, "left")?.children ?? [];
        const right = field(n, "right")?.children ?? [];
        left.forEach((l, i) => {
          if (l.type === "identifier" && l.text === e.text && right[i] && requestHasContext(right[i], at, depth + 1)) found = true;
        });
      }
      return !found;
    });
  }
  return found;
}

/** A call that also receives a caller's context (not Background/TODO): `HashByRev(ctx, cc, ...)`, `context.WithValue(ctx, oauth2.HTTPClient, c)`. */
function callWithContext(call: GoNode | undefined): boolean {
  if (call?.type !== "call_expression") return false;
  return (field(call, "arguments")?.children ?? []).some((a) => typeOf(a) === "context.Context" && !isBackgroundContext(a));
}

/**
 * Is every use of the client bounded by a caller's context? It is a local that never leaves
 * its function, or a struct field (all uses across the package), and each use sends a request
 * that carries a context (`cc.Do(req)` with `req.WithContext(ctx)`), or hands the client to a
 * call together with a context. A judgement call: the deadline comes with the context, which
 * goward cannot see.
 */
function boundByContexts(value: GoNode): boolean {
  const h = holderOf(value);
  if (h.kind === "argument") return callWithContext(h.call);
  const uses: GoNode[] = [];
  const fieldsSeen = new Set<string>();
  const addFieldUses = (name: string) => {
    if (fieldsSeen.has(name)) return;
    fieldsSeen.add(name);
    for (const f of packageOf(rootOf(value)).files.values()) {
      walk(f.ast, (n) => {
        if (n.type === "selector_expression" && field(n, "field")?.text === name) uses.push(n);
        return true;
      });
    }
  };
  if (h.kind === "local" && h.name) {
    const fn = enclosingFunction(value);
    if (!fn) return false;
    walk(fn, (n) => {
      if (n.type === "identifier" && n.text === h.name && n.range[0] > value.range[1]) uses.push(n);
      return true;
    });
  } else if (h.kind === "field" && h.name) addFieldUses(h.name);
  else return false;
  let sends = 0;
  for (let i = 0; i < uses.length; i++) {
    const u = uses[i];
    const p = u.parent;
    const isFieldUse = u.type === "selector_expression";
    if (p?.type === "selector_expression" && field(p, "operand") === u) {
      const method = field(p, "field")?.text ?? "";
      const call = p.parent?.type === "call_expression" && field(p.parent, "function") === p ? p.parent : undefined;
      if (method === "CloseIdleConnections" && call) continue;
      // `client.CheckRedirect = ...`, `client.Transport = ...`: configuring it.
      if (!call && p.parent?.type === "expression_list" && p.parent.parent?.type === "assignment_statement" && field(p.parent.parent, "left") === p.parent) continue;
      if (method === "Do" && call && requestHasContext(field(call, "arguments")?.children[0], call)) {
        sends++;
        continue;
      }
      return false;
    }
    if (p?.type === "expression_list" && p.parent?.type === "assignment_statement") {
      const stmt = p.parent;
      // The field's own assignment (`s.client = ...`).
      if (field(stmt, "left") === p && isFieldUse) continue;
      if (field(stmt, "right") === p) {
        // Stored into a field: follow the field's uses across the package.
        const target = (field(stmt, "left")?.children ?? [])[p.children.indexOf(u)];
        if (target?.type === "selector_expression" && field(target, "field")?.text) {
          addFieldUses(field(target, "field")!.text!);
          continue;
        }
      }
      return false;
    }
    // `&Checker{client: client}`: follow the field.
    if (p?.type === "literal_element" && p.parent?.type === "keyed_element" && p.parent.children[1] === p) {
      const key = p.parent.children[0];
      const k = key?.children[0]?.text ?? key?.text;
      if (k) {
        addFieldUses(k);
        continue;
      }
    }
    // The key of a keyed element (`client: ...` in a struct literal) is not a use.
    if (isFieldUse === false && p?.type === "literal_element" && p.parent?.type === "keyed_element" && p.parent.children[0] === p) continue;
    if (p?.type === "argument_list" && callWithContext(p.parent ?? undefined)) {
      sends++;
      continue;
    }
    return false;
  }
  return sends > 0;
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::|$)/iu;

/** An address that only the machine itself can reach: "localhost:6060", fmt.Sprintf("127.0.0.1:%d", port). */
function isLoopbackAddr(expr: GoNode | undefined): boolean {
  const e = unparen(expr);
  if (!e) return false;
  const v = constValue(e);
  if (typeof v === "string") return LOOPBACK.test(v);
  if (e.type === "call_expression") {
    const c = selectorCall(e);
    if (c && (c.name === "Sprintf" || c.name === "Join" || c.name === "JoinHostPort")) {
      const first = c.args[0];
      const s = stringValue(first) ?? constValue(first);
      return typeof s === "string" && (LOOPBACK.test(s) || (c.name === "JoinHostPort" && /^(?:127\.\d+\.\d+\.\d+|localhost|::1)$/iu.test(s)));
    }
  }
  const def = definitionOf(e);
  return !!def && def !== e && isLoopbackAddr(def);
}

// ---------------------------------------------------------------------------------------------

export default createRule<Options, MessageIds>({
  name: "require-http-timeout",
  // No prefilter: an http.Server or http.Client literal without timeouts is reported whatever its keys, and its type
  // may be a package type declared in another file (`type Server = http.Server`).
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "HTTP servers need a read (header) timeout and HTTP clients a timeout: http.Server ReadHeaderTimeout, http.Client Timeout; no http.ListenAndServe, http.Get or http.DefaultClient",
      recommended: "warn",
      security: {
        cwe: [400],
        securitySeverity: 5.3,
        precision: "high",
        frameworks: ["net/http", "chi", "gorilla/mux", "gin", "echo", "fiber"],
        tags: ["denial-of-service", "slowloris", "reliability"],
      },
    },
    messages: {
      server:
        "http.Server has no ReadHeaderTimeout or ReadTimeout: a client that sends its headers a byte at a time (Slowloris) holds a connection and a goroutine for as long as it likes, and a few thousand such clients exhaust the server. Set `ReadHeaderTimeout` (e.g. 10 * time.Second), and ReadTimeout/WriteTimeout/IdleTimeout as the endpoints allow.",
      serveFunction:
        "`http.{{name}}` serves with a zero http.Server, which has no timeouts: slow clients (Slowloris) hold connections and goroutines for as long as they like. Use `srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}` and `srv.{{name}}(...)`.",
      client:
        "http.Client has no Timeout: an upstream that accepts the connection and then stops answering (or trickles the body) blocks the caller, and the request waiting on it, forever. Set `Timeout` (e.g. 30 * time.Second), or send every request with a context that has a deadline.",
      defaultClient:
        "`{{call}}` uses http.DefaultClient, which has no timeout: an upstream that stops answering blocks this goroutine, and the request waiting on it, forever. Use an http.Client with `Timeout` set, or build the request with `http.NewRequestWithContext` and a context that has a deadline.",
      frameworkServer: "{{framework}}'s `{{method}}` serves without a read timeout: slow clients (Slowloris) hold connections and goroutines for as long as they like. {{fix}}",
      addReadHeaderTimeout: "Add ReadHeaderTimeout: 10 * time.Second",
      addClientTimeout: "Add Timeout: 30 * time.Second",
    },
    schema: [
      {
        type: "object",
        properties: {
          checkFrameworkServers: {
            type: "boolean",
            description: "Also report gin Run/RunTLS, echo Start/StartTLS and fiber Listen, which serve without read timeouts (off by default: most such apps run behind a proxy that enforces them).",
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ checkFrameworkServers: false }],
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    if (isTestCode(filename, context.cwd)) return {};
    const checkFrameworkServers = !!context.options[0]?.checkFrameworkServers;
    const text = context.sourceCode.text;

    /** A suggestion that adds `Key: value` to a composite literal, when `time` is imported. */
    function addField(lit: GoNode, key: string, amount: string, messageId: "addReadHeaderTimeout" | "addClientTimeout") {
      const timeName = importsOf(rootOf(lit)).localNameOf("time");
      const body = field(lit, "body");
      if (!timeName || !body) return [];
      const entry = `${key}: ${amount.replace("time.", `${timeName}.`)}`;
      const elements = body.children.filter((c) => c.type === "keyed_element" || c.type === "literal_element");
      if (elements.some((e) => e.type === "literal_element")) return [];
      let range: [number, number];
      let insert: string;
      if (elements.length === 0) {
        range = [body.range[0] + 1, body.range[1] - 1];
        insert = entry;
      } else {
        const last = elements[elements.length - 1];
        const between = text.slice(last.range[1], body.range[1] - 1);
        const multiline = text.slice(body.range[0], elements[0].range[0]).includes("\n");
        if (multiline) {
          const lineStart = text.lastIndexOf("\n", last.range[0] - 1) + 1;
          const indent = /^[ \t]*/u.exec(text.slice(lineStart))![0];
          const comma = between.indexOf(",");
          const at = comma >= 0 ? last.range[1] + comma + 1 : last.range[1];
          range = [at, at];
          insert = `${comma >= 0 ? "" : ","}\n${indent}${entry},`;
        } else {
          range = [last.range[1], last.range[1]];
          insert = `, ${entry}`;
        }
      }
      return [{ messageId, fix: (fixer: { replaceTextRange(r: [number, number], t: string): unknown }) => fixer.replaceTextRange(range, insert) }];
    }

    function checkServerLiteral(lit: GoNode): void {
      if (setInLiteral(lit, SERVER_READ_TIMEOUTS)) return;
      if (isLoopbackAddr(keyedValue(lit, "Addr"))) return;
      if (setLater(lit, SERVER_READ_TIMEOUTS)) return;
      const suggest = addField(lit, "ReadHeaderTimeout", "10 * time.Second", "addReadHeaderTimeout");
      context.report({ node: outerOf(lit), messageId: "server", ...(suggest.length ? { suggest: suggest as never } : {}) });
    }

    function checkClient(value: GoNode, lit: GoNode | undefined): void {
      if (lit && setInLiteral(lit, [CLIENT_TIMEOUT])) return;
      if (setLater(value, [CLIENT_TIMEOUT])) return;
      if (boundByContexts(value)) return;
      const suggest = lit ? addField(lit, CLIENT_TIMEOUT, "30 * time.Second", "addClientTimeout") : [];
      context.report({ node: outerOf(value), messageId: "client", ...(suggest.length ? { suggest: suggest as never } : {}) });
    }

    function checkFramework(call: GoNode, operand: GoNode, method: string): void {
      const t = typeOf(operand);
      const shape = t ? FRAMEWORK_SERVER_STARTS[t] : undefined;
      if (!shape || !shape.methods.has(method)) return;
      const args = field(call, "arguments")?.children ?? [];
      if (shape.framework !== "fiber" && isLoopbackAddr(args[0])) return;
      if (shape.serverFields) {
        // echo v4: `e.Server.ReadTimeout = ...` (or a replaced e.Server) before Start.
        const fn = enclosingFunction(call);
        const re = new RegExp(`\\.(?:${shape.serverFields.join("|")})(?:\\.(?:${SERVER_READ_TIMEOUTS.join("|")}))?\\s*=[^=]`, "u");
        const scope = fn ? text.slice(fn.range[0], fn.range[1]) : "";
        if (re.test(scope)) return;
        if ([...packageOf(rootOf(call)).files.values()].some((f) => new RegExp(`\\.(?:${shape.serverFields!.join("|")})\\.(?:${SERVER_READ_TIMEOUTS.join("|")})\\s*=[^=]`, "u").test(packageCache.sourceText(f.path)))) return;
      }
      if (shape.configTimeouts) {
        // fiber: the app's fiber.New(fiber.Config{...}) must be visible and lack ReadTimeout.
        const def = definitionOf(operand);
        const newCall = unparen(def);
        if (newCall?.type !== "call_expression") return;
        const cfgArg = field(newCall, "arguments")?.children[0];
        if (cfgArg) {
          const cfg = unparen(cfgArg)?.type === "composite_literal" ? unparen(cfgArg) : definitionOf(cfgArg);
          if (cfg?.type !== "composite_literal") return;
          if (setInLiteral(cfg, shape.configTimeouts)) return;
        }
        if (typeOf(newCall) !== "fiber.App") return;
      }
      context.report({ node: call, messageId: "frameworkServer", data: { framework: shape.framework, method, fix: FRAMEWORK_FIX[shape.framework] ?? "" } });
    }

    return {
      composite_literal(lit) {
        const t = typeOf(lit);
        if (t === "http.Server") checkServerLiteral(lit);
        else if (t === "http.Client") checkClient(lit, lit);
      },
      call_expression(call) {
        const fn = unparen(field(call, "function"));
        // new(http.Client)
        if (fn?.type === "identifier" && fn.text === "new" && typeOf(call) === "http.Client") {
          checkClient(call, undefined);
          return;
        }
        const c = selectorCall(call);
        if (!c) return;
        if (isNetHttp(c.operand)) {
          if (DEFAULT_CLIENT_FUNCTIONS.has(c.name)) {
            context.report({ node: call, messageId: "defaultClient", data: { call: `http.${c.name}` } });
          } else if (UNTIMED_SERVE_FUNCTIONS.has(c.name)) {
            if (c.name.startsWith("ListenAndServe") && isLoopbackAddr(c.args[0])) return;
            context.report({ node: call, messageId: "serveFunction", data: { name: c.name } });
          }
          return;
        }
        // http.DefaultClient.Do(req), http.DefaultClient.Get(url)
        const op = unparen(c.operand);
        if (op?.type === "selector_expression" && field(op, "field")?.text === "DefaultClient" && isNetHttp(field(op, "operand")) && CLIENT_SEND_METHODS.has(c.name)) {
          if (c.name === "Do" && requestHasContext(c.args[0], call)) return;
          context.report({ node: call, messageId: "defaultClient", data: { call: `http.DefaultClient.${c.name}` } });
          return;
        }
        if (checkFrameworkServers) checkFramework(call, c.operand, c.name);
      },
    };
  },
});
