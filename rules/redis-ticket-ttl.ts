/**
 * redis-ticket-ttl (CWE-613): one-time tickets, OTPs, reset and verification tokens, magic links
 * and sessions kept in Redis must expire. A `Set(ctx, "reset:"+token, uid, 0)`, an HSet without a
 * following Expire, or a SetArgs without TTL keeps a credential valid forever: a link forwarded,
 * logged or leaked years later still logs in.
 *
 * This file also holds what the three Redis/randomness rules share: recognising go-redis calls,
 * the words of a Redis key, and the credential vocabulary.
 */
import { anyWord, createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, isFunctionLike, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import {
  REDIS_CLIENT_TYPES, REDIS_EXPIRE_COMMANDS, REDIS_KEY_WRITES, REDIS_PIPELINE_TYPES, REDIS_SET_ARGS_TTL_FIELDS, type RedisKeyWrite,
} from "../src/semantic/library.js";
import { importedModel, ownerOf, packageOf, type FuncFact, type PackageModel } from "../src/semantic/package.js";
import { memoize } from "../src/semantic/memo.js";
import { words } from "../src/semantic/secrets.js";
import { importedPackage, resolveLocal, typeOf } from "../src/semantic/types.js";
import { constValue, definitionOf, keyedValue } from "../src/semantic/values.js";

// ---------------------------------------------------------------------------------------------
// Credential vocabulary (shared with redis-ticket-single-use and no-weak-random)
// ---------------------------------------------------------------------------------------------

/** What a name says it holds: a one-time secret, a reusable credential, or a bare "token". */
export type CredentialKind = "one-time" | "reusable" | "token";

const STRONG: Readonly<Record<string, CredentialKind>> = {
  ticket: "one-time", tickets: "one-time", otp: "one-time", otps: "one-time", totp: "one-time", hotp: "one-time", nonce: "one-time",
  nonces: "one-time", captcha: "one-time", vcode: "one-time", verifycode: "one-time", smscode: "one-time", emailcode: "one-time",
  authcode: "one-time", magiclink: "one-time", onetime: "one-time", oneshot: "one-time", reset: "one-time", verify: "one-time",
  verification: "one-time", magic: "one-time", challenge: "one-time", passcode: "one-time",
  session: "reusable", sessions: "reusable", sess: "reusable", sid: "reusable", sessid: "reusable", sessionid: "reusable", jwt: "reusable",
  apikey: "reusable", password: "reusable", passwd: "reusable", pwd: "reusable", passphrase: "reusable", secret: "reusable", salt: "reusable",
  credential: "reusable", credentials: "reusable", csrf: "reusable", xsrf: "reusable", pin: "reusable",
  token: "token", tokens: "token",
};
/** `code` is a one-time code next to one of these (`verifyCode`, `sms_code`, `vCode`). */
const CODE_QUALIFIERS = new Set([
  "verify", "verification", "verif", "v", "reset", "confirm", "confirmation", "activation", "activate", "auth", "authorization", "login", "signin",
  "signup", "register", "registration", "sms", "email", "mail", "phone", "mobile", "otp", "invite", "invitation", "recovery", "recover", "forgot",
  "mfa", "2fa", "twofa", "security", "secret", "access", "pair", "pairing", "device", "one", "onetime", "captcha", "check", "valid", "validate",
  "validation", "bind", "unlock", "pin",
]);
/** `key` is a credential next to one of these (`apiKey`, `licenseKey`). */
const KEY_QUALIFIERS = new Set(["api", "secret", "access", "private", "signing", "encryption", "license", "licence", "activation", "recovery", "auth", "hmac", "master", "invite"]);
const LINK_QUALIFIERS = new Set(["magic", "reset", "verify", "verification", "login", "signin", "confirm", "confirmation", "activation", "invite", "invitation"]);
const STATE_QUALIFIERS = new Set(["oauth", "oauth2", "sso", "login", "auth", "csrf", "openid", "oidc"]);
const REQUEST_QUALIFIERS = new Set(["login", "auth", "signin", "sso", "oauth"]);
/** `token` is one-time next to one of these (`refresh_token` rotation, `confirm_token`, `email_token`). */
const ONE_TIME_TOKEN_QUALIFIERS = new Set([
  "refresh", "confirm", "confirmation", "activation", "activate", "invite", "invitation", "verify", "verification", "email", "reset", "magic",
  "login", "exchange", "onetime", "recovery", "unsubscribe",
]);
/** Words that make a credential-sounding name about something else: its length, a counter, a limit, a lock, a blocklist… */
const NEGATING = new Set([
  "length", "len", "size", "count", "counter", "counts", "limit", "limits", "limiter", "rate", "ratelimit", "throttle", "attempt", "attempts",
  "retry", "retries", "tries", "fail", "failed", "failure", "failures", "expiry", "expires", "expire", "expiration", "exp", "ttl", "timeout",
  "duration", "interval", "delay", "jitter", "backoff", "sleep", "wait", "cooldown", "cd", "lock", "locks", "mutex", "blacklist", "blacklisted",
  "blocklist", "denylist", "banned", "ban", "revoked", "revocation", "used", "stats", "stat", "metrics", "metric", "type", "kind", "name",
  "prefix", "suffix", "format", "version", "sent", "last", "time", "timestamp", "index", "idx", "pos", "offset", "charset", "alphabet",
  "letters", "chars", "characters", "digits", "server", "host", "node", "shard", "replica", "backend", "peer", "port", "addr", "address",
  "endpoint", "worker", "partition", "sample", "sampling", "shuffle", "seed", "weight", "percent", "probability", "chance", "ratio", "color",
  "colour", "avatar", "nickname", "filename", "file", "pool", "queue", "channel", "topic", "schedule", "job", "task", "event", "log",
  // LLM and chat vocabulary: token counts and conversation "sessions" are not credentials.
  "max", "min", "total", "usage", "budget", "prompt", "completion", "chat", "conversation", "history", "messages", "transcript",
  "epoch", "lease", "fence", "fencing", "blocked", "generation", "revision",
]);

const ID_WORDS = new Set(["id", "ids", "identifier", "uuid", "guid", "index", "no", "seq"]);

export interface CredentialMatch {
  /** The word(s) that matched, for messages ("otp", "reset token", "session"). */
  word: string;
  kind: CredentialKind;
}

/** Does a word list (one name or one constant) name a credential? Negating words are checked by the caller. */
function matchWords(ws: readonly string[]): CredentialMatch | undefined {
  let best: CredentialMatch | undefined;
  const has = (set: ReadonlySet<string>) => ws.some((w) => set.has(w));
  const consider = (m: CredentialMatch) => {
    // A one-time match beats a bare token, which beats a reusable one.
    const rank = (k: CredentialKind) => (k === "one-time" ? 3 : k === "token" ? 2 : 1);
    if (!best || rank(m.kind) > rank(best.kind)) best = m;
  };
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    const pair = i + 1 < ws.length ? w + ws[i + 1] : undefined;
    if (pair && STRONG[pair]) consider({ word: `${w} ${ws[i + 1]}`, kind: STRONG[pair] });
    // `otpId`, `tokenID`, `ticket_uuid`: the identifier of a credential, not the credential (a session id is one).
    if (STRONG[w] && ID_WORDS.has(ws[i + 1] ?? "") && STRONG[w] !== "reusable") continue;
    if (STRONG[w]) {
      const q = STRONG[w] === "token" ? ws.find((x) => ONE_TIME_TOKEN_QUALIFIERS.has(x)) : undefined;
      consider({ word: q ? `${q} ${w}` : w, kind: q ? "one-time" : STRONG[w] });
    }
    if (w === "code" && has(CODE_QUALIFIERS)) consider({ word: `${ws.find((x) => CODE_QUALIFIERS.has(x))} code`, kind: "one-time" });
    if (w === "key" && has(KEY_QUALIFIERS)) consider({ word: `${ws.find((x) => KEY_QUALIFIERS.has(x))} key`, kind: "reusable" });
    if (w === "link" && has(LINK_QUALIFIERS)) consider({ word: `${ws.find((x) => LINK_QUALIFIERS.has(x))} link`, kind: "one-time" });
    if (w === "state" && has(STATE_QUALIFIERS)) consider({ word: `${ws.find((x) => STATE_QUALIFIERS.has(x))} state`, kind: "one-time" });
    if ((w === "req" || w === "request") && has(REQUEST_QUALIFIERS)) consider({ word: `${ws.find((x) => REQUEST_QUALIFIERS.has(x))} request`, kind: "one-time" });
  }
  return best;
}

/** "A one-time credential (reset token)", "A session", "A credential (api key)": the subject of messages. */
export function describeCredential(m: CredentialMatch): string {
  if (m.kind === "reusable" && /^(?:sess|sid)/u.test(m.word)) return "A session";
  return m.kind === "one-time" ? `A one-time credential (${m.word})` : `A credential (${m.word})`;
}

/** Splits a name or a key constant (`reset:%s`, `otp_code`, `magicLink`) into words; format verbs are dropped. */
export const keyWords: (text: string) => readonly string[] = memoize((text) => words(text.replace(/%[-+# 0-9.*]*[a-zA-Z%]/gu, " ")));

/** Do these words negate a credential reading (`tokenLength`, `otp:attempts`)? */
export function negates(ws: readonly string[], extraIgnore: ReadonlySet<string> = new Set()): boolean {
  return ws.some((w) => NEGATING.has(w) || extraIgnore.has(w));
}

/**
 * Does a single name say it holds a credential (`resetToken`, `otpCode`, `sessionID`, `apiKey`),
 * with no word making it about something else (`tokenLength`, `sessionCount`)?
 */
export function credentialName(name: string | undefined, extra: ReadonlySet<string> = NO_WORDS, ignore: ReadonlySet<string> = NO_WORDS): CredentialMatch | undefined {
  if (!name) return undefined;
  // Without extra words (the default) the answer depends on the name only.
  return extra.size === 0 && ignore.size === 0 ? plainCredentialName(name) : credentialNameOf(name, extra, ignore);
}
const NO_WORDS: ReadonlySet<string> = new Set();
const plainCredentialName = memoize((name) => credentialNameOf(name, NO_WORDS, NO_WORDS));

function credentialNameOf(name: string, extra: ReadonlySet<string>, ignore: ReadonlySet<string>): CredentialMatch | undefined {
  const ws = keyWords(name);
  if (negates(ws, ignore)) return undefined;
  const extraHit = ws.find((w) => extra.has(w));
  return matchWords(ws) ?? (extraHit ? { word: extraHit, kind: "one-time" } : undefined);
}

// ---------------------------------------------------------------------------------------------
// go-redis calls
// ---------------------------------------------------------------------------------------------

export interface RedisCall {
  call: GoNode;
  method: string;
  receiver: GoNode;
  /** Arguments, the context first (go-redis v8/v9). */
  args: GoNode[];
  /** Queued in a pipeline (Pipeline/TxPipeline/Pipelined): runs at Exec. */
  pipeline: boolean;
}

export function argumentsOf(call: GoNode): GoNode[] {
  return (field(call, "arguments")?.children ?? []).filter((c) => c.type !== "comment");
}

/** A struct that embeds a go-redis client (`type Store struct{ *redis.Client }`) has its methods. */
function embedsRedis(receiver: GoNode, t: string): boolean {
  const owner = ownerOf(rootOf(receiver), t);
  return !!owner && owner.model.embeddedLibraryTypes(owner.local).some((e) => REDIS_CLIENT_TYPES.has(e));
}

/** `rdb.Set(ctx, ...)` where rdb is a go-redis client, cluster/universal client, Cmdable or pipeline. */
export function redisCall(call: GoNode | undefined, methods?: (name: string) => boolean): RedisCall | undefined {
  const c = unparen(call);
  if (c?.type !== "call_expression") return undefined;
  const fn = unparen(field(c, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const method = field(fn, "field")?.text;
  const receiver = field(fn, "operand");
  if (!method || !receiver || (methods && !methods(method))) return undefined;
  if (receiver.type === "identifier" && importedPackage(receiver, importsOf(rootOf(receiver)))) return undefined;
  const t = typeOf(receiver);
  if (!t) return undefined;
  const pipeline = REDIS_PIPELINE_TYPES.has(t);
  if (!pipeline && !REDIS_CLIENT_TYPES.has(t) && !embedsRedis(receiver, t)) return undefined;
  return { call: c, method, receiver, args: argumentsOf(c), pipeline };
}

/** The top-level function or method around a node (function literals belong to it). */
export function outermostFunction(node: GoNode): GoNode | undefined {
  let fn: GoNode | null = enclosingFunction(node);
  let last: GoNode | undefined;
  while (fn) {
    last = fn;
    fn = enclosingFunction(fn);
  }
  return last;
}

/** The function a call calls, when it is declared in this package or another package of the module. */
export function calledFunction(call: GoNode): { fact: FuncFact; model: PackageModel } | undefined {
  const fn = unparen(field(call, "function"));
  const root = rootOf(call);
  if (fn?.type === "identifier" && fn.text) {
    if (resolveLocal(fn)) return undefined;
    const model = packageOf(root);
    const fact = model.funcs.get(fn.text);
    return fact && !fact.receiver ? { fact, model } : undefined;
  }
  if (fn?.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const name = field(fn, "field")?.text;
  if (!operand || !name) return undefined;
  const imports = importsOf(root);
  const pkg = importedPackage(operand, imports);
  if (pkg) {
    if (imports.byLocalName(operand.text ?? "")?.library) return undefined;
    const model = importedModel(root, pkg);
    const fact = model?.funcs.get(name);
    return fact && model && !fact.receiver ? { fact, model } : undefined;
  }
  const t = typeOf(operand);
  if (!t) return undefined;
  const owner = ownerOf(root, t);
  const fact = owner?.model.method(owner.local, name);
  return fact && owner ? { fact, model: owner.model } : undefined;
}

/** The single returned expression of a small helper (`func otpKey(e string) string { return "otp:" + e }`). */
function singleReturn(fact: FuncFact): GoNode | undefined {
  const body = field(fact.node, "body");
  if (!body) return undefined;
  const returns: GoNode[] = [];
  walk(body, (n) => {
    if (isFunctionLike(n)) return false;
    if (n.type === "return_statement") returns.push(n);
    return true;
  });
  if (returns.length !== 1) return undefined;
  const list = returns[0].children[0];
  const values = list?.type === "expression_list" ? list.children : list ? [list] : [];
  return values.length >= 1 ? values[0] : undefined;
}

/** Constant text of a selector naming a constant of another package of the module (`consts.RedisKeyOTP`). */
function moduleConst(sel: GoNode): string | undefined {
  const operand = field(sel, "operand");
  const name = field(sel, "field")?.text;
  const root = rootOf(sel);
  const pkg = importedPackage(operand, importsOf(root));
  if (!pkg || !name) return undefined;
  const v = importedModel(root, pkg)?.constValue(name);
  return typeof v === "string" ? v : undefined;
}

const REQUEST_READERS = new Set(["Param", "Params", "Query", "QueryParam", "FormValue", "PostForm", "PostFormValue", "DefaultQuery", "GetHeader", "Cookies", "URLParam", "Get", "Locals"]);

/** What a Redis key is made of: its constant parts (`"reset:"`) and the names of its variable parts. */
export interface KeyFacts {
  consts: string[];
  names: string[];
}

export function keyFacts(expr: GoNode | undefined, depth = 0, out: KeyFacts = { consts: [], names: [] }): KeyFacts {
  const e = unparen(expr);
  if (!e || depth > 6) return out;
  const v = constValue(e);
  if (typeof v === "string") {
    out.consts.push(v);
    return out;
  }
  switch (e.type) {
    case "binary_expression":
      if (field(e, "operator")?.text === "+") {
        keyFacts(field(e, "left"), depth + 1, out);
        keyFacts(field(e, "right"), depth + 1, out);
      }
      break;
    case "identifier": {
      if (e.text) out.names.push(e.text);
      const b = resolveLocal(e);
      if (b) {
        if (b.value && b.values === b.names && b.kind !== "range") keyFacts(b.value, depth + 1, out);
      } else {
        const pv = packageOf(rootOf(e)).values.get(e.text ?? "");
        if (pv?.init) keyFacts(pv.init, depth + 1, out);
      }
      break;
    }
    case "selector_expression": {
      const c = moduleConst(e);
      if (c !== undefined) out.consts.push(c);
      else {
        const name = field(e, "field")?.text;
        if (name) out.names.push(name);
        const def = definitionOf(e);
        if (def && def !== e) keyFacts(def, depth + 1, out);
      }
      break;
    }
    case "type_conversion_expression":
      keyFacts(field(e, "operand"), depth + 1, out);
      break;
    case "call_expression": {
      const fn = unparen(field(e, "function"));
      const args = argumentsOf(e);
      const root = rootOf(e);
      if (fn?.type === "identifier" && ["string", "append"].includes(fn.text ?? "") && !resolveLocal(fn)) {
        for (const a of args) keyFacts(a, depth + 1, out);
        break;
      }
      if (fn?.type === "selector_expression") {
        const lib = importsOf(root).library(field(fn, "operand")?.text ?? "");
        const name = field(fn, "field")?.text ?? "";
        if (lib === "fmt" && name.startsWith("Sprint")) {
          for (const a of args) keyFacts(a, depth + 1, out);
          break;
        }
        if (lib === "strings" && (name === "Join" || name === "ToLower" || name === "TrimSpace" || name === "ToUpper")) {
          const first = args[0];
          const def = first?.type === "composite_literal" ? first : definitionOf(first);
          if (def?.type === "composite_literal") {
            for (const el of field(def, "body")?.children ?? []) keyFacts(el.type === "literal_element" ? el.children[0] : el, depth + 1, out);
          } else keyFacts(first, depth + 1, out);
          break;
        }
        if (lib === "strconv" || lib === "fmt") {
          for (const a of args) keyFacts(a, depth + 1, out);
          break;
        }
        // c.Param("token"), c.Query("code"): the key holds what the client sent under that name.
        if (REQUEST_READERS.has(name) && args.length === 1) {
          const p = constValue(args[0]);
          if (typeof p === "string") out.names.push(p);
          break;
        }
      }
      const callee = calledFunction(e);
      if (callee) {
        out.names.push(callee.fact.name);
        const ret = singleReturn(callee.fact);
        if (ret) keyFacts(ret, depth + 2, out);
      }
      break;
    }
    case "index_expression": {
      const op = field(e, "operand");
      if (op?.type === "identifier" && op.text) out.names.push(op.text);
      break;
    }
    default:
      break;
  }
  return out;
}

/** Are the words of a key (all its parts together) about a credential, and which? */
export function keyCredential(facts: KeyFacts, extra: ReadonlySet<string> = new Set(), ignore: ReadonlySet<string> = new Set()): CredentialMatch | undefined {
  const parts = [...facts.consts.map(keyWords), ...facts.names.map(keyWords)];
  if (parts.some((ws) => negates(ws, ignore))) return undefined;
  let best: CredentialMatch | undefined;
  const rank = (k: CredentialKind) => (k === "one-time" ? 3 : k === "token" ? 2 : 1);
  for (const ws of parts) {
    const extraHit = ws.find((w) => extra.has(w));
    const m = matchWords(ws) ?? (extraHit ? { word: extraHit, kind: "one-time" as const } : undefined);
    if (m && (!best || rank(m.kind) > rank(best.kind))) best = m;
  }
  return best;
}

/** A short display of a key for messages: its first constant part, or its source text. */
export function describeKey(expr: GoNode, facts: KeyFacts, text: string): string {
  if (facts.consts.length) {
    const c = facts.consts[0].replace(/%[-+# 0-9.*]*[a-zA-Z]/gu, "…");
    return `"${c.length > 40 ? `${c.slice(0, 40)}…` : c}${c.endsWith("…") ? "" : "…"}"`;
  }
  const t = text.slice(expr.range[0], expr.range[1]);
  return `\`${t.length > 40 ? `${t.slice(0, 40)}…` : t}\``;
}

/**
 * A canonical identity of a key expression within one function: locals with a single definition
 * are replaced by that definition, so `key := "otp:" + email; Get(ctx, key)` and
 * `Del(ctx, "otp:" + email)` agree. `subst` maps parameters of a wrapper to the caller's arguments.
 */
export function keyIdentity(expr: GoNode | undefined, subst?: Map<GoNode, string>, depth = 0): string {
  const e = unparen(expr);
  if (!e) return "?";
  if (depth > 6) return `#${e.range[0]}`;
  if (e.type === "identifier") {
    const b = resolveLocal(e);
    if (b && subst?.has(b.id)) return subst.get(b.id)!;
    if (b && b.value && b.values === b.names && (b.kind === "short" || b.kind === "var") && !reassigned(b.id, e.text ?? "")) {
      return keyIdentity(b.value, subst, depth + 1);
    }
    return b ? `${e.text}@${b.id.range[0]}` : `${e.text}`;
  }
  const v = constValue(e);
  if (typeof v === "string") return JSON.stringify(v);
  if (e.children.length === 0) return e.text ?? e.type;
  return `${e.type}(${e.children.map((c) => keyIdentity(c, subst, depth + 1)).join(",")})`;
}

/** Is the local declared at `id` assigned again somewhere in its function? */
function reassigned(id: GoNode, name: string): boolean {
  const fn = enclosingFunction(id);
  if (!fn) return false;
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n.type === "assignment_statement") {
      for (const l of field(n, "left")?.children ?? []) if (l.type === "identifier" && l.text === name && resolveLocal(l)?.id === id) found = true;
    }
    return true;
  });
  return found;
}

/** Keys that may be the same: equal identities, or nothing proves them different (different constant parts). */
export function maySameKey(a: GoNode, b: GoNode): boolean {
  if (keyIdentity(a) === keyIdentity(b)) return true;
  const fa = keyFacts(a);
  const fb = keyFacts(b);
  if (!fa.consts.length || !fb.consts.length) return true;
  return fa.consts.join("\u0000") === fb.consts.join("\u0000");
}

// ---------------------------------------------------------------------------------------------
// The rule
// ---------------------------------------------------------------------------------------------

/** `redis.KeepTTL`, or the -1 it stands for. */
function isKeepTTL(expr: GoNode | undefined): boolean {
  const e = unparen(expr);
  if (!e) return false;
  if (e.type === "selector_expression") {
    const op = field(e, "operand");
    return field(e, "field")?.text === "KeepTTL" && importsOf(rootOf(e)).library(op?.text ?? "") === "redis" && !!importedPackage(op, importsOf(rootOf(e)));
  }
  if (e.type === "unary_expression" && field(e, "operator")?.text === "-") return constValue(field(e, "operand")) === 1;
  if (e.type === "identifier") {
    const def = definitionOf(e);
    return !!def && def !== e && isKeepTTL(def);
  }
  return false;
}

/** What an expiration argument does: `none` (0: never expires), `keep` (KeepTTL), or `ttl`. */
function expiryOf(expr: GoNode | undefined, depth = 0): "none" | "keep" | "ttl" {
  const e = unparen(expr);
  if (!e || depth > 4) return "ttl";
  if (isKeepTTL(e)) return "keep";
  const v = constValue(e);
  if (v === 0) return "none";
  if (e.type === "call_expression") {
    // time.Duration(0)
    const fn = unparen(field(e, "function"));
    const args = argumentsOf(e);
    if (fn?.type === "selector_expression" && field(fn, "field")?.text === "Duration" && importsOf(rootOf(e)).library(field(fn, "operand")?.text ?? "") === "time" && args.length === 1) {
      return expiryOf(args[0], depth + 1);
    }
  }
  if (e.type === "binary_expression" && field(e, "operator")?.text === "*") {
    // 0 * time.Second
    if (constValue(field(e, "left")) === 0 || constValue(field(e, "right")) === 0) return "none";
  }
  return "ttl";
}

const FRESH_WORDS = new Set(["new", "generate", "gen", "random", "rand", "create", "make", "issue", "mint"]);

/** Is the key built from a value minted in this function (`token := uuid.NewString()`), so that it cannot exist yet? */
function isFreshKey(key: GoNode): boolean {
  let fresh = false;
  const visit = (expr: GoNode | undefined, depth: number) => {
    const e = unparen(expr);
    if (!e || fresh || depth > 4) return;
    if (e.type === "call_expression") {
      const fn = unparen(field(e, "function"));
      const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : fn?.text;
      const lib = fn?.type === "selector_expression" ? importsOf(rootOf(e)).library(field(fn, "operand")?.text ?? "") : undefined;
      if (lib === "uuid" || lib === "cryptorand" || lib === "mathrand" || (name && keyWords(name).some((w) => FRESH_WORDS.has(w)))) {
        fresh = true;
        return;
      }
    }
    if (e.type === "identifier") {
      const b = resolveLocal(e);
      if (b?.value && (b.kind === "short" || b.kind === "var")) visit(b.value, depth + 1);
      return;
    }
    for (const c of e.children) visit(c, depth + 1);
  };
  visit(key, 0);
  return fresh;
}

const CREATING_VERBS = new Set([
  "create", "new", "issue", "generate", "gen", "start", "begin", "open", "login", "signin", "register", "signup", "send", "save", "store", "add",
  "put", "init", "mint", "make", "request", "invite", "enroll", "grant",
]);

function nameOfFunction(fn: GoNode | undefined): string | undefined {
  return fn && fn.type !== "func_literal" ? field(fn, "name")?.text : undefined;
}

/** Does the function's name say it creates what it writes (`CreateSession`, `Login`, `issueTicket`)? */
function createsKeys(scope: GoNode | undefined): boolean {
  const name = scope && scope.type !== "func_literal" ? field(scope, "name")?.text : undefined;
  return !!name && CREATING_VERBS.has(keyWords(name)[0] ?? "");
}

/** Is there an Expire-family command on (possibly) the same key after `after` in the function? */
function expiresLater(scope: GoNode, after: GoNode, key: GoNode): boolean {
  let found = false;
  walk(scope, (n) => {
    if (found) return false;
    if (n.type !== "call_expression" || n.range[0] < after.range[1]) return true;
    const rc = redisCall(n, (m) => REDIS_EXPIRE_COMMANDS.has(m) || m === "Do");
    if (!rc) return true;
    if (rc.method === "Do") {
      const cmd = constValue(rc.args[1]);
      if (typeof cmd === "string" && /^p?expire(?:at)?$/iu.test(cmd) && rc.args[2] && maySameKey(key, rc.args[2])) found = true;
      return true;
    }
    if (rc.args[1] && maySameKey(key, rc.args[1])) found = true;
    return true;
  });
  return found;
}

/** Field assignments `args.TTL = ...` on a SetArgs variable: the literal alone does not tell. */
function assignsFields(id: GoNode): boolean {
  const fn = enclosingFunction(id);
  let found = false;
  if (fn) walk(fn, (n) => {
    if (found) return false;
    if (n.type === "assignment_statement") {
      for (const l of field(n, "left")?.children ?? []) {
        if (l.type === "selector_expression" && field(l, "operand")?.text === id.text) found = true;
      }
    }
    return true;
  });
  return found;
}

type SetArgsVerdict = { how: string; keep: boolean; nx: boolean } | undefined;

function setArgsVerdict(arg: GoNode | undefined): SetArgsVerdict {
  let lit = unparen(arg);
  if (lit?.type === "unary_expression") lit = unparen(field(lit, "operand"));
  if (lit?.type === "identifier") {
    const b = resolveLocal(lit);
    if (!b || b.kind === "param" || assignsFields(b.id)) return undefined;
    let def = definitionOf(lit);
    if (def?.type === "unary_expression") def = unparen(field(def, "operand"));
    lit = def;
  }
  if (lit?.type !== "composite_literal") return undefined;
  for (const f of REDIS_SET_ARGS_TTL_FIELDS) {
    const v = keyedValue(lit, f);
    if (v && (f !== "TTL" || expiryOf(v) === "ttl")) return undefined;
  }
  const keep = constValue(keyedValue(lit, "KeepTTL")) === true;
  const mode = constValue(keyedValue(lit, "Mode"));
  return { how: keep ? "SetArgs with KeepTTL" : "SetArgs without TTL or ExpireAt", keep, nx: typeof mode === "string" && mode.toUpperCase() === "NX" };
}

/** Does the value written say it is a credential (`otp`, `resetToken`, `generateOTP()`, `newSessionID()`)? */
export function valueCredential(expr: GoNode | undefined, extra: ReadonlySet<string>, ignore: ReadonlySet<string>, depth = 0): CredentialMatch | undefined {
  const e = unparen(expr);
  if (!e || depth > 3) return undefined;
  switch (e.type) {
    case "identifier": {
      const m = credentialName(e.text, extra, ignore);
      if (m) return m;
      const b = resolveLocal(e);
      return b?.value && b.values === b.names && (b.kind === "short" || b.kind === "var") ? valueCredential(b.value, extra, ignore, depth + 1) : undefined;
    }
    case "selector_expression":
      return credentialName(field(e, "field")?.text, extra, ignore);
    case "call_expression": {
      const fn = unparen(field(e, "function"));
      const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : fn?.type === "identifier" ? fn.text : undefined;
      if (name && ["string", "String", "Sprintf", "Sprint", "Itoa", "FormatInt", "EncodeToString", "Hex", "Marshal"].includes(name)) {
        const args = argumentsOf(e);
        const inner = name === "String" || name === "Hex" ? field(fn!, "operand") : name === "Sprintf" ? args[1] : args[0];
        return valueCredential(inner, extra, ignore, depth + 1);
      }
      return credentialName(name, extra, ignore);
    }
    default:
      return undefined;
  }
}

type Options = [{ keyWords?: string[]; ignoreWords?: string[] }];

export default createRule<Options, "noExpiry" | "keepTTL">({
  name: "redis-ticket-ttl",
  // Sound: every report is a go-redis key write named in REDIS_KEY_WRITES (Set, SetNX, SetArgs, HSet, ...).
  prefilter: anyWord(Object.keys(REDIS_KEY_WRITES)),
  meta: {
    type: "problem",
    docs: {
      description: "One-time tickets, OTPs, reset/verification tokens and sessions stored in Redis must be written with an expiry",
      recommended: "error",
      security: {
        cwe: [613],
        securitySeverity: 6.5,
        precision: "high",
        frameworks: ["go-redis v9", "go-redis v8", "net/http", "fiber", "gin", "echo"],
        tags: ["session-management", "authentication", "redis"],
      },
    },
    messages: {
      noExpiry:
        "{{what}} is stored under {{key}} with no expiry ({{how}}): it stays valid until someone deletes it, so a link or code that leaked, was forwarded or was never used still works months later. Give it a lifetime: `Set(ctx, key, value, 15*time.Minute)` / `SetEx`, or `Expire` the key right after writing it.",
      keepTTL:
        "{{what}} is written under {{key}} with {{how}} on a key that does not exist yet: KEEPTTL keeps no expiry, so the credential never expires. Pass a real duration (`15*time.Minute`) when creating it.",
    },
    schema: [
      {
        type: "object",
        properties: {
          keyWords: { type: "array", items: { type: "string" }, description: "Extra words that mark a key, variable or value as a credential (lower case, e.g. \"pairing\")." },
          ignoreWords: { type: "array", items: { type: "string" }, description: "Extra words that mark a key as not a credential (lower case, e.g. \"preview\")." },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ keyWords: [], ignoreWords: [] }],
  },
  create(context) {
    const extra = new Set((context.options[0]?.keyWords ?? []).map((w) => w.toLowerCase()));
    const ignore = new Set((context.options[0]?.ignoreWords ?? []).map((w) => w.toLowerCase()));
    const text = context.sourceCode.text;

    return {
      call_expression(call) {
        const rc = redisCall(call, (m) => m in REDIS_KEY_WRITES);
        if (!rc) return;
        const spec: RedisKeyWrite = REDIS_KEY_WRITES[rc.method];
        const key = rc.args[spec.key];
        if (!key) return;

        let how: string;
        let keep = false;
        let onlyNew = !!spec.onlyNew;
        if (spec.expiration !== undefined) {
          const exp = rc.args[spec.expiration];
          if (!exp) return;
          const kind = expiryOf(exp);
          if (kind === "ttl") return;
          keep = kind === "keep";
          how = keep ? "redis.KeepTTL" : `expiration \`${text.slice(exp.range[0], exp.range[1])}\``;
        } else if (spec.args !== undefined) {
          const v = setArgsVerdict(rc.args[spec.args]);
          if (!v) return;
          how = v.how;
          keep = v.keep;
          onlyNew ||= v.nx;
        } else {
          how = `${rc.method} sets no expiry and no Expire on the key follows`;
        }

        // Is it a credential? By the key, else by the value written (unless the key says otherwise: `otp:attempts:`).
        const facts = keyFacts(key);
        if ([...facts.consts, ...facts.names].some((c) => negates(keyWords(c), ignore))) return;
        let cred = keyCredential(facts, extra, ignore);
        if (!cred) {
          const values = spec.value !== undefined ? [rc.args[spec.value]] : spec.hash ? rc.args.slice(2) : [];
          for (const v of values) {
            // HSet(ctx, key, "pairing_code", code): a field name says what the hash holds.
            const c = spec.hash ? constValue(v) : undefined;
            cred = typeof c === "string" ? credentialName(c, extra, ignore) : valueCredential(v, extra, ignore);
            if (cred) break;
          }
        }
        if (!cred && spec.value !== undefined) {
          // `Set(ctx, req.Email, code, 0)` in `SendCaptcha`: a bare "code" named by its function.
          const v = unparen(rc.args[spec.value]);
          const fnName = nameOfFunction(outermostFunction(call));
          const vName = v?.type === "identifier" ? v.text : v?.type === "selector_expression" ? field(v, "field")?.text : undefined;
          const fnCred = credentialName(fnName, extra, ignore);
          if (vName && keyWords(vName).includes("code") && fnCred?.kind === "one-time") cred = fnCred;
        }
        if (!cred) return;

        // KEEPTTL only loses the expiry on a key that does not exist yet; so does HSET (it leaves
        // an existing key's TTL alone): report those on keys created here (a freshly minted id, or
        // a function that creates: `CreateSession`, `Login`, `IssueTicket`).
        const scope = outermostFunction(call);
        if (keep && !onlyNew && !isFreshKey(key)) return;
        if (spec.hash && !isFreshKey(key) && !createsKeys(scope)) return;
        if (scope && expiresLater(scope, call, key)) return;

        const what = describeCredential(cred);
        context.report({
          node: call,
          messageId: keep ? "keepTTL" : "noExpiry",
          data: { what, key: describeKey(key, facts, text), how },
        });
      },
    };
  },
});
