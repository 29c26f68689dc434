/**
 * no-cors-wildcard-credentials (CWE-942): a CORS policy that lets any origin make credentialed
 * requests lets every website act as the logged-in user and read the answers.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, isFunctionLike, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { CORS_CONFIGS, HEADER_READERS, type CorsConfigShape } from "../src/semantic/library.js";
import { resolveLocal, typeOf } from "../src/semantic/types.js";
import { alwaysReturnsTrue, constValue, fieldAssignmentsOf, keyedElement, keyedValue, sliceElements } from "../src/semantic/values.js";
import { importsOf } from "../src/semantic/imports.js";

const ACAO = "access-control-allow-origin";
/**
 * Header-reading method names from the library table (receivers are not typed here: the constant
 * "Origin" argument is the strong signal), plus fasthttp's `Peek`.
 */
const HEADER_READ_METHODS: ReadonlySet<string> = new Set([
  ...Object.values(HEADER_READERS).flatMap((m) => Object.entries(m).filter(([, kind]) => kind === "header").map(([name]) => name)),
  "Peek",
]);
const ACAC = "access-control-allow-credentials";

/** `"*"`, `"https://*"`, or a comma-separated list containing one of them. */
function isWildcardOrigin(v: unknown): boolean {
  return typeof v === "string" && v.split(",").some((s) => /^(?:https?:\/\/)?\*$/u.test(s.trim()));
}

function allowsAnyOrigin(value: GoNode | undefined): boolean {
  if (!value) return false;
  if (isWildcardOrigin(constValue(value))) return true;
  const elements = sliceElements(value);
  return !!elements?.some((e) => isWildcardOrigin(constValue(e)));
}

interface Finding {
  node: GoNode;
  what: string;
}

/** Evaluates a config given a getter for field values; reports the field that opens all origins. */
function evaluate(shape: CorsConfigShape, get: (name: string) => { value: GoNode; at: GoNode } | undefined): Finding | undefined {
  const cred = get(shape.credentials);
  if (!cred || constValue(cred.value) !== true) return undefined;
  for (const f of shape.allowAll ?? []) {
    const v = get(f);
    if (v && constValue(v.value) === true) return { node: v.at, what: `${f}: true` };
  }
  for (const f of shape.origins) {
    const v = get(f);
    if (v && allowsAnyOrigin(v.value)) return { node: v.at, what: `${f}: "*"` };
  }
  for (const f of shape.funcs) {
    const v = get(f);
    if (v && alwaysReturnsTrue(v.value)) return { node: v.at, what: `${f} that returns true for every origin` };
  }
  return undefined;
}

export default createRule<[], "wildcard" | "handWritten" | "reflected">({
  name: "no-cors-wildcard-credentials",
  // Sound: library configs need an `AllowCredentials` key, field assignment or gorilla option; hand-written headers
  // are Set/Add/Header/Append calls (the header names may be constants of other files).
  prefilter: /AllowCredentials|\b(?:Set|Add|Header|Append)\b/u,
  meta: {
    type: "problem",
    docs: {
      description: "CORS must not allow any origin together with credentials",
      recommended: "error",
      security: {
        cwe: [942, 346],
        securitySeverity: 8.1,
        precision: "very-high",
        frameworks: ["fiber cors", "gin-contrib/cors", "rs/cors", "go-chi/cors", "echo CORS middleware", "gorilla/handlers", "net/http"],
        tags: ["cors", "csrf"],
      },
    },
    messages: {
      wildcard:
        "{{library}} allows any origin ({{what}}) together with credentials: any website can send requests with your users' cookies or tokens and read the responses. List the trusted origins instead.",
      handWritten:
        "`Access-Control-Allow-Origin: *` is sent together with `Access-Control-Allow-Credentials: true`: browsers refuse it today, and the usual \"fix\" of echoing the Origin exposes every user to any website. Send a specific trusted origin.",
      reflected:
        "The request's Origin header is echoed into Access-Control-Allow-Origin with credentials allowed and no allow-list check: any website can make authenticated requests and read the responses. Compare the origin against a list of trusted origins first.",
    },
    schema: [],
  },
  create(context) {
    const reported = new Set<GoNode>();
    const report = (node: GoNode, messageId: "wildcard" | "handWritten" | "reflected", data: Record<string, string> = {}) => {
      if (reported.has(node)) return;
      reported.add(node);
      context.report({ node, messageId, data });
    };

    return {
      composite_literal(lit) {
        const t = typeOf(lit);
        const shape = t ? CORS_CONFIGS[t] : undefined;
        if (!shape) return;
        // Fields set after construction on the same variable count too (`config.AllowCredentials = true`).
        const assigned = fieldAssignmentsOf(lit);
        const finding = evaluate(shape, (name) => {
          const later = assigned.get(name);
          if (later) return later;
          const value = keyedValue(lit, name);
          return value ? { value, at: keyedElement(lit, name) ?? lit } : undefined;
        });
        if (finding) report(finding.node, "wildcard", { library: shape.library, what: finding.what });
      },
      call_expression(call) {
        const fn = unparen(field(call, "function"));
        if (fn?.type !== "selector_expression") return;
        const name = field(fn, "field")?.text;
        const args = field(call, "arguments")?.children ?? [];
        // gin-contrib: `config := cors.DefaultConfig()` then field assignments.
        if (name === "DefaultConfig" && typeOf(call) === "gincors.Config") {
          const assigned = fieldAssignmentsOf(call);
          const finding = evaluate(CORS_CONFIGS["gincors.Config"], (n) => assigned.get(n));
          if (finding) report(finding.node, "wildcard", { library: "gin-contrib/cors", what: finding.what });
          return;
        }
        // gorilla/handlers: handlers.CORS(handlers.AllowedOrigins([]string{"*"}), handlers.AllowCredentials())
        if (name === "CORS" && isGorillaHandlers(field(fn, "operand"))) {
          let origins: GoNode | undefined;
          let creds = false;
          for (const a of args) {
            const ac = unparen(a);
            const af = ac?.type === "call_expression" ? unparen(field(ac, "function")) : undefined;
            if (af?.type !== "selector_expression" || !isGorillaHandlers(field(af, "operand"))) continue;
            const opt = field(af, "field")?.text;
            if (opt === "AllowCredentials") creds = true;
            if (opt === "AllowedOrigins" && allowsAnyOrigin(field(ac!, "arguments")?.children[0])) origins = ac;
            if (opt === "AllowedOriginValidator" && alwaysReturnsTrue(field(ac!, "arguments")?.children[0])) origins = ac;
          }
          if (origins && creds) report(origins, "wildcard", { library: "gorilla/handlers", what: 'AllowedOrigins([]string{"*"})' });
          return;
        }
        // Hand-written headers: Set/Add/Header/Append("Access-Control-Allow-Origin", v).
        if (!name || !["Set", "Add", "Header", "Append"].includes(name) || args.length !== 2) return;
        if (String(constValue(args[0]) ?? "").toLowerCase() !== ACAO) return;
        const scope = enclosingFunction(call);
        if (!scope || !setsCredentials(scope)) return;
        const value = args[1];
        if (isWildcardOrigin(constValue(value))) report(call, "handWritten");
        else if (isOriginRead(value) && !originChecked(value, scope)) report(call, "reflected");
      },
    };
  },
});

function isGorillaHandlers(operand: GoNode | undefined): boolean {
  return !!operand?.text && importsOf(rootOf(operand)).library(operand.text) === "gorillahandlers";
}

function headerCalls(scope: GoNode, header: string, visit: (value: GoNode, call: GoNode) => void): void {
  walk(scope, (n) => {
    if (n !== scope && isFunctionLike(n) && n.type !== "func_literal") return false;
    if (n.type !== "call_expression") return true;
    const fn = unparen(field(n, "function"));
    const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : undefined;
    const args = field(n, "arguments")?.children ?? [];
    if (name && ["Set", "Add", "Header", "Append"].includes(name) && args.length === 2 && String(constValue(args[0]) ?? "").toLowerCase() === header) {
      visit(args[1], n);
    }
    return true;
  });
}

function setsCredentials(scope: GoNode): boolean {
  let found = false;
  headerCalls(scope, ACAC, (v) => {
    if (String(constValue(v) ?? "").toLowerCase() === "true") found = true;
  });
  return found;
}

/** `r.Header.Get("Origin")`, fiber `c.Get("Origin")`, gin `c.GetHeader("Origin")`, or a local holding one. */
function isOriginRead(expr: GoNode | undefined, depth = 0): boolean {
  const e = unparen(expr);
  if (!e || depth > 4) return false;
  if (e.type === "identifier") {
    const b = resolveLocal(e);
    return !!b?.value && b.values === b.names && isOriginRead(b.value, depth + 1);
  }
  if (e.type !== "call_expression") return false;
  const fn = unparen(field(e, "function"));
  const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : undefined;
  const args = field(e, "arguments")?.children ?? [];
  return !!name && HEADER_READ_METHODS.has(name) && args.length >= 1 && String(constValue(args[0]) ?? "").toLowerCase() === "origin";
}

/**
 * Is the origin compared against something in a condition of the function: passed to a
 * predicate (`allowed(origin)`, `slices.Contains(list, origin)`), used as a map key
 * (`allowed[origin]`), compared with a non-empty value, or switched on? `origin != ""` is not.
 */
function originChecked(value: GoNode, scope: GoNode): boolean {
  const v = unparen(value);
  const name = v?.type === "identifier" ? v.text : undefined;
  const isOrigin = (n: GoNode) => (name !== undefined && n.type === "identifier" && n.text === name) || (n.type === "call_expression" && isOriginRead(n));
  const checksIn = (cond: GoNode): boolean => {
    let checked = false;
    const visit = (n: GoNode) => {
      if (checked) return;
      if (isOrigin(n)) {
        const p = n.parent;
        if (p?.type === "argument_list") checked = true;
        else if (p?.type === "index_expression" && field(p, "index") === n) checked = true;
        else if (p?.type === "binary_expression" && ["==", "!="].includes(field(p, "operator")?.text ?? "")) {
          const other = field(p, "left") === n ? field(p, "right") : field(p, "left");
          if (constValue(other) !== "") checked = true;
        }
        return;
      }
      for (const c of n.children) visit(c);
    };
    visit(cond);
    return checked;
  };
  let checked = false;
  walk(scope, (n) => {
    if (checked) return false;
    if (n.type === "if_statement") {
      const cond = field(n, "condition");
      if (cond && checksIn(cond)) checked = true;
    } else if (n.type === "expression_switch_statement") {
      const sw = field(n, "value");
      if (sw && (isOrigin(unparen(sw)!) || checksIn(sw))) checked = true;
    }
    return !checked;
  });
  return checked;
}
