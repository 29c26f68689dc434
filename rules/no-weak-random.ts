/**
 * no-weak-random (CWE-338): tokens, session ids, OTPs, reset codes, passwords, nonces, API keys
 * and salts must come from crypto/rand. math/rand (and math/rand/v2) is predictable: its state
 * can be recovered from a few outputs, and code that seeds it with the time is guessable outright.
 *
 * A math/rand value is followed to where it ends up: a variable, field, map key or function
 * result with a credential name, a Redis key of a credential, a session cookie, or an argument
 * named like one. Helpers that only return math/rand output (`RandString(n)`) are followed into
 * their callers, across the packages of the module. Jitter, backoff, sampling, shuffling, load
 * balancing and test data are left alone.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode, SourceFileNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { COOKIE_LITERAL_TYPES, COOKIE_SETTERS, MATH_RAND_VALUE_FUNCTIONS, REDIS_KEY_WRITES } from "../src/semantic/library.js";
import { modulePathOf, packageOf, seesOnlyItsOwnPackage, type FuncFact } from "../src/semantic/package.js";
import { importedPackage, resolveLocal, typeOf } from "../src/semantic/types.js";
import { constValue } from "../src/semantic/values.js";
import { argumentsOf, calledFunction, credentialName, describeKey, keyCredential, keyFacts, keyWords, negates, redisCall } from "./redis-ticket-ttl.js";

/** Tests, benchmarks, fake-data seeders and mocks: random data there is not a credential. */
const TEST_PATH = /(?:^|\/)(?:tests?|testdata|testutils?|testing|e2e|integration|mocks?|fakes?|benchmarks?|seeds?|seeders?|seeding)\//u;

/** Where a pseudo-random value ended up. */
type Verdict =
  | { kind: "credential"; what: string }
  /** Returned by this (non-credential) function: its callers decide. */
  | { kind: "returned"; fn: GoNode }
  /** Handed to something goward does not follow. */
  | { kind: "unknown" }
  | undefined;

/**
 * Helpers (by function node) that return math/rand output, with the inner source for messages,
 * per set of extra names. AST nodes are replaced when a file changes, so entries never go stale.
 */
const helperCaches = new Map<string, WeakMap<GoNode, { inner: string } | null>>();

const rank = (v: Verdict) => (!v ? 0 : v.kind === "unknown" ? 1 : v.kind === "returned" ? 2 : 3);
const best = (a: Verdict, b: Verdict): Verdict => (rank(b) > rank(a) ? b : a);

/** First words of function names that make or hand out a credential. */
const PRODUCING_VERBS = new Set([
  "generate", "gen", "new", "create", "make", "issue", "send", "resend", "random", "rand", "mint", "build", "init", "reset", "request", "rotate",
  "regenerate", "refresh", "renew", "email", "mail", "sms", "notify", "deliver", "start", "begin", "setup", "provision", "register", "signup",
]);

/** First words of function names that take a credential apart or look it up (`resolveToken`, `parseToken`). */
const CONSUMING_VERBS = new Set([
  "resolve", "parse", "validate", "verify", "check", "find", "lookup", "load", "read", "decode", "lex", "scan", "split", "match", "compare",
  "extract", "print", "format", "log", "hash", "is", "has", "valid", "mask", "redact", "strip", "trim", "normalize", "revoke", "delete", "remove",
]);

/** A credential after one of these in a function name is its input, not its product (`GetUserByToken`). */
const PREPOSITIONS = new Set(["by", "with", "from", "for", "using", "via", "of", "on", "after", "if", "when"]);

/** Builtin conversions and functions whose result carries their argument. */
const CARRYING_BUILTINS = new Set([
  "string", "append", "byte", "rune", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
]);
/** Library functions whose result carries their argument (formatting, encoding). */
const CARRYING_FUNCTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  fmt: new Set(["Sprintf", "Sprint", "Sprintln"]),
  strconv: new Set(["Itoa", "FormatInt", "FormatUint", "Quote", "AppendInt"]),
  strings: new Set(["Join", "Repeat", "ToUpper", "ToLower", "Map", "Title", "ReplaceAll"]),
  "encoding/hex": new Set(["EncodeToString", "Encode"]),
  "math/big": new Set(["NewInt"]),
};
/** Methods whose result carries the value they are called on or with (`base64.URLEncoding.EncodeToString(b)`, `sb.String()`). */
const CARRYING_METHODS = new Set(["EncodeToString", "String", "Text", "Bytes", "Sprintf", "Format"]);
/** Methods that write their argument into the receiver (`sb.WriteByte(c)`, `buf.WriteString(s)`). */
const WRITER_METHODS = new Set(["WriteByte", "WriteRune", "WriteString", "Write"]);
/** Functions whose own job is randomness for non-secrets: their math/rand use is never a finding. */
const BENIGN_FUNCTION_WORDS = new Set([
  "jitter", "backoff", "retry", "delay", "sleep", "sample", "sampling", "shuffle", "shuffled", "balance", "balancer", "pick", "choose", "weighted",
  "fake", "faker", "mock", "dummy", "test", "seed", "color", "colour", "avatar", "port", "chaos", "simulate", "simulation", "demo", "example",
]);

interface Source {
  /** `rand.Intn`, `r.Int63`, `util.RandString` for messages. */
  describe: string;
  /** math/rand's Read fills its argument rather than returning the value. */
  filled?: GoNode;
  /** A helper of the module that returns math/rand output. */
  helper?: string;
}

function isMathRandOperand(operand: GoNode | undefined): boolean {
  if (!operand?.text) return false;
  const imports = importsOf(rootOf(operand));
  return imports.library(operand.text) === "mathrand" && !!importedPackage(operand, imports);
}

function directSource(call: GoNode, text: (n: GoNode) => string): Source | undefined {
  const fn = unparen(field(call, "function"));
  const sel = fn;
  if (sel?.type !== "selector_expression") return undefined;
  const method = field(sel, "field")?.text;
  const operand = field(sel, "operand");
  if (!method || !operand || !MATH_RAND_VALUE_FUNCTIONS.has(method)) return undefined;
  if (!isMathRandOperand(operand) && typeOf(operand) !== "mathrand.Rand") return undefined;
  return { describe: `${text(operand)}.${method}`, filled: method === "Read" ? argumentsOf(call)[0] : undefined };
}

export default createRule<[{ names?: string[] }], "weak" | "weakHelper" | "useCryptoRead">({
  name: "no-weak-random",
  // No prefilter: a call of a helper (in another file or package) that returns math/rand output is reported when the
  // value goes to a credential, and the `names` option can make any word a credential word.
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Tokens, session ids, OTPs, reset codes, passwords, nonces, API keys and salts must come from crypto/rand, not math/rand",
      recommended: "error",
      security: {
        cwe: [338, 330],
        securitySeverity: 7.5,
        precision: "high",
        frameworks: ["math/rand", "math/rand/v2", "crypto/rand", "go-redis", "net/http", "fiber", "gin", "echo"],
        tags: ["cryptography", "authentication", "session-management"],
      },
    },
    messages: {
      weak:
        "{{what}} is generated with `{{source}}` from math/rand: its output is predictable (a few observed values reveal the generator's state, and time-based seeds can be guessed outright), so an attacker can compute valid values. Use crypto/rand: `rand.Text()` (Go 1.24+), `rand.Read` with hex/base64, or `rand.Int(rand.Reader, max)` for numeric codes.",
      weakHelper:
        "{{what}} comes from `{{source}}`, which builds it with math/rand (`{{inner}}`): its output is predictable, so an attacker can compute valid values. Make `{{helper}}` use crypto/rand (`rand.Text()`, `rand.Read`, `rand.Int(rand.Reader, max)`).",
      useCryptoRead: "Import crypto/rand instead of math/rand (its Read has the same signature)",
    },
    schema: [
      {
        type: "object",
        properties: {
          names: { type: "array", items: { type: "string" }, description: "Extra words that mark a name as a secret (lower case, e.g. \"voucher\")." },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ names: [] }],
  },
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    if (/_test\.go$/u.test(filename)) return {};
    const inModule = modulePathOf(context.sourceCode.ast as never);
    if (inModule && TEST_PATH.test(inModule)) return {};
    // Where callees and types resolve within the package only (no Go module, or no import of
    // another package of the module: most vendored code), math/rand output can only come from
    // a file of the package that imports it.
    const root = context.sourceCode.ast as SourceFileNode;
    if (seesOnlyItsOwnPackage(root) && !packageOf(root).importsLibrary("mathrand")) return {};
    const extra = new Set((context.options[0]?.names ?? []).map((w) => w.toLowerCase()));
    const text = context.sourceCode.text;
    const src = (n: GoNode) => text.slice(n.range[0], n.range[1]);
    const cred = (name: string | undefined) => credentialName(name, extra);
    const benignName = (name: string | undefined) => !!name && keyWords(name).some((w) => BENIGN_FUNCTION_WORDS.has(w));
    /**
     * A function name that says it produces a credential (`generateOTP`, `NewSessionID`), not one
     * that takes it (`ExportExcelByToken`, `findUserForToken`).
     */
    const credFunction = (name: string | undefined) => {
      if (!cred(name)) return false;
      const ws = keyWords(name!);
      if (CONSUMING_VERBS.has(ws[0] ?? "")) return false;
      const firstCred = ws.findIndex((w, i) => !!cred(ws.slice(0, i + 1).join("_")) || !!cred(w));
      return !ws.slice(0, Math.max(firstCred, 0)).some((w) => PREPOSITIONS.has(w));
    };

    const cacheKey = [...extra].sort().join(",");
    let helperCache = helperCaches.get(cacheKey);
    if (!helperCache) helperCaches.set(cacheKey, (helperCache = new WeakMap()));
    const helpers = helperCache;

    function weakHelper(fact: FuncFact, depth: number): { inner: string } | undefined {
      const cached = helpers.get(fact.node);
      if (cached !== undefined) return cached ?? undefined;
      helpers.set(fact.node, null);
      if (!fact.results.length || credFunction(fact.name) || benignName(fact.name) || depth > 3) return undefined;
      const body = field(fact.node, "body");
      if (!body) return undefined;
      const nodeText = (n: GoNode) => (n.text !== undefined && n.children.length === 0 ? n.text : sourceOf(n));
      let found: { inner: string } | undefined;
      walk(body, (n) => {
        if (found) return false;
        if (n.type !== "call_expression") return true;
        const s = directSource(n, nodeText) ?? helperSource(n, depth + 1, nodeText);
        if (!s) return true;
        const v = s.filled ? filledVerdict(s.filled, n, 0, new Set()) : judge(n, 0, new Set());
        if (v?.kind === "returned" && v.fn === fact.node) found = { inner: s.helper ? `${s.describe}()` : s.describe };
        return true;
      });
      helpers.set(fact.node, found ?? null);
      return found;
    }

    function helperSource(call: GoNode, depth: number, nodeText: (n: GoNode) => string): (Source & { inner: string }) | undefined {
      const fn = unparen(field(call, "function"));
      if (!fn || (fn.type !== "identifier" && fn.type !== "selector_expression")) return undefined;
      const callee = calledFunction(call);
      if (!callee) return undefined;
      const h = weakHelper(callee.fact, depth);
      return h ? { describe: nodeText(fn), helper: callee.fact.name, inner: h.inner } : undefined;
    }

    /** Where does the value of `start` go? Climbs through expressions to a name, a sink or a return. */
    function judge(start: GoNode, depth: number, seen: Set<GoNode>): Verdict {
      let cur = start;
      for (;;) {
        const p = cur.parent;
        if (!p || depth > 5) return undefined;
        switch (p.type) {
          case "parenthesized_expression":
          case "type_conversion_expression":
          case "slice_expression":
          case "index_expression":
            cur = p;
            continue;
          case "unary_expression": {
            const op = field(p, "operator")?.text;
            if (op === "&" || op === "-" || op === "+" || op === "^" || op === "*") {
              cur = p;
              continue;
            }
            return undefined;
          }
          case "binary_expression": {
            const op = field(p, "operator")?.text ?? "";
            if (["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "&^"].includes(op)) {
              cur = p;
              continue;
            }
            return undefined; // compared: `if rand.Intn(100) < 5`
          }
          case "argument_list":
            return argumentVerdict(p.parent!, argumentsOf(p.parent!).indexOf(cur), depth, seen);
          case "selector_expression": {
            // A method on the value: `sb.String()`, `n.Text(10)`.
            if (field(p, "operand") === cur && p.parent?.type === "call_expression" && field(p.parent, "function") === p) {
              cur = p.parent;
              continue;
            }
            return undefined;
          }
          case "expression_list": {
            const stmt = p.parent;
            const i = p.children.indexOf(cur);
            if (stmt?.type === "return_statement") return returnVerdict(stmt, i);
            if ((stmt?.type === "short_var_declaration" || stmt?.type === "assignment_statement") && field(stmt, "right") === p) {
              const left = field(stmt, "left")?.children ?? [];
              return targetVerdict(left.length === p.children.length ? left[i] : left[0], stmt, depth, seen);
            }
            if (stmt?.type === "var_spec") {
              const names = fieldAll(stmt, "name");
              return targetVerdict(names.length === p.children.length ? names[i] : names[0], stmt, depth, seen);
            }
            return { kind: "unknown" };
          }
          case "return_statement":
            return returnVerdict(p, 0);
          case "literal_element": {
            const kv = p.parent;
            if (kv?.type === "keyed_element" && kv.children[1] === p) return keyedVerdict(kv);
            // A positional element of a slice literal: the slice carries it.
            const lit = kv?.parent?.type === "literal_value" ? kv.parent.parent : kv?.type === "literal_value" ? kv.parent : undefined;
            if (lit?.type === "composite_literal") {
              cur = lit;
              continue;
            }
            return { kind: "unknown" };
          }
          case "literal_value":
            if (p.parent?.type === "composite_literal") {
              cur = p.parent;
              continue;
            }
            return { kind: "unknown" };
          default:
            return { kind: "unknown" };
        }
      }
    }

    /** A value assigned to `target` (`code := ...`, `b[i] = ...`, `u.ResetToken = ...`). */
    function targetVerdict(target: GoNode | undefined, stmt: GoNode, depth: number, seen: Set<GoNode>): Verdict {
      const t = unparen(target);
      if (!t) return undefined;
      if (t.type === "index_expression") return targetVerdict(field(t, "operand"), stmt, depth, seen);
      if (t.type === "selector_expression") {
        const name = field(t, "field")?.text;
        if (cred(name)) return { kind: "credential", what: `\`${src(t)}\`` };
        return name && negates(keyWords(name)) ? undefined : { kind: "unknown" };
      }
      if (t.type !== "identifier" || !t.text || t.text === "_") return undefined;
      if (cred(t.text)) return { kind: "credential", what: `\`${t.text}\`` };
      if (negates(keyWords(t.text))) return undefined;
      return followUses(t, stmt, depth, seen);
    }

    /** Every later use of the variable `id` names: where do they go? */
    function followUses(id: GoNode, stmt: GoNode, depth: number, seen: Set<GoNode>): Verdict {
      const b = resolveLocal(id);
      if (!b) return { kind: "unknown" }; // a package variable
      if (seen.has(b.id)) return undefined;
      seen.add(b.id);
      const fn = enclosingFunction(b.id);
      if (!fn) return undefined;
      let v: Verdict;
      for (const n of identifiersIn(fn).get(id.text ?? "") ?? []) {
        if (rank(v) === 3) break;
        if (n === id || n === b.id || n.range[0] < stmt.range[0]) continue;
        if (resolveLocal(n)?.id !== b.id) continue;
        // Skip places where it is written, not read: `x = ...`, `x[i] = ...`, `x += ...` left sides.
        if (isAssignedHere(n)) continue;
        v = best(v, judge(n, depth + 1, seen));
      }
      return v;
    }

    /** The identifiers of a function by name, in source order: built once per function, not per variable followed. */
    function identifiersIn(fn: GoNode): Map<string, GoNode[]> {
      let index = identifierIndex.get(fn);
      if (!index) {
        const built = new Map<string, GoNode[]>();
        walk(fn, (n) => {
          if (n.type !== "identifier" || !n.text) return true;
          const list = built.get(n.text);
          if (list) list.push(n);
          else built.set(n.text, [n]);
          return true;
        });
        identifierIndex.set(fn, (index = built));
      }
      return index;
    }

    /** `x` on the left of an assignment (`x = `, `x[i] = `, `x += `). */
    function isAssignedHere(n: GoNode): boolean {
      let c: GoNode = n;
      while (c.parent?.type === "index_expression" && field(c.parent, "operand") === c) c = c.parent;
      const list = c.parent;
      const stmt = list?.parent;
      return list?.type === "expression_list" && !!stmt && (stmt.type === "assignment_statement" || stmt.type === "short_var_declaration") && field(stmt, "left") === list;
    }

    /** A value returned from its function: the function's (or a named result's) name decides. */
    function returnVerdict(ret: GoNode, index: number): Verdict {
      const fn = enclosingFunction(ret);
      if (!fn) return undefined;
      let name: string | undefined;
      if (fn.type === "func_literal") {
        // gen := func() string { ... }
        const list = fn.parent;
        const decl = list?.parent;
        if (list?.type === "expression_list" && decl?.type === "short_var_declaration") name = field(decl, "left")?.children[list.children.indexOf(fn)]?.text;
        if (!name) return { kind: "unknown" };
        return credFunction(name) ? { kind: "credential", what: `the value returned by \`${name}\`` } : { kind: "unknown" };
      }
      name = field(fn, "name")?.text;
      if (credFunction(name)) return { kind: "credential", what: `the value returned by \`${name}\`` };
      // func newID() (token string, err error)
      const results = field(fn, "result");
      if (results?.type === "parameter_list") {
        const named = results.children.filter((d) => d.type === "parameter_declaration").flatMap((d) => fieldAll(d, "name"));
        const r = named[index];
        if (r?.text && cred(r.text)) return { kind: "credential", what: `\`${r.text}\` returned by \`${name}\`` };
      }
      if (benignName(name)) return undefined;
      return { kind: "returned", fn };
    }

    /** `Token: value` in a struct or map literal, or the Value of a session cookie. */
    function keyedVerdict(kv: GoNode): Verdict {
      const keyNode = kv.children[0]?.children[0] ?? kv.children[0];
      const key = keyNode?.type === "identifier" || keyNode?.type === "field_identifier" ? keyNode.text : constValue(keyNode);
      const lit = kv.parent?.parent;
      if (typeof key === "string" && cred(key)) return { kind: "credential", what: `\`${key}\`` };
      if (key === "Value" && lit?.type === "composite_literal" && COOKIE_LITERAL_TYPES.has(typeOf(lit) ?? "")) {
        const name = cookieName(lit);
        if (name) return { kind: "credential", what: `the \`${name}\` cookie` };
      }
      return { kind: "unknown" };
    }

    function cookieName(lit: GoNode): string | undefined {
      for (const el of field(lit, "body")?.children ?? []) {
        if (el.type !== "keyed_element" || (el.children[0]?.children[0]?.text ?? el.children[0]?.text) !== "Name") continue;
        const v = constValue(el.children[1]?.children[0] ?? el.children[1]);
        return typeof v === "string" && isCredentialCookie(v) ? v : undefined;
      }
      return undefined;
    }

    /** An argument: a carrying function, a writer, a Redis write, a cookie setter, a parameter of the module. */
    function argumentVerdict(call: GoNode, index: number, depth: number, seen: Set<GoNode>): Verdict {
      if (index < 0) return { kind: "unknown" };
      const fn = unparen(field(call, "function"));
      const args = argumentsOf(call);
      if (fn?.type === "identifier" && !resolveLocal(fn)) {
        if (CARRYING_BUILTINS.has(fn.text ?? "")) return judge(call, depth, seen);
        if (fn.text === "copy" && index === 1) return targetVerdict(args[0], call, depth, seen);
      }
      if (fn?.type === "selector_expression") {
        const operand = field(fn, "operand");
        const method = field(fn, "field")?.text ?? "";
        const imports = importsOf(rootOf(call));
        const pkg = importedPackage(operand, imports);
        if (pkg) {
          if (pkg === "time") return undefined; // time.Sleep, time.Duration: jitter
          if (CARRYING_FUNCTIONS[pkg]?.has(method) || (pkg === "fmt" && method === "Fprintf")) {
            if (pkg === "fmt" && method === "Fprintf") return index > 0 ? targetVerdict(unaryOperand(args[0]), call, depth, seen) : undefined;
            return judge(call, depth, seen);
          }
          if (imports.byLocalName(operand?.text ?? "")?.library === "mathrand") return undefined; // rand.Shuffle(n, swap)
        }
        if (CARRYING_METHODS.has(method)) return judge(call, depth, seen);
        if (WRITER_METHODS.has(method) && operand?.type === "identifier" && !pkg) return targetVerdict(operand, call, depth, seen);
        // Redis: the key or value of a credential key.
        const rc = method in REDIS_KEY_WRITES || /^Set(?:Ex|EX|NX|XX)$/u.test(method) ? redisCall(call) : undefined;
        if (rc && index >= 1 && rc.args[1]) {
          const facts = keyFacts(rc.args[1]);
          if (keyCredential(facts, extra)) return { kind: "credential", what: `the value stored under the Redis key ${describeKey(rc.args[1], facts, text)}` };
          return { kind: "unknown" };
        }
        // gin: c.SetCookie("session_id", value, ...)
        const t = operand ? typeOf(operand) : undefined;
        const setter = t ? COOKIE_SETTERS[t]?.[method] : undefined;
        if (setter && index === setter.value) {
          const name = constValue(args[setter.name]);
          if (typeof name === "string" && isCredentialCookie(name)) return { kind: "credential", what: `the \`${name}\` cookie` };
        }
      }
      // A function of the module: the parameter's name says what it receives.
      if (shallow) return { kind: "unknown" };
      const callee = calledFunction(call);
      const param = callee?.fact.params[index]?.name;
      if (param && cred(param)) return { kind: "credential", what: `the \`${param}\` argument of \`${callee!.fact.name}\`` };
      return { kind: "unknown" };
    }

    /** math/rand's Read filled `buf`: where does the buffer go? */
    function filledVerdict(buf: GoNode, call: GoNode, depth: number, seen: Set<GoNode>): Verdict {
      const b = unaryOperand(buf);
      const target = b?.type === "slice_expression" ? unparen(field(b, "operand")) : b;
      return targetVerdict(target, call, depth, seen);
    }

    /** Falls back on the name of the function it is written in (`generateOTP`, `NewSessionID`). */
    function enclosingName(node: GoNode): string | undefined {
      for (let f = enclosingFunction(node); f; f = enclosingFunction(f)) {
        if (f.type !== "func_literal") return field(f, "name")?.text;
      }
      return undefined;
    }

    /** `generateOTP`, `sendVerificationCode`, `newSessionID`: a verb that makes or sends a credential (not `resolveToken`). */
    const producesCredential = (name: string | undefined) =>
      !!name && credFunction(name) && !benignName(name) && PRODUCING_VERBS.has(keyWords(name)[0] ?? "");

    const reportedLines = new Set<number>();
    const identifierIndex = new WeakMap<GoNode, Map<string, GoNode[]>>();
    /** While judging a call that might be a helper: no loading of other packages for parameter names. */
    let shallow = false;

    return {
      call_expression(call) {
        const direct = directSource(call, src);
        let v: Verdict;
        let source: Source | undefined = direct;
        if (direct) v = direct.filled ? filledVerdict(direct.filled, call, 0, new Set()) : judge(call, 0, new Set());
        else {
          // Any other call might be a helper returning math/rand output. Where its value goes is
          // cheap to tell; whether it is such a helper may load other packages: ask only when it matters.
          const fn = unparen(field(call, "function"));
          if (fn?.type !== "identifier" && fn?.type !== "selector_expression") return;
          shallow = true;
          try {
            v = judge(call, 0, new Set());
          } finally {
            shallow = false;
          }
          if (v?.kind === "returned" || !v || (v.kind === "unknown" && !producesCredential(enclosingName(call)))) return;
          source = helperSource(call, 0, src);
          if (!source) return;
          if (v.kind === "unknown") v = judge(call, 0, new Set());
        }
        if (!source) return;
        if (v?.kind === "unknown") {
          // Handed to something goward does not follow, inside `sendVerificationCode()`: the name says enough.
          const name = enclosingName(call);
          if (producesCredential(name)) v = { kind: "credential", what: `the value built in \`${name}\`` };
        }
        if (v?.kind !== "credential") return;
        if (reportedLines.has(call.loc.start.line)) return;
        reportedLines.add(call.loc.start.line);
        const what = v.what.charAt(0).toUpperCase() + v.what.slice(1);
        if (source.helper) {
          const h = source as Source & { inner: string };
          context.report({ node: call, messageId: "weakHelper", data: { what, source: `${source.describe}()`, inner: h.inner, helper: source.helper } });
          return;
        }
        const suggest = source.filled ? cryptoReadSuggestion(call) : undefined;
        context.report({ node: call, messageId: "weak", data: { what, source: source.describe }, ...(suggest ? { suggest: [suggest] as never } : {}) });
      },
    };

    /** math/rand used for nothing but `Read` in this file: importing crypto/rand instead is a drop-in change. */
    function cryptoReadSuggestion(call: GoNode) {
      const fn = unparen(field(call, "function"));
      const operand = fn?.type === "selector_expression" ? field(fn, "operand") : undefined;
      const local = operand?.text;
      if (!local || !isMathRandOperand(operand)) return undefined;
      const root = rootOf(call);
      const entry = importsOf(root).byLocalName(local);
      if (!entry || entry.path !== "math/rand") return undefined;
      let onlyRead = true;
      walk(root, (n) => {
        if (!onlyRead) return false;
        if (n.type === "selector_expression" && field(n, "operand")?.text === local && importedPackage(field(n, "operand"), importsOf(root))) {
          if (field(n, "field")?.text !== "Read") onlyRead = false;
        }
        return true;
      });
      const pathNode = field(entry.node, "path");
      if (!onlyRead || !pathNode) return undefined;
      return { messageId: "useCryptoRead" as const, fix: (fixer: { replaceTextRange(r: [number, number], t: string): unknown }) => fixer.replaceTextRange(pathNode.range, '"crypto/rand"') };
    }
  },
});

function unaryOperand(n: GoNode | undefined): GoNode | undefined {
  const e = unparen(n);
  return e?.type === "unary_expression" && field(e, "operator")?.text === "&" ? unparen(field(e, "operand")) : e;
}

/** Cookie names that carry a credential: session ids, auth and CSRF tokens, remember-me. */
function isCredentialCookie(name: string): boolean {
  const ws = keyWords(name);
  return !!credentialName(name) || ws.some((w) => ["auth", "remember", "login", "sid", "sessid", "jsessionid", "phpsessid"].includes(w));
}

function sourceOf(n: GoNode): string {
  const out: string[] = [];
  const visit = (x: GoNode) => {
    if (x.children.length === 0) out.push(x.text ?? "");
    else for (const c of x.children) visit(c);
  };
  visit(n);
  return out.join(".");
}
