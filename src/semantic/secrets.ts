/**
 * "Is this value a secret?": credential-bearing request headers and cookies, whole header maps
 * and request dumps, values whose names say they are secrets (password, token, apiKey, ...),
 * secret environment variables, JWTs, DSNs with passwords; followed through locals,
 * concatenation, fmt.Sprintf, strings helpers and same-package helpers; cut by sanitizers
 * (mask/redact helpers, len, hashes, url.URL.Redacted()).
 */
import type { GoNode } from "../language/node-types.generated.js";
import { enclosingFunction, field, rootOf, unparen, walk } from "./ast.js";
import { importsOf } from "./imports.js";
import { HEADER_READERS, SECRET_HEADERS } from "./library.js";
import { memoize } from "./memo.js";
import { packageOf } from "./package.js";
import { importedPackage, resolveLocal, typeOf } from "./types.js";
import { constValue } from "./values.js";

export interface SecretSource {
  /** e.g. "the Authorization header", "`password`", "the JWT_SECRET environment variable". */
  describe: string;
  /** Where the secret was read or named. */
  at: GoNode;
}

const SECRET_WORDS = new Set([
  "password", "passwd", "pwd", "pass", "secret", "token", "apikey", "credential", "credentials", "bearer", "jwt", "privatekey",
  "dsn", "cookie", "passphrase", "otp", "pin", "authorization", "sessionid", "accesskey", "secretkey", "signingkey", "clientsecret",
  "authheader", "authtoken", "refreshtoken", "accesstoken", "idtoken",
]);
/** Words that make a secret-sounding name harmless: a hash, a length, a type, an expiry, a policy… */
const HARMLESS_WORDS = new Set([
  "hash", "hashed", "digest", "len", "length", "count", "type", "types", "name", "names", "expiry", "expires", "expiration", "exp", "ttl",
  "policy", "url", "uri", "path", "file", "headers", "prefix", "id", "ids", "duration", "timeout", "required", "valid", "invalid",
  "enabled", "set", "present", "forgot", "changed", "updated", "error", "err", "field", "format", "version", "at",
  "created", "min", "max", "strength", "rule", "rules", "label", "hint", "mode", "kind", "status", "scope", "scopes", "source", "issuer",
  "audience", "endpoint", "env", "var", "masked", "redacted", "bytes", "size", "hidden", "placeholder", "page", "pages", "limit", "used",
  "fingerprint", "opts", "options", "config", "cfg", "settings", "cluster", "bucket", "counter", "store", "cache", "generator", "provider", "manager",
  "service", "client", "handler", "middleware", "validator", "parser", "source", "sources", "location",
]);

/** Splits `resetToken`, `api_key`, `JWTSecret`, `X-API-Key` into lower-case words (a shared, frozen list). */
export const words: (name: string) => readonly string[] = memoize((name) =>
  Object.freeze(
    name
      .replace(/([a-z0-9])([A-Z])/gu, "$1 $2")
      .replace(/([A-Z]+)([A-Z][a-z])/gu, "$1 $2")
      .split(/[^A-Za-z0-9]+/u)
      .filter(Boolean)
      .map((w) => w.toLowerCase()),
  ),
);

/** Does a variable, field or key name say that it holds a secret? */
export function isSecretName(name: string): boolean {
  const ws = words(name);
  if (ws.some((w) => HARMLESS_WORDS.has(w))) return false;
  const joined = ws.join("");
  if (SECRET_WORDS.has(joined)) return true;
  for (let i = 0; i < ws.length; i++) {
    if (SECRET_WORDS.has(ws[i])) return true;
    if (i + 1 < ws.length && SECRET_WORDS.has(ws[i] + ws[i + 1])) return true; // api key, private key, session id
  }
  return false;
}

const SANITIZER_NAME = /^(?:mask|redact|sanitize|sanitise|obfuscate|scrub|hide|censor|anonymi[sz]e|fingerprint|hash|last4|truncate|shorten|preview)/iu;
const HASH_PACKAGES = new Set(["crypto/sha256", "crypto/sha512", "crypto/sha1", "crypto/md5", "crypto/hmac", "golang.org/x/crypto/bcrypt", "golang.org/x/crypto/argon2", "hash/fnv", "hash/crc32"]);
/** Library functions that carry their argument into their result (it is still the secret). */
const PROPAGATORS: Readonly<Record<string, ReadonlySet<string>>> = {
  strings: new Set(["TrimPrefix", "TrimSuffix", "TrimSpace", "Trim", "TrimLeft", "TrimRight", "Split", "SplitN", "Fields", "ToLower", "ToUpper", "Replace", "ReplaceAll", "Join", "Clone", "Title"]),
  fmt: new Set(["Sprintf", "Sprint", "Sprintln", "Errorf"]),
  "encoding/base64": new Set(["EncodeToString"]),
  "encoding/hex": new Set(["EncodeToString"]),
  "net/url": new Set(["QueryEscape", "PathEscape"]),
};

function isSanitizerName(name: string | undefined): boolean {
  return !!name && SANITIZER_NAME.test(name);
}

/** `redactToken(t)`, `h.mask(t)`, `sha256.Sum256(t)`, `len(t)`: calls whose result is not the secret. */
export function isSanitizedCall(expr: GoNode): boolean {
  const e = unparen(expr);
  if (e?.type !== "call_expression") return false;
  const fn = unparen(field(e, "function"));
  if (fn?.type === "identifier") return fn.text === "len" || isSanitizerName(fn.text);
  if (fn?.type !== "selector_expression") return false;
  const name = field(fn, "field")?.text;
  if (isSanitizerName(name) || name === "Redacted") return true;
  const pkg = importedPackage(field(fn, "operand"), importsOf(rootOf(e)));
  return !!pkg && HASH_PACKAGES.has(pkg);
}

/** The secret an expression carries, if any. */
export function secretIn(expr: GoNode | undefined, depth = 0, seen = new Set<GoNode>()): SecretSource | undefined {
  const e = unparen(expr);
  if (!e || depth > 10 || seen.has(e)) return undefined;
  seen.add(e);
  const root = rootOf(e);
  const imports = importsOf(root);
  switch (e.type) {
    case "identifier": {
      if (!e.text) return undefined;
      const b = resolveLocal(e);
      if (b) {
        // Prefer where the value came from (the Authorization header) over what it is called.
        let derived: SecretSource | undefined;
        if (b.kind !== "param" && b.kind !== "receiver") {
          if (b.value && (b.values === b.names || b.index === 0)) derived = secretIn(b.value, depth + 1, seen);
          derived ??= assignedSecret(e, depth, seen);
        }
        if (derived) return derived;
        // A value that went through a sanitizer (`fp := redactToken(tok)`) is not the secret, whatever its name.
        if (b.value && isSanitizedCall(b.value)) return undefined;
        // A parameter or local whose name says it is a secret.
        if (isSecretName(e.text) && !isBooleanOrNumber(e)) return { describe: `\`${e.text}\``, at: b.id };
        return undefined;
      }
      const v = packageOf(root).values.get(e.text);
      if (v && isSecretName(e.text) && v.kind !== "const") return { describe: `\`${e.text}\``, at: v.id };
      return undefined;
    }
    case "selector_expression": {
      const operand = field(e, "operand");
      const name = field(e, "field")?.text ?? "";
      if (importedPackage(operand, imports)) return undefined;
      const t = typeOf(operand);
      if (t === "http.Request" && name === "Header") return { describe: "the request's whole header map (Authorization, Cookie, …)", at: e };
      if (t === "jwt.Token" && name === "Raw") return { describe: "the raw JWT", at: e };
      if (isSecretName(name) && !isBooleanOrNumber(e)) return { describe: `\`${name}\``, at: e };
      // The value of a secret cookie (`c.Value` where c came from r.Cookie("session")).
      if (name === "Value") return secretIn(operand, depth + 1, seen);
      return undefined;
    }
    case "index_expression": {
      const operand = field(e, "operand");
      const key = constValue(field(e, "index"));
      if (typeof key === "string" && typeOf(operand) === "http.Header" && SECRET_HEADERS.test(key)) return { describe: `the ${key} header`, at: e };
      if (typeof key === "string" && isSecretName(key)) return { describe: `\`${key}\``, at: e };
      return undefined;
    }
    case "binary_expression": {
      const op = field(e, "operator")?.text;
      if (op !== "+") return undefined;
      return secretIn(field(e, "left"), depth + 1, seen) ?? secretIn(field(e, "right"), depth + 1, seen);
    }
    case "interpreted_string_literal":
    case "raw_string_literal": {
      const v = constValue(e);
      if (typeof v === "string" && /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^@\s]+@/iu.test(v)) return { describe: "a connection string with a password", at: e };
      return undefined;
    }
    case "type_conversion_expression":
      return secretIn(field(e, "operand"), depth + 1, seen);
    case "call_expression":
      return secretInCall(e, depth, seen);
    default:
      return undefined;
  }
}

function isBooleanOrNumber(e: GoNode): boolean {
  const t = typeOf(e);
  return !!t && /^builtin\.(?:bool|u?int\d*|float\d+|byte|rune)$/u.test(t);
}

function assignedSecret(id: GoNode, depth: number, seen: Set<GoNode>): SecretSource | undefined {
  const fn = enclosingFunction(id);
  if (!fn) return undefined;
  let found: SecretSource | undefined;
  walk(fn, (n) => {
    if (found || n.range[0] >= id.range[0]) return false;
    if (n.type === "assignment_statement") {
      const l = field(n, "left")?.children ?? [];
      const r = field(n, "right")?.children ?? [];
      l.forEach((x, i) => {
        if (!found && x.type === "identifier" && x.text === id.text && r[i]) found = secretIn(r[i], depth + 1, seen);
      });
    }
    return !found;
  });
  return found;
}

function secretInCall(call: GoNode, depth: number, seen: Set<GoNode>): SecretSource | undefined {
  const root = rootOf(call);
  const imports = importsOf(root);
  const fn = unparen(field(call, "function"));
  const args = field(call, "arguments")?.children ?? [];
  if (!fn) return undefined;
  if (fn.type === "identifier") {
    const name = fn.text ?? "";
    if (name === "len" || name === "cap" || isSanitizerName(name)) return undefined;
    if (name === "string" || name === "append") return args.map((a) => secretIn(a, depth + 1, seen)).find(Boolean);
    if (resolveLocal(fn)) return undefined;
    const f = packageOf(root).funcs.get(name);
    if (!f) return undefined;
    // A same-package helper returning a string: it carries its arguments, or reads a secret itself.
    const result = f.results[0] ? packageOf(root).typeRefOf(f.results[0], f.file.imports) : undefined;
    if (result !== "builtin.string" && result !== "builtin.slice" && result !== "builtin.interface") return undefined;
    const fromArgs = args.map((a) => secretIn(a, depth + 1, seen)).find(Boolean);
    if (fromArgs) return fromArgs;
    let fromBody: SecretSource | undefined;
    walk(f.node, (n) => {
      if (fromBody) return false;
      if (n.type === "return_statement") for (const r of n.children[0]?.children ?? []) fromBody ??= secretIn(r, depth + 1, seen);
      return !fromBody;
    });
    return fromBody;
  }
  if (fn.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const method = field(fn, "field")?.text ?? "";
  const pkgPath = importedPackage(operand, imports);
  if (pkgPath) {
    if (HASH_PACKAGES.has(pkgPath) || isSanitizerName(method)) return undefined;
    if (pkgPath === "os" && (method === "Getenv" || method === "LookupEnv")) {
      const key = constValue(args[0]);
      return typeof key === "string" && isSecretName(key) ? { describe: `the ${key} environment variable`, at: call } : undefined;
    }
    if (pkgPath === "net/http/httputil" && method.startsWith("DumpRequest")) return { describe: "a dump of the request (headers included)", at: call };
    if (PROPAGATORS[pkgPath]?.has(method)) return args.map((a) => secretIn(a, depth + 1, seen)).find(Boolean);
    if (method === "Getenv" || method === "GetString") {
      // viper.GetString("jwt.secret") and similar config getters.
      const key = constValue(args[0]);
      return typeof key === "string" && isSecretName(key) ? { describe: `the ${key} setting`, at: call } : undefined;
    }
    return undefined;
  }
  if (isSanitizerName(method) || method === "Redacted" || method === "Len") return undefined;
  const recv = typeOf(operand);
  const reader = recv ? HEADER_READERS[recv]?.[method] : undefined;
  if (reader) {
    const key = constValue(args[0]);
    if (typeof key === "string" && (reader === "cookie" ? isSecretName(key) || /sess|auth|token|sid/iu.test(key) : SECRET_HEADERS.test(key))) {
      return { describe: reader === "cookie" ? `the ${key} cookie` : `the ${key} header`, at: call };
    }
    return undefined;
  }
  if (recv === "fiber.Ctx" && method === "GetReqHeaders") return { describe: "the request's whole header map (Authorization, Cookie, …)", at: call };
  // `token.SignedString(key)` produces a JWT.
  if (recv === "jwt.Token" && method === "SignedString") return { describe: "a signed JWT", at: call };
  // Methods that return the secret they wrap: `.String()`, `.Bytes()` of a secret value.
  if (method === "String" || method === "Bytes") return secretIn(operand, depth + 1, seen);
  return undefined;
}
