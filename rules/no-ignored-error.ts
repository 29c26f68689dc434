/**
 * no-ignored-error (CWE-391): an error thrown away where it decides what happens next. A dropped
 * unmarshal or bind error lets a half-filled struct through as valid input; a dropped parse error
 * turns "abc" into id 0; a dropped verification error makes a failed check look like success; a
 * dropped commit, DB or Redis error reports a write that did not happen; a dropped startup error
 * leaves a server that never listened.
 */
import { anyWord, createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { field, fieldAll, rootOf, unparen } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import {
  ERROR_FUNCTIONS, ERROR_METHODS, GORM_FINISHERS, REDIS_CLIENT_TYPES, REDIS_WRITE_COMMANDS, type ErrorKind,
} from "../src/semantic/library.js";
import { importedPackage, typeOf } from "../src/semantic/types.js";
import { constValue } from "../src/semantic/values.js";

type Options = [{ allow?: string[] }];

interface Dropped {
  kind: ErrorKind;
  /** How the call is written, for messages: `json.Unmarshal`, `c.BodyParser`, `tx.Commit`. */
  callee: string;
  /** Names the allow-list is matched against: `Close`, `json.Unmarshal`, `sql.Tx.Commit`. */
  keys: string[];
  node: GoNode;
}

/** Source text of a node (only leaves carry `text`): set per file in create(). */
let sourceText = "";
const short = (node: GoNode | undefined) => {
  const text = node ? sourceText.slice(node.range[0], node.range[1]) : "";
  return text && text.length <= 32 && !text.includes("\n") ? text : "…";
};

/** Every name the tables know: calls with other names are skipped before any type inference (hot path). */
const KNOWN_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(ERROR_FUNCTIONS).flatMap((m) => Object.keys(m ?? {})),
  ...Object.values(ERROR_METHODS).flatMap((m) => Object.keys(m)),
  ...GORM_FINISHERS, ...REDIS_WRITE_COMMANDS, "Commit", "Err", "Result", "Error",
]);

/** What kind of error a call returns (as its last result), from the library table. */
function classifyCall(call: GoNode): Dropped | undefined {
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const name = field(fn, "field")?.text;
  if (!operand || !name || !KNOWN_NAMES.has(name)) return undefined;
  const imports = importsOf(rootOf(call));
  if (importedPackage(operand, imports)) {
    const lib = imports.library(operand.text ?? "");
    const kind = lib ? ERROR_FUNCTIONS[lib]?.[name] : undefined;
    return kind ? { kind, callee: `${short(operand)}.${name}`, keys: [name, `${operand.text}.${name}`, `${lib}.${name}`], node: call } : undefined;
  }
  const t = typeOf(operand);
  if (!t) return undefined;
  const kind = ERROR_METHODS[t]?.[name];
  return kind ? { kind, callee: `${short(operand)}.${name}`, keys: [name, `${t}.${name}`], node: call } : undefined;
}

/** A redis command call (`rdb.Get(ctx, k)`): the receiver is a go-redis client, pipeline or tx. */
function redisCommand(expr: GoNode | undefined): { name: string; receiver: string } | undefined {
  const call = unparen(expr);
  if (call?.type !== "call_expression") return undefined;
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const t = typeOf(field(fn, "operand"));
  const name = field(fn, "field")?.text;
  return t && name && REDIS_CLIENT_TYPES.has(t) ? { name, receiver: short(field(fn, "operand")) } : undefined;
}

/**
 * An expression whose value IS an error: a call classified above, GORM's `chain.Error`, or the
 * `.Err()` of a Redis command.
 */
function errorValue(expr: GoNode | undefined): Dropped | undefined {
  const e = unparen(expr);
  if (!e) return undefined;
  if (e.type === "call_expression") {
    const direct = classifyCall(e);
    if (direct) return direct;
    const fn = unparen(field(e, "function"));
    if (fn?.type === "selector_expression" && field(fn, "field")?.text === "Err") {
      const cmd = redisCommand(field(fn, "operand"));
      if (cmd) return { kind: "redis", callee: `${cmd.receiver}.${cmd.name}`, keys: [cmd.name, `redis.${cmd.name}`], node: e };
    }
    return undefined;
  }
  if (e.type === "selector_expression" && field(e, "field")?.text === "Error") {
    const chain = unparen(field(e, "operand"));
    const last = gormFinisher(chain);
    if (last) return { kind: last === "Commit" || last === "Transaction" ? "commit" : "db", callee: `GORM ${last}`, keys: [last, `gorm.DB.${last}`], node: chain! };
  }
  return undefined;
}

/** The finisher name when `expr` is a GORM chain ending in one (`db.Where(...).Delete(&u)`). */
function gormFinisher(expr: GoNode | undefined): string | undefined {
  const call = unparen(expr);
  if (call?.type !== "call_expression") return undefined;
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const name = field(fn, "field")?.text;
  if (!name || !(GORM_FINISHERS.has(name) || name === "Commit")) return undefined;
  return typeOf(field(fn, "operand")) === "gorm.DB" ? name : undefined;
}

/** The call a multi-value assignment takes its values from, when its last result is an error. */
function multiValueSource(expr: GoNode | undefined): Dropped | undefined {
  const e = unparen(expr);
  if (e?.type !== "call_expression") return undefined;
  const direct = classifyCall(e);
  if (direct) return direct;
  // `v, _ := rdb.Get(ctx, k).Result()`
  const fn = unparen(field(e, "function"));
  if (fn?.type === "selector_expression" && field(fn, "field")?.text === "Result") {
    const cmd = redisCommand(field(fn, "operand"));
    if (cmd) return { kind: "redis", callee: `${cmd.receiver}.${cmd.name}`, keys: [cmd.name, `redis.${cmd.name}`], node: e };
  }
  return undefined;
}

/** A call in statement position whose error result is dropped with it. */
function statementCall(expr: GoNode | undefined): Dropped | undefined {
  const e = unparen(expr);
  if (e?.type !== "call_expression") return undefined;
  const fn = unparen(field(e, "function"));
  if (fn?.type !== "selector_expression" || !KNOWN_NAMES.has(field(fn, "field")?.text ?? "")) return undefined;
  const direct = classifyCall(e);
  if (direct) return direct;
  const gorm = gormFinisher(e);
  if (gorm && gorm !== "Row" && gorm !== "Rows" && gorm !== "FindInBatches") {
    return { kind: gorm === "Commit" || gorm === "Transaction" ? "commit" : "db", callee: `GORM ${gorm}`, keys: [gorm, `gorm.DB.${gorm}`], node: e };
  }
  const cmd = redisCommand(e);
  if (cmd && REDIS_WRITE_COMMANDS.has(cmd.name)) return { kind: "redis", callee: `${cmd.receiver}.${cmd.name}`, keys: [cmd.name, `redis.${cmd.name}`], node: e };
  return undefined;
}

const isBlank = (n: GoNode | undefined) => n?.type === "identifier" && n.text === "_";

/** A format of numeric verbs only (`"%.2f"`, `"%d"`): its output always parses as a number. */
const NUMERIC_FORMAT = /^(?:%[-+ 0#]*\d*(?:\.\d+)?[dfFgGeExXbo])+$/u;

/**
 * A parse that cannot fail at run time: every argument is a constant (deterministic: a test
 * catches it), or the input is a number just formatted (`fmt.Sprintf("%.2f", x)`,
 * `strconv.Itoa(n)`).
 */
function cannotFail(d: Dropped): boolean {
  if (d.kind !== "parse" && d.kind !== "auth" && d.kind !== "decode") return false;
  const args = field(d.node, "arguments")?.children ?? [];
  // Pure computations on constants only: the result is the same on every run, so dropping it
  // is a decision, not a missed failure (a bcrypt compare against a fixed hash that only
  // equalises the timing of "unknown user" and "wrong password").
  if (args.length && args.every(constantExpr)) return true;
  if (d.kind !== "parse") return false;
  const input = unparen(args[0]);
  if (input?.type !== "call_expression") return false;
  const fn = unparen(field(input, "function"));
  if (fn?.type !== "selector_expression") return false;
  const lib = importsOf(rootOf(input)).library(field(fn, "operand")?.text ?? "");
  const name = field(fn, "field")?.text;
  if (lib === "strconv" && (name === "Itoa" || name === "FormatInt" || name === "FormatUint" || name === "FormatFloat")) return true;
  if (lib === "fmt" && name === "Sprintf") {
    const format = constValue(field(input, "arguments")?.children[0]);
    return typeof format === "string" && NUMERIC_FORMAT.test(format);
  }
  return false;
}

/** A constant expression, also through conversions: `"x"`, a package constant, `[]byte(constHash)`. */
function constantExpr(expr: GoNode | undefined): boolean {
  const e = unparen(expr);
  if (!e) return false;
  if (constValue(e) !== undefined) return true;
  if (e.type === "type_conversion_expression") return constantExpr(field(e, "operand") ?? e.children[e.children.length - 1]);
  return false;
}

export default createRule<Options, ErrorKind>({
  name: "no-ignored-error",
  // Sound: every report is a call named in KNOWN_NAMES (a `.Error` of a GORM chain also needs its finisher, so
  // `Error` itself, in every `err.Error()`, is left out).
  prefilter: anyWord([...KNOWN_NAMES].filter((n) => n !== "Error")),
  meta: {
    type: "problem",
    docs: {
      description: "Errors of calls that decide what happens next (decode, bind, parse, verify, DB, Redis, commit, start-up) must not be discarded",
      recommended: "warn",
      security: {
        cwe: [391, 252],
        securitySeverity: 4.3,
        precision: "high",
        frameworks: ["encoding/json", "strconv", "golang-jwt", "bcrypt", "fiber", "gin", "echo", "net/http", "database/sql", "sqlx", "pgx", "gorm", "go-redis"],
        tags: ["error-handling"],
      },
    },
    messages: {
      decode:
        "The error of `{{callee}}` is discarded: malformed input leaves the target half-filled or zero and the code goes on as if it were valid. Handle it (answer 400 for request input).",
      bind:
        "The error of `{{callee}}` is discarded: a malformed or wrongly typed request body is processed as zero values and binding validation is skipped. Answer 400 when it fails.",
      parse:
        "The error of `{{callee}}` is discarded: a malformed value silently becomes the zero value (id 0, page 0, the zero time) and is used as if the client had sent it. Handle the error or default explicitly.",
      auth:
        "The error of `{{callee}}` is discarded: a failed verification (bad signature, expired token, wrong password) goes unnoticed and can be treated as success. Check the error before trusting the result.",
      db: "The error of `{{callee}}` is discarded: a failed query or write goes unnoticed and the caller reports success (or serves an empty result). Return or handle the error.",
      commit:
        "The error of `{{callee}}` is discarded: a failed commit looks like success while nothing was saved. Return the error.",
      redis:
        "The error of the Redis command `{{callee}}` is discarded: a write that did not happen (a ticket not stored, a revocation not recorded) or a connection error read as a missing key goes unnoticed. Check `.Err()` (and tell `redis.Nil` apart).",
      startup:
        "The error of `{{callee}}` is discarded: when the listener cannot start (port in use, bad certificate) the failure is lost and the service silently does not serve. Handle it (log and exit in main).",
    },
    schema: [
      {
        type: "object",
        properties: {
          allow: {
            type: "array",
            items: { type: "string" },
            description: "Calls whose errors may be dropped: a method or function name (`Rollback`), `pkg.Func` (`strconv.Atoi`) or `Type.Method` (`sql.Tx.Commit`).",
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ allow: ["Close", "Rollback", "Sync", "Write", "Flush"] }],
  create(context) {
    sourceText = context.sourceCode.text;
    const allow = new Set(context.options[0]?.allow ?? ["Close", "Rollback", "Sync", "Write", "Flush"]);
    const report = (d: Dropped | undefined) => {
      if (!d || d.keys.some((k) => allow.has(k)) || cannotFail(d)) return;
      context.report({ node: d.node, messageId: d.kind, data: { callee: d.callee } });
    };
    const checkAssignment = (left: GoNode[], right: GoNode[]) => {
      if (left.length === right.length) {
        left.forEach((l, i) => {
          if (isBlank(l)) report(errorValue(right[i]));
        });
      } else if (right.length === 1 && left.length > 1 && isBlank(left[left.length - 1])) {
        report(multiValueSource(right[0]));
      }
    };
    const list = (n: GoNode | undefined) => (!n ? [] : n.type === "expression_list" ? n.children : [n]);
    return {
      assignment_statement(stmt) {
        if (field(stmt, "operator")?.text !== "=") return;
        checkAssignment(list(field(stmt, "left")), list(field(stmt, "right")));
      },
      short_var_declaration(stmt) {
        checkAssignment(list(field(stmt, "left")), list(field(stmt, "right")));
      },
      var_spec(spec) {
        const values = list(field(spec, "value"));
        if (values.length) checkAssignment(fieldAll(spec, "name"), values);
      },
      expression_statement(stmt) {
        report(statementCall(stmt.children[0]));
      },
      go_statement(stmt) {
        report(statementCall(stmt.children[0]));
      },
      defer_statement(stmt) {
        report(statementCall(stmt.children[0]));
      },
    };
  },
});
