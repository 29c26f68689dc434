/**
 * no-hardcoded-secret (CWE-798): signing keys, passwords and DSN credentials written into the
 * source, and "fallback" secrets used when the environment does not provide one. Everyone with
 * the repository, an image or a binary knows them; with a JWT key they can mint tokens for any
 * user.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { field, fieldAll, rootOf, stringValue, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { CONFIG_DEFAULTS, KEY_CONFIG_FIELDS, KEY_FUNCTIONS, KEY_METHODS } from "../src/semantic/library.js";
import { modulePathOf, packageOf } from "../src/semantic/package.js";
import { words } from "../src/semantic/secrets.js";
import { importedPackage, resolveLocal, typeOf, typeOfTypeNode } from "../src/semantic/types.js";
import { constValue } from "../src/semantic/values.js";

type MessageId = "key" | "password" | "dsn" | "fallback" | "named";

/** Name words that say "this is a key or password" (narrower than the logging rule's list: no token/session/cookie). */
const STRONG_WORDS = new Set(["secret", "password", "passwd", "pwd", "passphrase", "apikey", "privatekey", "signingkey", "clientsecret", "secretkey", "jwtkey", "hmackey", "encryptionkey", "jwtsecret"]);
/** Words that make such a name harmless: it names the secret, describes it, or is an error text. */
const HARMLESS = new Set([
  "env", "var", "name", "names", "key" /* handled below */, "header", "field", "param", "path", "file", "url", "prefix", "suffix", "label", "hint",
  "placeholder", "policy", "min", "max", "length", "len", "regex", "pattern", "format", "err", "error", "msg", "message", "invalid",
  "required", "missing", "wrong", "mismatch", "reset", "forgot", "changed", "expired", "hash", "hashed", "salt", "cost", "type", "kind", "mode", "rule",
  "opt", "option", "flag", "arg", "usage", "help", "desc", "description", "example",
]);

/** Test helpers and fixtures outside `_test.go` files hold test credentials by design. */
const TEST_PATH = /(?:^|\/)(?:tests?|testdata|testutils?|testing|e2e|integration|mocks?)\//u;

/** Does the name say it holds a key or password? `jwtSecret`, `DB_PASSWORD`, `signingKey`, `apiKey`. */
export function isKeyName(name: string): boolean {
  const ws = words(name);
  if (ws.some((w) => w !== "key" && HARMLESS.has(w))) return false;
  const joined = ws.join("");
  if (STRONG_WORDS.has(joined)) return true;
  for (let i = 0; i < ws.length; i++) {
    if (STRONG_WORDS.has(ws[i])) return true;
    if (i + 1 < ws.length && STRONG_WORDS.has(ws[i] + ws[i + 1])) return true;
  }
  return false;
}

/**
 * A value that cannot be a real secret: empty, a placeholder or template, an environment
 * variable or config key name, a header name, prose, a format string.
 */
export function isPlaceholder(v: string): boolean {
  const t = v.trim();
  if (t.length < 4) return true; // "", "pw", "123": not a key anyone uses (and mostly a stub)
  if (/\s/u.test(t)) return true; // prose: "invalid password", "Bearer token"
  if (/%[-+ #0-9.]*[svdqxX]|\$\{|\{\{|^<.*>$|^\*+$|^x+$/iu.test(t)) return true;
  if (/^[A-Z][A-Z0-9_]*$/u.test(t) && t.includes("_")) return true; // JWT_SECRET: the variable's name
  if (/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/u.test(t) && !/\d{4,}/u.test(t)) return true; // jwt.secret: a config key
  if (/^x-[a-z0-9-]+$/iu.test(t) || /^(?:authorization|bearer|basic)$/iu.test(t)) return true;
  if (/^(?:redacted|none|null|nil|undefined)$/iu.test(t)) return true;
  return false;
}

/** The non-empty string literal an expression is or converts (`"s"`, `[]byte("s")`), following names in this file. */
function literalOf(expr: GoNode | undefined, depth = 0): { value: string; node: GoNode } | undefined {
  const e = unparen(expr);
  if (!e || depth > 4) return undefined;
  if (e.type === "interpreted_string_literal" || e.type === "raw_string_literal") {
    const value = stringValue(e);
    return value !== undefined ? { value, node: e } : undefined;
  }
  if (e.type === "type_conversion_expression" || (e.type === "call_expression" && field(e, "function")?.type === "slice_type")) {
    const inner = field(e, "operand") ?? field(e, "arguments")?.children[0];
    return literalOf(inner, depth + 1);
  }
  if (e.type === "identifier") {
    const b = resolveLocal(e);
    if (b) return b.value && b.values === b.names && b.kind !== "param" ? literalOf(b.value, depth + 1) : undefined;
    const v = packageOf(rootOf(e)).values.get(e.text ?? "");
    // Only definitions in this file: a finding must sit in the file it is reported in.
    if (v?.init && rootOf(v.init) === rootOf(e)) return literalOf(v.init, depth + 1);
  }
  return undefined;
}

/** A connection string with a password in it: URL userinfo, MySQL `user:pass@tcp(...)`, or `password=...`. */
export function dsnPassword(s: string): string | undefined {
  if (/[\r\n]/u.test(s)) return undefined; // prose and help texts, not a DSN
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^:/@\s]*):([^@\s/]+)@/iu.exec(s);
  if (url) return templateCredentials(url[1], url[2]) ? undefined : url[2];
  const mysql = /^([^:@/\s()]+):([^@\s]+)@(?:tcp|unix|udp)?\(/u.exec(s);
  if (mysql) return templateCredentials(mysql[1], mysql[2]) ? undefined : mysql[2];
  if (/(?:^|[\s;])(?:host|dbname|server|data source)\s*=/iu.test(s)) {
    const kv = /(?:^|[\s;])(?:password|pwd)\s*=\s*'?([^\s;']+)/iu.exec(s);
    if (kv) return kv[1];
  }
  return undefined;
}

/** `user:pass@`, `username:password@`: the documentation's template, not credentials. */
const templateCredentials = (user: string, pass: string) => /^(?:user|username|usr|login|name)$/iu.test(user) && /^(?:pass|password|passwd|pwd|secret)$/iu.test(pass);

const credentialPlaceholder = (p: string) => /^(?:%[sv]|\$\{?\w+\}?|\{\{.*\}\}|<\w+>|\*+|:?password|\[?redacted\]?)$/iu.test(p);

export default createRule<[], MessageId>({
  name: "no-hardcoded-secret",
  // No prefilter: a keyfunc's `return []byte("...")` is reported when its parameter's type is jwt.Token, which may be
  // a package type of another file (`func(t *Tok)`): a string literal and `return` are all the text it needs.
  meta: {
    type: "problem",
    docs: {
      description: "Signing keys, passwords and DSN credentials must not be written in the source (nor used as fallbacks)",
      recommended: "error",
      security: {
        cwe: [798, 321, 259],
        securitySeverity: 7.5,
        precision: "high",
        frameworks: ["golang-jwt", "fiber jwt", "echo-jwt", "gin-jwt", "gorilla/sessions", "gin-contrib/sessions", "crypto/hmac", "go-redis", "go-sql-driver/mysql", "database/sql", "gorm", "pgx", "viper", "flag"],
        tags: ["secrets", "authentication"],
      },
    },
    messages: {
      key: "The {{what}} is hard-coded: anyone with the source, an image or the binary can forge what it protects (mint JWTs for any user, sign cookies). Load it from the environment or a secret manager and refuse to start without it.",
      password: "The {{what}} is hard-coded: it is in the repository, in every image and clone, and cannot be rotated without a release. Read it from the environment or a secret store.",
      dsn: "This connection string contains a password: it is in the repository, in every image and clone, and cannot be rotated without a release. Build the DSN from environment variables or a secret store.",
      fallback:
        "`{{name}}` falls back to a hard-coded value when it is not configured: a deployment that forgets the variable runs with a secret everyone who has read the code knows. Fail at start-up instead of defaulting.",
      named: "`{{name}}` holds a hard-coded secret: anyone with the source or the binary knows it. Load it from the environment or a secret manager.",
    },
    schema: [],
  },
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    if (/_test\.go$/u.test(filename)) return {};
    const inModule = modulePathOf(context.sourceCode.ast as never);
    if (inModule && TEST_PATH.test(inModule)) return {};
    const reported = new Set<GoNode>();
    const report = (node: GoNode, messageId: MessageId, data: Record<string, string> = {}) => {
      if (reported.has(node)) return;
      reported.add(node);
      context.report({ node, messageId, data });
    };
    const keyAt = (expr: GoNode | undefined, what: string) => {
      const lit = literalOf(expr);
      if (lit && !isPlaceholder(lit.value)) report(lit.node, what.toLowerCase().includes("password") ? "password" : "key", { what });
    };
    const imports = () => importsOf(rootOf(context.sourceCode.ast as unknown as GoNode));

    /** `name` is a secret env var / config key / flag name. */
    const namesSecret = (n: GoNode | undefined) => {
      const v = constValue(n);
      return typeof v === "string" && isKeyName(v);
    };

    return {
      call_expression(call) {
        const fn = unparen(field(call, "function"));
        const args = field(call, "arguments")?.children ?? [];
        if (fn?.type !== "selector_expression") {
          // getEnv("JWT_SECRET", "changeme"): a same-package helper with a default.
          if (fn?.type === "identifier" && args.length >= 2 && /env|conf|setting|default|lookup|get/iu.test(fn.text ?? "") && namesSecret(args[0])) {
            const lit = literalOf(args[args.length - 1]);
            if (lit && !isPlaceholder(lit.value)) report(lit.node, "fallback", { name: String(constValue(args[0])) });
          }
          return;
        }
        const operand = field(fn, "operand");
        const name = field(fn, "field")?.text ?? "";
        const table = imports();
        const method = KEY_METHODS[name];
        // Whether `operand` is an import that no local shadows takes a scope walk: only where it decides something.
        const lib = operand?.text ? table.library(operand.text) : undefined;
        const matters =
          !!method ||
          (lib ? !!KEY_FUNCTIONS[lib]?.[name] || !!CONFIG_DEFAULTS[lib]?.[name] : args.length >= 2 && /env|conf|setting|default|lookup|get/iu.test(name));
        if (!matters) return;
        if (importedPackage(operand, table)) {
          const sink = lib ? KEY_FUNCTIONS[lib]?.[name] : undefined;
          if (sink) for (const a of sink.rest ? args.slice(sink.arg) : args.slice(sink.arg, sink.arg + 1)) keyAt(a, sink.what);
          const def = lib ? CONFIG_DEFAULTS[lib]?.[name] : undefined;
          if (def && namesSecret(args[def.name])) {
            const lit = literalOf(args[def.value]);
            if (lit && !isPlaceholder(lit.value)) report(lit.node, "fallback", { name: String(constValue(args[def.name])) });
          }
          // Helpers in other packages of the module (`config.GetEnv("JWT_SECRET", "secret")`).
          if (!lib && args.length >= 2 && /env|conf|setting|default|lookup|get/iu.test(name) && namesSecret(args[0])) {
            const lit = literalOf(args[args.length - 1]);
            if (lit && !isPlaceholder(lit.value)) report(lit.node, "fallback", { name: String(constValue(args[0])) });
          }
          return;
        }
        if (method) keyAt(args[method.arg], method.what);
      },
      composite_literal(lit) {
        const t = typeOf(lit);
        const known = t ? KEY_CONFIG_FIELDS[t] : undefined;
        for (const el of field(lit, "body")?.children ?? []) {
          if (el.type !== "keyed_element") continue;
          const key = el.children[0]?.children[0]?.text ?? el.children[0]?.text ?? "";
          const value = el.children[1]?.children[0] ?? el.children[1];
          if (known?.[key]) keyAt(value, known[key]);
          else if (isKeyName(key)) {
            // Only literals written right here: a named constant is judged where it is declared.
            const v = unparen(value);
            const l = v && v.type !== "identifier" ? literalOf(v) : undefined;
            if (l && !isPlaceholder(l.value)) report(l.node, "named", { name: key });
          }
        }
      },
      // jwt keyfuncs: `func(t *jwt.Token) (interface{}, error) { return []byte("secret"), nil }`
      return_statement(ret) {
        const first = ret.children[0]?.type === "expression_list" ? ret.children[0].children[0] : ret.children[0];
        const lit = literalOf(first);
        if (!lit || isPlaceholder(lit.value)) return;
        const fnNode = (() => {
          for (let p = ret.parent; p; p = p.parent) if (p.type === "func_literal" || p.type === "function_declaration" || p.type === "method_declaration") return p;
          return undefined;
        })();
        if (!fnNode) return;
        const params = field(fnNode, "parameters")?.children.filter((c) => c.type === "parameter_declaration") ?? [];
        if (params.length !== 1 || typeOfTypeNode(field(params[0], "type")) !== "jwt.Token") return;
        keyAt(first, "JWT verification key");
      },
      // `var jwtKey = []byte("...")`, `const dbPassword = "..."`, `secret := "..."`
      var_spec(spec) {
        checkNamed(fieldAll(spec, "name"), field(spec, "value")?.children ?? []);
      },
      const_spec(spec) {
        checkNamed(fieldAll(spec, "name"), field(spec, "value")?.children ?? []);
      },
      short_var_declaration(decl) {
        const left = field(decl, "left");
        const right = field(decl, "right");
        checkNamed(left?.type === "expression_list" ? left.children : left ? [left] : [], right?.type === "expression_list" ? right.children : right ? [right] : []);
      },
      // if secret == "" { secret = "fallback" }
      if_statement(stmt) {
        const cond = unparen(field(stmt, "condition"));
        if (cond?.type !== "binary_expression" || field(cond, "operator")?.text !== "==") return;
        const l = unparen(field(cond, "left"));
        const r = unparen(field(cond, "right"));
        const subject = constValue(r) === "" ? l : constValue(l) === "" ? r : undefined;
        if (!subject) return;
        const subjectText = context.sourceCode.getText(subject as never);
        const secretish = (() => {
          const last = subject.type === "selector_expression" ? field(subject, "field")?.text : subject.text;
          if (last && isKeyName(last)) return last;
          if (subject.type === "identifier") {
            const b = resolveLocal(subject);
            const v = unparen(b?.value);
            if (v?.type === "call_expression") {
              const f = unparen(field(v, "function"));
              const a0 = field(v, "arguments")?.children[0];
              if (f?.type === "selector_expression" && field(f, "field")?.text === "Getenv" && namesSecret(a0)) return String(constValue(a0));
            }
          }
          return undefined;
        })();
        if (!secretish) return;
        walk(field(stmt, "consequence") ?? stmt, (n) => {
          if (n.type !== "assignment_statement") return true;
          const lhs = field(n, "left")?.children ?? [];
          const rhs = field(n, "right")?.children ?? [];
          lhs.forEach((target, i) => {
            if (context.sourceCode.getText(target as never) !== subjectText) return;
            const lit = literalOf(rhs[i]);
            if (lit && !isPlaceholder(lit.value)) report(lit.node, "fallback", { name: secretish });
          });
          return false;
        });
      },
      interpreted_string_literal(node) {
        checkDsn(node);
      },
      raw_string_literal(node) {
        checkDsn(node);
      },
    };

    function checkNamed(names: GoNode[], values: GoNode[]) {
      if (names.length !== values.length) return;
      names.forEach((id, i) => {
        const name = id.text ?? "";
        if (!isKeyName(name)) return;
        const v = unparen(values[i]);
        const lit = v && (v.type === "interpreted_string_literal" || v.type === "raw_string_literal" || v.type === "type_conversion_expression") ? literalOf(v) : undefined;
        if (lit && !isPlaceholder(lit.value)) report(lit.node, "named", { name });
      });
    }

    function checkDsn(node: GoNode) {
      const value = stringValue(node);
      if (!value) return;
      const pw = dsnPassword(value);
      if (pw && !credentialPlaceholder(pw) && !/%[sv]/u.test(pw)) report(node, "dsn");
    }
  },
});
