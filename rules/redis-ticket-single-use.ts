/**
 * redis-ticket-single-use (CWE-294): a one-time credential (OTP, reset or verification token,
 * magic link, login ticket, nonce) that is checked with `Get` and consumed with a separate `Del`
 * can be redeemed twice: two requests that arrive together both read it before either deletes
 * it. Checking and consuming must be one atomic step: GETDEL, a Lua script, WATCH/MULTI.
 */
import { anyWord, createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, isFunctionLike, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { REDIS_ATOMIC_METHODS, REDIS_CHECK_COMMANDS, REDIS_REMOVE_COMMANDS, REDIS_SCRIPT_METHODS } from "../src/semantic/library.js";
import type { FuncFact } from "../src/semantic/package.js";
import { importedPackage, resolveLocal, typeOf } from "../src/semantic/types.js";
import { constValue } from "../src/semantic/values.js";
import {
  calledFunction, describeCredential, keyCredential, keyFacts, keyIdentity, keyWords, negates, redisCall, type CredentialMatch, type KeyFacts,
} from "./redis-ticket-ttl.js";

/** Function names that redeem a credential: with a bare "token" key, they make it a one-time token. */
const REDEEM_WORDS = new Set([
  "verify", "verification", "confirm", "activate", "activation", "redeem", "consume", "exchange", "claim", "accept", "reset", "callback", "magic",
  "login", "signin", "refresh", "use", "validate", "complete", "finish", "approve", "join", "unsubscribe",
]);
/** Function names that end a credential's life on purpose: a logout that reads then deletes the session is fine. */
const TEARDOWN_WORDS = new Set([
  "logout", "signout", "revoke", "invalidate", "delete", "remove", "clear", "cleanup", "destroy", "purge", "evict", "kick", "ban", "expire", "del",
  "unregister", "deactivate", "disable", "unlink", "drop", "flush",
]);
/** go-redis methods this rule looks at (others are not typed at all: typing a receiver can be costly). */
const INTERESTING = new Set([
  ...Object.keys(REDIS_CHECK_COMMANDS), ...Object.keys(REDIS_REMOVE_COMMANDS), ...REDIS_ATOMIC_METHODS, "SetNX", "Do", "EvalRO", "EvalShaRO", "FCallRO",
]);
/** First words of helper names that check, and that remove (`GetOTP`, `DeleteOTP`, `codes.Get`, `dropCode`). */
const CHECK_VERBS = new Set(["get", "check", "verify", "validate", "exists", "exist", "has", "is", "read", "load", "fetch", "find", "lookup", "peek", "query", "compare", "match"]);
const REMOVE_VERBS = new Set(["del", "delete", "remove", "drop", "clear", "consume", "invalidate", "expire", "evict", "purge", "unlink", "destroy", "burn", "use", "mark", "revoke", "discard", "rem"]);
/**
 * Text that a removal needs: a REMOVE_VERBS verb in any letter case at the start of a name, where words() ends the
 * first word (before an upper-case letter or a non-alphanumeric: `useToken`, `DEL`, `_drop`), or a go-redis removal.
 */
const REMOVAL_PREFILTER = new RegExp(
  `\\b_*(?:${[...REMOVE_VERBS].map((w) => [...w].map((c) => `[${c}${c.toUpperCase()}]`).join("")).join("|")})(?![a-z0-9])|${anyWord(Object.keys(REDIS_REMOVE_COMMANDS)).source}`,
  "u",
);

/** Method names of locks (redsync, bsm/redislock, sync.Mutex): a lock around the pair serialises it. */
const LOCK_METHODS = new Set(["Lock", "TryLock", "LockContext", "TryLockContext", "Obtain"]);

interface Op {
  kind: "check" | "remove";
  /** The call to report or to point at (the redis call, or the call of a wrapper). */
  call: GoNode;
  method: string;
  /** `rdb.Get`, `store.GetOTP` for messages. */
  callee: string;
  key: string;
  member?: string;
  facts: KeyFacts;
  /** Inside a Watch / TxPipelined callback or queued on a pipeline: not a separate round trip. */
  atomic: boolean;
  /** The direct go-redis call (for the GetDel suggestion). */
  direct?: { receiver: GoNode; args: GoNode[] };
}

interface Wrapper {
  kind: "check" | "remove";
  method: string;
  keyExpr: GoNode;
  memberExpr?: GoNode;
  params: GoNode[];
}

const wrapperCache = new WeakMap<GoNode, Wrapper | null>();

/**
 * A helper of the module whose body is a single go-redis check or remove of a key built from its
 * parameters (`func GetOTP(key string) (string, error) { return rdb.Get(ctx, key).Result() }`).
 */
function wrapperOf(fact: FuncFact): Wrapper | undefined {
  const cached = wrapperCache.get(fact.node);
  if (cached !== undefined) return cached ?? undefined;
  wrapperCache.set(fact.node, null);
  const body = field(fact.node, "body");
  if (!body) return undefined;
  const calls: GoNode[] = [];
  walk(body, (n) => {
    if (isFunctionLike(n)) return false;
    if (n.type === "call_expression" && redisCall(n)) calls.push(n);
    return true;
  });
  if (calls.length !== 1) return undefined;
  const rc = redisCall(calls[0])!;
  const spec = REDIS_CHECK_COMMANDS[rc.method] ?? REDIS_REMOVE_COMMANDS[rc.method];
  if (!spec || !rc.args[1]) return undefined;
  const params = paramIds(fact.node);
  const usesParam = (expr: GoNode) => {
    let found = false;
    const visit = (n: GoNode) => {
      if (found) return;
      if (n.type === "identifier") {
        const b = resolveLocal(n);
        if (b && params.includes(b.id)) found = true;
        else if (b?.value && (b.kind === "short" || b.kind === "var")) visit(b.value);
      }
      for (const c of n.children) visit(c);
    };
    visit(expr);
    return found;
  };
  if (!usesParam(rc.args[1])) return undefined;
  const w: Wrapper = {
    kind: rc.method in REDIS_CHECK_COMMANDS ? "check" : "remove",
    method: rc.method,
    keyExpr: rc.args[1],
    memberExpr: spec.member !== undefined ? rc.args[spec.member] : undefined,
    params,
  };
  wrapperCache.set(fact.node, w);
  return w;
}

function paramIds(fn: GoNode): GoNode[] {
  const out: GoNode[] = [];
  for (const d of field(fn, "parameters")?.children ?? []) {
    if (d.type !== "parameter_declaration" && d.type !== "variadic_parameter_declaration") continue;
    out.push(...fieldAll(d, "name"));
  }
  return out;
}

function calleeText(call: GoNode, text: string): string {
  const fn = unparen(field(call, "function"));
  return fn ? text.slice(fn.range[0], fn.range[1]) : "";
}

/** Is `n` inside a callback passed to a go-redis call (Watch, TxPipelined, Pipelined) within `scope`? */
function inRedisCallback(n: GoNode, scope: GoNode): boolean {
  for (let f = enclosingFunction(n); f && f !== scope; f = enclosingFunction(f)) {
    const call = f.parent?.type === "argument_list" ? f.parent.parent : undefined;
    const rc = call ? redisCall(call) : undefined;
    if (rc && (REDIS_ATOMIC_METHODS.has(rc.method) || rc.method === "Pipelined")) return true;
  }
  return false;
}

/** The function whose ops a node belongs to: callbacks handed to go-redis belong to their caller. */
function scopeOf(n: GoNode): GoNode | undefined {
  let f = enclosingFunction(n);
  while (f && f.type === "func_literal") {
    const call = f.parent?.type === "argument_list" ? f.parent.parent : undefined;
    if (!call || !redisCall(call)) break;
    f = enclosingFunction(f);
  }
  return f ?? undefined;
}

/** Is the number of deleted keys compared (`if n == 0 { return ErrUsed }`): the Del is then the claim. */
function removalChecked(call: GoNode, scope: GoNode): boolean {
  let v: GoNode = call;
  const sel = v.parent;
  if (sel?.type === "selector_expression" && field(sel, "operand") === v && sel.parent?.type === "call_expression") {
    const m = field(sel, "field")?.text;
    if (m === "Err") return false;
    if (m === "Val" || m === "Result") v = sel.parent;
  }
  const isComparison = (n: GoNode | null | undefined) => n?.type === "binary_expression" && ["==", "!=", "<", ">", "<=", ">="].includes(field(n, "operator")?.text ?? "");
  if (isComparison(v.parent)) return true;
  // n, err := rdb.Del(ctx, key).Result(); if n == 0 { ... }
  const list = v.parent;
  const decl = list?.parent;
  if (list?.type !== "expression_list" || !decl || (decl.type !== "short_var_declaration" && decl.type !== "assignment_statement")) return false;
  const left = field(decl, "left")?.children ?? [];
  const id = left[0];
  if (id?.type !== "identifier" || id.text === "_") return false;
  let checked = false;
  walk(scope, (n) => {
    if (checked) return false;
    if (n.type === "identifier" && n.text === id.text && n !== id && isComparison(n.parent)) {
      const other = field(n.parent!, "left") === n ? field(n.parent!, "right") : field(n.parent!, "left");
      if (typeof constValue(other) === "number") checked = true;
    }
    return true;
  });
  return checked;
}

/** The statement holding a node directly in a block. */
function statementOf(node: GoNode): GoNode {
  let n = node;
  while (n.parent && n.parent.type !== "block" && n.parent.type !== "statement_list") n = n.parent;
  return n;
}

/** Between the Get and the Del, does every `return` sit under an error check (`if err != nil`, `err == redis.Nil`)? */
function onlyErrorReturnsBetween(from: GoNode, to: GoNode): boolean {
  const scope = enclosingFunction(from);
  if (!scope) return false;
  let ok = true;
  walk(scope, (n) => {
    if (!ok) return false;
    if (n !== scope && isFunctionLike(n)) return false;
    if (n.range[1] <= from.range[1] || n.range[0] >= to.range[0]) return n.range[0] < to.range[0] && n.range[1] > from.range[1];
    if (n.type === "return_statement" || n.type === "goto_statement" || (n.type === "call_expression" && /^(?:panic|os\.Exit)$/u.test(unparen(field(n, "function"))?.type === "identifier" ? unparen(field(n, "function"))!.text ?? "" : ""))) {
      let guarded = false;
      for (let p = n.parent; p && p !== scope; p = p.parent) {
        if (p.type === "if_statement") {
          const cond = field(p, "condition");
          const t = cond ? conditionText(cond) : "";
          if (/^\w*err\w*(?:!=|==)(?:nil|redis\.Nil)$|^errors\.Is\(\w*err\w*,redis\.Nil\)$/iu.test(t)) guarded = true;
          break;
        }
      }
      if (!guarded) ok = false;
    }
    return true;
  });
  return ok;
}

function conditionText(n: GoNode): string {
  const out: string[] = [];
  const visit = (x: GoNode) => {
    if (x.children.length === 0) out.push(x.text ?? "");
    else if (x.type === "binary_expression") {
      visit(field(x, "left")!);
      out.push(field(x, "operator")?.text ?? "");
      visit(field(x, "right")!);
    } else if (x.type === "selector_expression") {
      visit(field(x, "operand")!);
      out.push(".");
      visit(field(x, "field")!);
    } else if (x.type === "call_expression") {
      visit(field(x, "function")!);
      out.push("(");
      const args = field(x, "arguments")?.children ?? [];
      args.forEach((a, i) => {
        if (i) out.push(",");
        visit(a);
      });
      out.push(")");
    } else for (const c of x.children) visit(c);
  };
  visit(n);
  return out.join("");
}

/** `rdb.Del(ctx, key)`, `_ = rdb.Del(ctx, key).Err()` alone on its statement: it can be dropped cleanly. */
function droppableStatement(call: GoNode): GoNode | undefined {
  const stmt = statementOf(call);
  let expr: GoNode | undefined;
  if (stmt.type === "expression_statement") expr = stmt.children[0];
  else if (stmt.type === "assignment_statement") {
    const left = field(stmt, "left")?.children ?? [];
    const right = field(stmt, "right")?.children ?? [];
    if (left.length !== 1 || left[0].text !== "_" || right.length !== 1) return undefined;
    expr = right[0];
  } else return undefined;
  let e = unparen(expr);
  if (e?.type === "call_expression" && e !== call) {
    const fn = unparen(field(e, "function"));
    if (fn?.type === "selector_expression" && field(fn, "operand") === call && ["Err", "Val", "Result"].includes(field(fn, "field")?.text ?? "")) e = call;
  }
  return e === call ? stmt : undefined;
}

type Options = [{ keyWords?: string[]; ignoreWords?: string[] }];

export default createRule<Options, "replay" | "useGetDel">({
  name: "redis-ticket-single-use",
  // Sound: a report pairs a check with a removal in this file, and a removal is a go-redis Del/Unlink/SRem/HDel or a
  // helper whose name's first word is a REMOVE_VERBS verb (in any case, ending where words() splits: `useToken`, `DEL`).
  prefilter: REMOVAL_PREFILTER,
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "One-time credentials in Redis must be checked and consumed atomically (GetDel, a Lua script or WATCH/MULTI), not with a Get followed by a Del",
      recommended: "warn",
      security: {
        cwe: [294, 367],
        securitySeverity: 5.9,
        precision: "high",
        frameworks: ["go-redis v9", "go-redis v8", "net/http", "fiber", "gin", "echo"],
        tags: ["race-condition", "replay", "authentication", "redis"],
      },
    },
    messages: {
      replay:
        "{{what}} is read with `{{check}}` and deleted by a separate `{{remove}}` on line {{line}}: two requests that arrive together both pass the check before either deletes it, so the same code, link or ticket is redeemed twice. Read and consume it in one atomic step: `GetDel` (Redis 6.2+), a Lua script, or a WATCH/MULTI transaction (or act only when the Del reports it removed the key).",
      useGetDel: "Use GetDel and drop the separate Del (needs Redis 6.2 or later)",
    },
    schema: [
      {
        type: "object",
        properties: {
          keyWords: { type: "array", items: { type: "string" }, description: "Extra words that mark a key as a one-time credential (lower case)." },
          ignoreWords: { type: "array", items: { type: "string" }, description: "Extra words that mark a key as not a one-time credential (lower case)." },
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

    const check = (scope: GoNode) => {
      // What makes the prefilter sound for a file holds for one function: a removal it pairs is a
      // call written inside it (go-redis callbacks it walks into are inside it too).
      if (!REMOVAL_PREFILTER.test(text.slice(scope.range[0], scope.range[1]))) return;
      const name = scope.type === "func_literal" ? undefined : field(scope, "name")?.text;
      const fnWords = name ? keyWords(name) : [];
      if (fnWords.some((w) => TEARDOWN_WORDS.has(w))) return;
      const ops: Op[] = [];
      let atomicInScope = false;
      /** Calls that might be helpers wrapping one command, by what their name says they do. */
      const candidates: GoNode[] = [];
      let checkish = false;
      let removeish = false;
      walk(scope, (n) => {
        if (atomicInScope) return false;
        if (n.type !== "call_expression" || scopeOf(n) !== scope) return true;
        const fn = unparen(field(n, "function"));
        const method = fn?.type === "selector_expression" ? field(fn, "field")?.text : undefined;
        if (method && LOCK_METHODS.has(method)) {
          atomicInScope = true;
          return false;
        }
        // redis.NewScript(...), script.Run(ctx, rdb, keys, ...)
        if (method && fn) {
          const operand = field(fn, "operand");
          if (method === "NewScript" && importsOf(rootOf(n)).library(operand?.text ?? "") === "redis" && importedPackage(operand, importsOf(rootOf(n)))) atomicInScope = true;
          else if (REDIS_SCRIPT_METHODS.has(method) && typeOf(operand) === "redis.Script") atomicInScope = true;
          if (atomicInScope) return false;
        }
        const rc = method && INTERESTING.has(method) ? redisCall(n) : undefined;
        if (rc) {
          if (rc.method === "GetDel" || rc.method === "SetNX" || /^(?:Eval|EvalSha|EvalRO|EvalShaRO|FCall|FCallRO)$/u.test(rc.method)) {
            atomicInScope = true;
            return false;
          }
          if (rc.method === "Do") {
            const cmd = constValue(rc.args[1]);
            if (typeof cmd === "string" && /^(?:getdel|eval|evalsha|fcall|multi|watch|set)$/iu.test(cmd)) atomicInScope = true;
            return !atomicInScope;
          }
          const checkSpec = REDIS_CHECK_COMMANDS[rc.method];
          const removeSpec = REDIS_REMOVE_COMMANDS[rc.method];
          const spec = checkSpec ?? removeSpec;
          if (!spec || !rc.args[1]) return true;
          const memberNode = spec.member !== undefined ? rc.args[spec.member] : undefined;
          ops.push({
            kind: checkSpec ? "check" : "remove",
            call: n,
            method: rc.method,
            callee: calleeText(n, text),
            key: keyIdentity(rc.args[1]),
            member: memberNode ? keyIdentity(memberNode) : undefined,
            facts: keyFacts(rc.args[1]),
            atomic: rc.pipeline || inRedisCallback(n, scope),
            direct: { receiver: rc.receiver, args: rc.args },
          });
          if (checkSpec) checkish = true;
          else removeish = true;
          return true;
        }
        const calleeName = fn?.type === "identifier" ? fn.text : method;
        const verb = calleeName ? keyWords(calleeName)[0] : undefined;
        if (verb && (CHECK_VERBS.has(verb) || REMOVE_VERBS.has(verb))) {
          candidates.push(n);
          if (CHECK_VERBS.has(verb)) checkish = true;
          else removeish = true;
        }
        return true;
      });
      if (atomicInScope || !checkish || !removeish) return;

      // Helpers of the module that wrap one check or remove (resolving them may load other packages).
      for (const n of candidates) {
        const callee = calledFunction(n);
        const w = callee ? wrapperOf(callee.fact) : undefined;
        if (!w || !callee) continue;
        const args = (field(n, "arguments")?.children ?? []).filter((c) => c.type !== "comment");
        const subst = new Map<GoNode, string>();
        w.params.forEach((p, i) => subst.set(p, args[i] ? keyIdentity(args[i]) : "?"));
        const facts = keyFacts(w.keyExpr);
        facts.names.push(callee.fact.name);
        for (const a of args) keyFacts(a, 0, facts);
        ops.push({
          kind: w.kind,
          call: n,
          method: w.method,
          callee: calleeText(n, text),
          key: keyIdentity(w.keyExpr, subst),
          member: w.memberExpr ? keyIdentity(w.memberExpr, subst) : undefined,
          facts,
          atomic: inRedisCallback(n, scope),
        });
      }
      ops.sort((a, b) => a.call.range[0] - b.call.range[0]);

      const paired = new Set<Op>();
      for (const c of ops) {
        if (c.kind !== "check" || c.atomic) continue;
        const r = ops.find(
          (o) => o.kind === "remove" && !o.atomic && o.call.range[0] > c.call.range[1] && o.key === c.key && (o.member === undefined || c.member === undefined || o.member === c.member),
        );
        // One finding per Del: `Exists` then `Get` then `Del` is one race.
        if (!r || paired.has(r) || removalChecked(r.call, scope)) continue;
        paired.add(r);
        const cred = ticketOf(c, r, fnWords, extra, ignore);
        if (!cred) continue;
        const suggest = getDelSuggestion(c, r);
        context.report({
          node: c.call,
          messageId: "replay",
          data: { what: describeCredential(cred), check: c.callee, remove: r.callee, line: String(r.call.loc.start.line) },
          ...(suggest ? { suggest: [suggest] as never } : {}),
        });
      }
    };

    /** Get → GetDel and drop the `Del` statement, when both are plain calls on the same client. */
    const getDelSuggestion = (c: Op, r: Op) => {
      if (c.method !== "Get" || (r.method !== "Del" && r.method !== "Unlink") || !c.direct || !r.direct || r.direct.args.length !== 2) return undefined;
      const recv = (o: Op) => text.slice(o.direct!.receiver.range[0], o.direct!.receiver.range[1]);
      if (recv(c) !== recv(r)) return undefined;
      const stmt = droppableStatement(r.call);
      const fn = unparen(field(c.call, "function"));
      const nameNode = fn ? field(fn, "field") : undefined;
      // Only where GetDel changes nothing but the race: the Del runs whenever the Get succeeded
      // (same block, and nothing in between returns except on the Get's error).
      if (!stmt || !nameNode || statementOf(c.call).parent !== stmt.parent || !onlyErrorReturnsBetween(c.call, stmt)) return undefined;
      const lineStart = text.lastIndexOf("\n", stmt.range[0] - 1) + 1;
      const onlyStatement = /^[ \t]*$/u.test(text.slice(lineStart, stmt.range[0]));
      const nl = text.indexOf("\n", stmt.range[1]);
      const lineEnd = nl >= 0 && /^[ \t]*(?:\/\/[^\n]*)?$/u.test(text.slice(stmt.range[1], nl)) ? nl + 1 : stmt.range[1];
      const removeRange: [number, number] = onlyStatement && lineEnd > stmt.range[1] ? [lineStart, lineEnd] : [stmt.range[0], stmt.range[1]];
      return {
        messageId: "useGetDel" as const,
        fix: (fixer: { replaceTextRange(r: [number, number], t: string): unknown; removeRange(r: [number, number]): unknown }) => [
          fixer.replaceTextRange(nameNode.range, "GetDel"),
          fixer.removeRange(removeRange),
        ],
      };
    };

    return {
      function_declaration: check,
      method_declaration: check,
      func_literal(node) {
        // Callbacks handed to go-redis are checked with their caller.
        const call = node.parent?.type === "argument_list" ? node.parent.parent : undefined;
        if (!call || !redisCall(call)) check(node);
      },
    };
  },
});

/** Is the key pair a one-time credential? A bare "token" needs a redeeming function name. */
function ticketOf(c: Op, r: Op, fnWords: readonly string[], extra: ReadonlySet<string>, ignore: ReadonlySet<string>): CredentialMatch | undefined {
  const facts: KeyFacts = { consts: [...c.facts.consts, ...r.facts.consts], names: [...c.facts.names, ...r.facts.names] };
  if ([...facts.consts, ...facts.names].some((t) => negates(keyWords(t), ignore))) return undefined;
  const m = keyCredential(facts, extra, ignore);
  if (!m) return undefined;
  if (m.kind === "one-time") return m;
  if (m.kind === "token" && fnWords.some((w) => REDEEM_WORDS.has(w))) return { word: m.word, kind: "one-time" };
  return undefined;
}
