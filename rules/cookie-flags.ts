/**
 * cookie-flags (CWE-614, CWE-1004): session and authentication cookies must carry Secure (never
 * sent over plain HTTP) and HttpOnly (out of reach of injected scripts); SameSite=None needs
 * Secure. Covers net/http (and echo, which sets http.Cookie), fiber cookies, gin's SetCookie,
 * gorilla/sessions and gin-contrib/sessions Options, and fiber's session middleware config.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { CLIENT_COOKIE_METHODS, COOKIE_CONFIGS, COOKIE_SETTERS, SAME_SITE_NONE, type CookieShape } from "../src/semantic/library.js";
import { isSecretName, secretIn, words } from "../src/semantic/secrets.js";
import { importedPackage, resolveLocal, typeOf } from "../src/semantic/types.js";
import { constValue, definitionOf, fieldAssignmentsOf, keyedElement, keyedValue, variableInitialisedBy } from "../src/semantic/values.js";

type Options = [{ strict?: boolean }];
type MessageIds = "missingFlags" | "sameSiteNone" | "requestTls" | "setFlags";

/** Words of cookie names that are not credentials even when another word looks like one. */
const NOT_CREDENTIAL_WORDS = new Set([
  "csrf", "xsrf", "theme", "lang", "language", "locale", "consent", "pref", "prefs", "preference", "preferences", "tz", "timezone",
  "flash", "redirect", "return", "returnto", "state", "nonce", "logged", "expires", "expiry", "exp", "ttl", "author",
]);

/**
 * Does a cookie name (or the name of the variable or call that produces its value) say that the
 * cookie carries a session or credential: session, sess, sid, *token, auth*, jwt, refresh*,
 * remember*, or a secret-looking name (password, apiKey, ...)? CSRF/XSRF cookies (which scripts
 * must read), preference cookies and login-state indicators do not.
 */
export function isCredentialCookieName(name: string): boolean {
  const ws = words(name);
  if (ws.some((w) => NOT_CREDENTIAL_WORDS.has(w) || w.includes("csrf") || w.includes("xsrf"))) return false;
  const credential = ws.some(
    (w) => w.includes("sess") || w === "sid" || w.endsWith("token") || w.startsWith("auth") || w.endsWith("jwt") || w.startsWith("refresh") || w.startsWith("remember"),
  );
  // "cookie" and "name" say nothing about the value (`sessionCookieName`, `h.cookie`).
  const rest = ws.filter((w) => w !== "cookie" && w !== "cookies" && w !== "name");
  return credential || (rest.length > 0 && isSecretName(rest.join("_")));
}

/** The identifier path of an expression (`cfg.SessionCookieName`, `newSessionID`), or undefined. */
function namePath(expr: GoNode | undefined): string | undefined {
  const e = unparen(expr);
  if (!e) return undefined;
  if (e.type === "identifier") return e.text;
  if (e.type === "selector_expression") {
    const left = namePath(field(e, "operand"));
    const right = field(e, "field")?.text;
    return left && right ? `${left}.${right}` : right;
  }
  if (e.type === "call_expression") return namePath(field(e, "function"));
  return undefined;
}

/** What a cookie name expression says: the constant name, or the words of the expression. */
function describeName(expr: GoNode | undefined): { label: string; credential: boolean; excluded: boolean } | undefined {
  if (!expr) return undefined;
  const v = constValue(expr);
  if (typeof v === "string") {
    return { label: `"${v}"`, credential: isCredentialCookieName(v), excluded: !isCredentialCookieName(v) };
  }
  const path = namePath(expr);
  if (!path) return undefined;
  const last = path.split(".").pop() ?? path;
  const excluded = words(path).some((w) => NOT_CREDENTIAL_WORDS.has(w) || w.includes("csrf") || w.includes("xsrf"));
  return { label: `\`${path}\``, credential: !excluded && (isCredentialCookieName(last) || isCredentialCookieName(path)), excluded };
}

/** Does the value put in the cookie look like a session id, token or other secret? */
function credentialValue(expr: GoNode | undefined): boolean {
  if (!expr) return false;
  const path = namePath(expr);
  if (path && isCredentialCookieName(path.split(".").pop() ?? path)) return true;
  if (path && words(path).some((w) => w.includes("sess"))) return true;
  return !!secretIn(expr);
}

/**
 * A constant marker value such as "loggedOut", "deleted" or "expired": a constant word (letters,
 * `_`, `-`, `.`, spaces; no digits, at most 32 characters). Every visitor receives the same text,
 * which is in the source anyway, so there is no session or credential in it for Secure or HttpOnly
 * to protect. (A constant that looks like a key or token, with digits or of some length, is
 * still checked.)
 */
function markerValue(expr: GoNode | undefined): boolean {
  const v = expr ? constValue(expr) : undefined;
  return typeof v === "string" && /^[A-Za-z][A-Za-z_.\- ]{0,31}$/u.test(v);
}

/** A constant negative number: `-1`, `-(60)`. */
function negative(expr: GoNode | undefined): boolean {
  const e = unparen(expr);
  if (!e) return false;
  const v = constValue(e);
  if (typeof v === "number") return v < 0;
  if (e.type === "unary_expression" && field(e, "operator")?.text === "-") {
    const inner = constValue(field(e, "operand"));
    return typeof inner === "number" ? inner > 0 : isNegatedDuration(e);
  }
  return false;
}

/** `-time.Hour`, `-(2 * time.Hour)`, `-1 * time.Hour`: a negated duration expression. */
function isNegatedDuration(e: GoNode): boolean {
  if (e.type === "unary_expression" && field(e, "operator")?.text === "-") return true;
  if (e.type === "binary_expression" && field(e, "operator")?.text === "*") {
    return negative(field(e, "left")) || negative(field(e, "right"));
  }
  return false;
}

/** An expiry in the past: `time.Unix(0, 0)`, `time.Now().Add(-time.Hour)`, `time.Now().AddDate(0, 0, -1)`. */
function expiresInPast(expr: GoNode | undefined, depth = 0): boolean {
  const e = unparen(expr);
  if (!e || depth > 3) return false;
  if (e.type === "identifier" || e.type === "selector_expression") {
    const def = definitionOf(e);
    return def && def !== e ? expiresInPast(def, depth + 1) : false;
  }
  if (e.type !== "call_expression") return false;
  const fn = unparen(field(e, "function"));
  const args = field(e, "arguments")?.children ?? [];
  if (fn?.type !== "selector_expression") return false;
  const name = field(fn, "field")?.text;
  const operand = field(fn, "operand");
  if (name === "Unix" && importedPackage(operand, importsOf(rootOf(e))) === "time") return args.every((a) => constValue(a) !== undefined);
  if (name === "Add") return args.length === 1 && (negative(args[0]) || isNegatedDuration(unparen(args[0])!));
  if (name === "AddDate") return args.some((a) => negative(a));
  // `time.Now()`: expires at once.
  if (name === "Now" && importedPackage(operand, importsOf(rootOf(e))) === "time") return true;
  return false;
}

/** A cookie scoped to a loopback domain (`Domain: "localhost"`) only ever exists on a developer's machine. */
function localDomain(expr: GoNode | undefined): boolean {
  const v = expr ? constValue(expr) : undefined;
  return typeof v === "string" && /^(?:localhost|127\.0\.0\.1|\[::1\]|::1)$/iu.test(v.trim());
}

/** `r.TLS != nil`, `c.Request.TLS != nil`, `c.Protocol() == "https"`, `c.Secure()`, `c.IsTLS()`, `c.Scheme() == "https"`. */
function requestDerived(expr: GoNode): boolean {
  let found = false;
  const visit = (n: GoNode) => {
    if (found) return;
    if (n.type === "selector_expression" && field(n, "field")?.text === "TLS") found = true;
    if (n.type === "call_expression") {
      const fn = unparen(field(n, "function"));
      const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : undefined;
      if (name && ["Protocol", "Secure", "IsTLS", "Scheme"].includes(name) && (field(n, "arguments")?.children.length ?? 0) === 0) found = true;
    }
    for (const c of n.children) visit(c);
  };
  visit(unparen(expr)!);
  return found;
}

/** Is the cookie built by `init` attached to an outgoing client request (`req.AddCookie`, `jar.SetCookies`)? */
function clientCookie(init: GoNode): boolean {
  const isClientCall = (call: GoNode | null | undefined) => {
    if (call?.type !== "call_expression") return false;
    const fn = unparen(field(call, "function"));
    return fn?.type === "selector_expression" && CLIENT_COOKIE_METHODS.has(field(fn, "field")?.text ?? "");
  };
  let n: GoNode = init;
  while (n.parent && ["unary_expression", "parenthesized_expression", "literal_element", "literal_value", "composite_literal", "expression_list"].includes(n.parent.type)) {
    if (n.parent.type === "expression_list" && n.parent.parent?.type !== "argument_list") break;
    n = n.parent;
  }
  if (n.parent?.type === "argument_list" && isClientCall(n.parent.parent)) return true;
  const id = variableInitialisedBy(init);
  const fn = enclosingFunction(init);
  if (!id?.text || !fn) return false;
  let client = false;
  walk(fn, (x) => {
    if (client) return false;
    if (x.type === "call_expression" && isClientCall(x)) {
      for (const a of field(x, "arguments")?.children ?? []) if (mentions(a, id.text!)) client = true;
    }
    return !client;
  });
  return client;
}

function mentions(node: GoNode, name: string): boolean {
  if (node.type === "identifier") return node.text === name;
  let found = false;
  walk(node, (y) => {
    if (y.type === "identifier" && y.text === name) found = true;
    return !found;
  });
  return found;
}

interface FieldValue {
  value: GoNode;
  /** The keyed element or assignment statement that sets it. */
  at: GoNode;
}

/** The range that removes a keyed element with its comma (and its whole line when it stands alone there). */
export function keyedElementRemoval(text: string, el: GoNode): [number, number] {
  const start = el.range[0];
  let end = el.range[1];
  const comma = /^[ \t]*,/u.exec(text.slice(end));
  if (comma) end += comma[0].length;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const nl = text.indexOf("\n", end);
  const lineEnd = nl < 0 ? text.length : nl;
  const rest = text.slice(end, lineEnd).trim();
  if (text.slice(lineStart, start).trim() === "" && (rest === "" || rest.startsWith("//"))) return [lineStart, nl < 0 ? lineEnd : lineEnd + 1];
  end += /^[ \t]*/u.exec(text.slice(end))![0].length;
  return [start, end];
}

/** Where and what to insert to add `fields` (e.g. `Secure: true`) at the end of a composite literal. */
export function literalFieldsInsertion(text: string, lit: GoNode, fields: string[]): { at: number; text: string } | undefined {
  const body = field(lit, "body");
  if (!body || fields.length === 0) return undefined;
  const elements = body.children.filter((c) => c.type === "keyed_element" || c.type === "literal_element");
  const close = body.range[1] - 1;
  if (elements.length === 0) return { at: body.range[0] + 1, text: fields.join(", ") };
  const last = elements[elements.length - 1];
  const between = text.slice(last.range[1], close);
  if (between.includes("\n")) {
    const comma = /^[ \t]*,/u.exec(text.slice(last.range[1]));
    const at = last.range[1] + (comma ? comma[0].length : 0);
    const lineStart = text.lastIndexOf("\n", last.range[0] - 1) + 1;
    const indent = /^[ \t]*/u.exec(text.slice(lineStart))![0];
    return { at, text: (comma ? "" : ",") + fields.map((f) => `\n${indent}${f},`).join("") };
  }
  return { at: last.range[1], text: `, ${fields.join(", ")}` };
}

/** What a missing flag exposes the cookie to. */
function riskText(flags: string[]): string {
  const out: string[] = [];
  if (flags.includes("Secure")) out.push("browsers also send it over plain HTTP, where anyone on the network path can read it and take over the session");
  if (flags.includes("HttpOnly")) out.push("any injected script (XSS) can read it through document.cookie and send it away");
  return `${out.join(", and ")}.`;
}

/** The closing advice: what to set, and that Secure does not break a local http:// dev server. */
function fixText(fix: string, flags: string[]): string {
  return flags.includes("Secure") ? `${fix} (browsers accept Secure cookies from http://localhost, so local development keeps working)` : fix;
}

export default createRule<Options, MessageIds>({
  name: "cookie-flags",
  // No prefilter: a session-store literal with neither flag set (`sessions.Options{Path: "/"}`) is reported whatever its
  // keys, and its type may be a package type declared in another file (`type Opts = sessions.Options`), so any
  // composite literal or new(T) can be one.
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Session and authentication cookies must be Secure and HttpOnly (and SameSite=None needs Secure)",
      recommended: "error",
      security: {
        cwe: [614, 1004],
        securitySeverity: 6.5,
        precision: "high",
        frameworks: ["net/http", "echo", "fiber", "gin", "gorilla/sessions", "gin-contrib/sessions", "fiber session middleware"],
        tags: ["cookies", "session-management"],
      },
    },
    messages: {
      missingFlags: "{{what}} is set without {{flags}}: {{risk}} Set {{fix}}.",
      sameSiteNone:
        "{{what}} has SameSite=None without Secure: browsers drop such cookies, and older ones send them cross-site over plain HTTP. Set {{fix}} together with SameSite=None.",
      requestTls:
        "{{what}} is Secure only when this request arrived over TLS (`{{expr}}`): behind a TLS-terminating proxy or load balancer that is never the case, so the cookie goes out without Secure. Set {{fix}} unconditionally (or from configuration).",
      setFlags: "Set {{fix}}",
    },
    schema: [
      {
        type: "object",
        properties: {
          strict: {
            type: "boolean",
            description: "Also report Secure flags derived from the request (`Secure: r.TLS != nil`, `c.Protocol() == \"https\"`), which are false behind TLS-terminating proxies.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ strict: false }],
  },
  create(context) {
    const strict = !!context.options[0]?.strict;
    const text = context.sourceCode.text;
    const reported = new Set<GoNode>();

    type Fixer = Parameters<NonNullable<Parameters<typeof context.report>[0]["fix"]>>[0];

    /** Checks a cookie built by a literal or `new(T)`; `get` yields field values (literal keys and later assignments). */
    const checkCookie = (node: GoNode, shape: CookieShape, get: (name: string) => FieldValue | undefined, lit?: GoNode) => {
      if (reported.has(node) || clientCookie(node)) return;
      let what = `The session cookie (${shape.library})`;
      if (!shape.session) {
        const name = shape.name ? describeName(get(shape.name)?.value) : undefined;
        const value = shape.value ? get(shape.value)?.value : undefined;
        if (name?.excluded) return;
        if (!name?.credential && !credentialValue(value)) return;
        what = name ? `Cookie ${name.label}` : "This credential cookie";
        // A deletion cookie carries nothing: no or empty value, negative MaxAge, expiry in the past;
        // nor does a logout cookie overwriting the token with a constant marker ("loggedOut").
        if (!value || constValue(value) === "" || markerValue(value)) return;
      }
      if (shape.domain && localDomain(get(shape.domain)?.value)) return;
      if (shape.maxAge && negative(get(shape.maxAge)?.value)) return;
      if (shape.expires && expiresInPast(get(shape.expires)?.value)) return;

      const problems: Array<{ flag: string; field: string; set?: FieldValue }> = [];
      const secure = get(shape.secure);
      const httpOnly = get(shape.httpOnly);
      const secureValue = secure ? constValue(secure.value) : undefined;
      if (!secure || secureValue === false) problems.push({ flag: "Secure", field: shape.secure, set: secure });
      if (!httpOnly || constValue(httpOnly.value) === false) problems.push({ flag: "HttpOnly", field: shape.httpOnly, set: httpOnly });
      const sameSite = shape.sameSite ? get(shape.sameSite) : undefined;
      const sameSiteValue = sameSite ? constValue(sameSite.value) : undefined;
      const sameSiteNone = sameSiteValue !== undefined && SAME_SITE_NONE.has(typeof sameSiteValue === "string" ? sameSiteValue.toLowerCase() : (sameSiteValue as number));

      const fixFor = (list: typeof problems) => list.map((p) => `${p.field}: true`).join(", ");
      const suggestion = (list: typeof problems) => {
        const missing = list.filter((p) => !p.set).map((p) => `${p.field}: true`);
        const insertion = missing.length ? (lit ? literalFieldsInsertion(text, lit, missing) : undefined) : undefined;
        if (missing.length && !insertion) return [];
        return [
          {
            messageId: "setFlags" as const,
            data: { fix: `\`${fixFor(list)}\`` },
            fix: (fixer: Fixer) => [
              ...list.filter((p) => p.set).map((p) => fixer.replaceTextRange(p.set!.value.range, "true")),
              ...(insertion ? [fixer.insertTextAfterRange([insertion.at, insertion.at], insertion.text)] : []),
            ],
          },
        ];
      };

      if (problems.length) {
        reported.add(node);
        const explicitOnly = problems.every((p) => p.set);
        const at = explicitOnly ? problems[0].set!.at : node;
        if (sameSiteNone && problems.length === 1 && problems[0].flag === "Secure") {
          context.report({ node: at, messageId: "sameSiteNone", data: { what, fix: `\`${fixFor(problems)}\`` }, suggest: suggestion(problems) as never });
          return;
        }
        context.report({
          node: at,
          messageId: "missingFlags",
          data: {
            what,
            flags: problems.map((p) => `${p.flag}${p.set ? " (explicitly false)" : ""}`).join(" and "),
            risk: riskText(problems.map((p) => p.flag)),
            fix: fixText(`\`${fixFor(problems)}\``, problems.map((p) => p.flag)),
          },
          suggest: suggestion(problems) as never,
        });
        return;
      }
      // Secure from a non-constant goward cannot see (configuration) is trusted; from the request, only with `strict`.
      if (strict && secure && secureValue !== true && requestDerived(secure.value)) {
        reported.add(node);
        context.report({
          node: secure.at,
          messageId: sameSiteNone ? "sameSiteNone" : "requestTls",
          data: { what, expr: text.slice(secure.value.range[0], secure.value.range[1]), fix: `\`${shape.secure}: true\`` },
          suggest: [{ messageId: "setFlags", data: { fix: `\`${shape.secure}: true\`` }, fix: (fixer) => fixer.replaceTextRange(secure.value.range, "true") }],
        });
      }
    };

    const gettersFor = (init: GoNode, lit?: GoNode) => {
      const assigned = fieldAssignmentsOf(init);
      return (name: string): FieldValue | undefined => {
        const later = assigned.get(name);
        if (later) return later;
        const value = lit ? keyedValue(lit, name) : undefined;
        const element = lit ? keyedElement(lit, name) : undefined;
        return value && element ? { value, at: element } : undefined;
      };
    };

    return {
      composite_literal(lit) {
        const shape = COOKIE_CONFIGS[typeOf(lit) ?? ""];
        if (shape) checkCookie(lit, shape, gettersFor(lit, lit), lit);
      },
      call_expression(call) {
        const fn = unparen(field(call, "function"));
        // `cookie := new(http.Cookie)` followed by field assignments (echo's documented style).
        if (fn?.type === "identifier" && fn.text === "new" && !resolveLocal(fn)) {
          const shape = COOKIE_CONFIGS[typeOf(call) ?? ""];
          if (shape) checkCookie(call, shape, gettersFor(call));
          return;
        }
        // gin: c.SetCookie(name, value, maxAge, path, domain, secure, httpOnly)
        if (fn?.type !== "selector_expression") return;
        const method = field(fn, "field")?.text ?? "";
        if (method !== "SetCookie") return;
        const setter = COOKIE_SETTERS[typeOf(field(fn, "operand")) ?? ""]?.[method];
        const args = field(call, "arguments")?.children ?? [];
        if (!setter || setter.secure === undefined || setter.httpOnly === undefined || args.length <= setter.httpOnly) return;
        const name = describeName(args[setter.name]);
        if (name?.excluded || (!name?.credential && !credentialValue(args[setter.value]))) return;
        if (constValue(args[setter.value]) === "" || markerValue(args[setter.value]) || (setter.maxAge !== undefined && negative(args[setter.maxAge]))) return;
        if (setter.domain !== undefined && localDomain(args[setter.domain])) return;
        const secure = args[setter.secure];
        const httpOnly = args[setter.httpOnly];
        const problems = [
          ...(constValue(secure) === false ? [{ flag: "Secure", arg: secure }] : []),
          ...(constValue(httpOnly) === false ? [{ flag: "HttpOnly", arg: httpOnly }] : []),
        ];
        const what = name ? `Cookie ${name.label}` : "This credential cookie";
        const argsText = `the ${problems.map((p) => `\`${p.flag === "Secure" ? "secure" : "httpOnly"}\``).join(" and ")} argument${problems.length > 1 ? "s" : ""} to true`;
        if (problems.length) {
          context.report({
            node: call,
            messageId: "missingFlags",
            data: {
              what,
              flags: problems.map((p) => p.flag).join(" and "),
              risk: riskText(problems.map((p) => p.flag)),
              fix: fixText(argsText, problems.map((p) => p.flag)),
            },
            suggest: [{ messageId: "setFlags", data: { fix: argsText }, fix: (fixer) => problems.map((p) => fixer.replaceTextRange(p.arg.range, "true")) }],
          });
        } else if (strict && constValue(secure) !== true && requestDerived(secure)) {
          context.report({
            node: call,
            messageId: "requestTls",
            data: { what, expr: text.slice(secure.range[0], secure.range[1]), fix: "the `secure` argument to true" },
            suggest: [{ messageId: "setFlags", data: { fix: "the `secure` argument to true" }, fix: (fixer) => fixer.replaceTextRange(secure.range, "true") }],
          });
        }
      },
      // `store.Options.Secure = false`, `session.Options.HttpOnly = false` on a session store or session.
      assignment_statement(stmt) {
        const left = field(stmt, "left")?.children ?? [];
        const right = field(stmt, "right")?.children ?? [];
        left.forEach((target, i) => {
          if (target.type !== "selector_expression" || !right[i] || constValue(right[i]) !== false) return;
          const operand = unparen(field(target, "operand"));
          const shape = COOKIE_CONFIGS[typeOf(operand) ?? ""];
          const name = field(target, "field")?.text;
          if (!shape?.session || (name !== shape.secure && name !== shape.httpOnly)) return;
          // A variable initialised with a literal or new(T) here is checked with its literal.
          if (operand?.type === "identifier") {
            const init = unparen(resolveLocal(operand)?.value);
            const base = init?.type === "unary_expression" ? unparen(field(init, "operand")) : init;
            if (base?.type === "composite_literal" || base?.type === "call_expression") return;
          }
          const flag = name === shape.secure ? "Secure" : "HttpOnly";
          context.report({
            node: stmt,
            messageId: "missingFlags",
            data: {
              what: `The session cookie (${shape.library})`,
              flags: `${flag} (explicitly false)`,
              risk: riskText([flag]),
              fix: fixText(`\`${name} = true\``, [flag]),
            },
            suggest: [{ messageId: "setFlags", data: { fix: `\`${name} = true\`` }, fix: (fixer) => fixer.replaceTextRange(right[i].range, "true") }],
          });
        });
      },
    };
  },
});
