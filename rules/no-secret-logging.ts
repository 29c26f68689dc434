/**
 * no-secret-logging (CWE-532): credentials (Authorization/Cookie/API-key headers, bearer tokens,
 * JWTs, passwords, secrets, DSNs with passwords) written to logs.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { field, rootOf, unparen } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import {
  LOG_FIELD_CONSTRUCTORS,
  LOG_FUNCTIONS,
  LOG_METHODS,
  LOGRUS_FIELD_METHODS,
  ZEROLOG_FIELD_METHODS,
  type SinkKind,
} from "../src/semantic/library.js";
import { isSanitizedCall, isSecretName, secretIn, type SecretSource } from "../src/semantic/secrets.js";
import { importedPackage, typeOf } from "../src/semantic/types.js";
import { constValue } from "../src/semantic/values.js";

const CUSTOM_LOGGER = /^(?:log|logger|lg|l|zlog|zl|slog|sugar|sugared|lgr|audit|auditlog)$|(?:Logger|Log|logger)$/u;
const CUSTOM_METHOD = /^(?:Debug|Info|Warn|Warning|Error|Fatal|Panic|Trace|Print|Log)(?:f|w|ln)?$/u;

const LOG_METHOD_NAMES: ReadonlySet<string> = new Set(Object.values(LOG_METHODS).flatMap((m) => Object.keys(m)));

interface Sink {
  kind: SinkKind;
  describe: string;
  /** Values that end up in the log line. */
  values: GoNode[];
  /** Key/value pairs whose key names a secret (`zap.String("token", t)`). */
  keyed: Array<{ key: string; value: GoNode }>;
}

/** Library TypeRefs look like "zap.Logger"; the project's own look like "pkg.X" or "example.com/app/log.X". */
function isLibraryType(t: string): boolean {
  return !t.startsWith("pkg.") && !t.includes("/") && !t.startsWith("builtin.");
}

function lastName(n: GoNode | undefined): string | undefined {
  const e = unparen(n);
  if (!e) return undefined;
  if (e.type === "identifier") return e.text;
  if (e.type === "selector_expression") return field(e, "field")?.text;
  return undefined;
}

/** Arguments of a sink that are logged, by kind. */
function valuesOf(kind: SinkKind, args: GoNode[]): { values: GoNode[]; keyed: Sink["keyed"] } {
  if (kind === "print" || kind === "printf") return { values: args, keyed: [] };
  // structured: message, then key/value pairs or field constructors.
  const values: GoNode[] = [args[0]].filter(Boolean);
  const keyed: Sink["keyed"] = [];
  const rest = args.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const key = constValue(rest[i]);
    if (typeof key === "string" && i + 1 < rest.length) {
      keyed.push({ key, value: rest[i + 1] });
      values.push(rest[i + 1]);
      i++;
    } else values.push(rest[i]);
  }
  return { values, keyed };
}

/** Field constructors among the arguments (`zap.String("k", v)`, `slog.Any("k", v)`). */
function fieldConstructors(args: GoNode[], sink: Sink): void {
  for (const a of args) {
    const c = unparen(a);
    if (c?.type !== "call_expression") continue;
    const fn = unparen(field(c, "function"));
    if (fn?.type !== "selector_expression") continue;
    const pkg = field(fn, "operand");
    const imports = importsOf(rootOf(c));
    const lib = importedPackage(pkg, imports) ? imports.byLocalName(pkg!.text!)?.library : undefined;
    if (!lib || !LOG_FIELD_CONSTRUCTORS[lib]?.has(field(fn, "field")?.text ?? "")) continue;
    const fargs = field(c, "arguments")?.children ?? [];
    const key = constValue(fargs[0]);
    if (fargs[1]) {
      sink.values.push(fargs[1]);
      if (typeof key === "string") sink.keyed.push({ key, value: fargs[1] });
    }
  }
}

/** zerolog `.Str("k", v)` and logrus `.WithField("k", v)` fields earlier in the chain. */
function chainFields(operand: GoNode | undefined, sink: Sink): void {
  let e = unparen(operand);
  for (let i = 0; e?.type === "call_expression" && i < 30; i++) {
    const fn = unparen(field(e, "function"));
    if (fn?.type !== "selector_expression") return;
    const m = field(fn, "field")?.text ?? "";
    const args = field(e, "arguments")?.children ?? [];
    if (ZEROLOG_FIELD_METHODS.has(m) || m === "WithField") {
      const key = constValue(args[0]);
      if (args[1]) {
        sink.values.push(args[1]);
        if (typeof key === "string") sink.keyed.push({ key, value: args[1] });
      }
    } else if (m === "WithFields" && args[0]) {
      const lit = unparen(args[0]);
      for (const el of field(lit, "body")?.children ?? []) {
        if (el.type !== "keyed_element") continue;
        const key = constValue(el.children[0]?.children[0]);
        const value = el.children[1]?.children[0];
        if (value) {
          sink.values.push(value);
          if (typeof key === "string") sink.keyed.push({ key, value });
        }
      }
    }
    e = unparen(field(fn, "operand"));
  }
}

function sinkOf(call: GoNode): Sink | undefined {
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const name = field(fn, "field")?.text ?? "";
  const args = field(call, "arguments")?.children ?? [];
  const root = rootOf(call);
  const imports = importsOf(root);
  let kind: SinkKind | undefined;
  let describe = "";
  let logged = args;
  const pkgPath = importedPackage(operand, imports);
  if (pkgPath) {
    const lib = imports.byLocalName(operand!.text!)?.library;
    if (lib === "fmt" && /^Fprint(?:f|ln)?$/u.test(name)) {
      const w = unparen(args[0]);
      const target = w?.type === "selector_expression" && importedPackage(field(w, "operand"), imports) === "os" ? field(w, "field")?.text : undefined;
      if (target !== "Stdout" && target !== "Stderr") return undefined;
      kind = name === "Fprintf" ? "printf" : "print";
      logged = args.slice(1);
    } else kind = lib ? LOG_FUNCTIONS[lib]?.[name] : undefined;
    describe = `${operand!.text}.${name}`;
  } else {
    // Cheap name check first: typing a receiver may load other packages.
    if (!LOG_METHOD_NAMES.has(name) && !CUSTOM_METHOD.test(name)) return undefined;
    const t = typeOf(operand);
    if (t && LOG_METHODS[t]) kind = LOG_METHODS[t][name];
    else if ((!t || !isLibraryType(t)) && CUSTOM_METHOD.test(name) && (CUSTOM_LOGGER.test(lastName(operand) ?? "") || /Logger$/u.test(t ?? ""))) {
      // A project's own logger (its type, if known, is declared in the project).
      kind = name.endsWith("f") ? "printf" : name.endsWith("w") ? "structured" : "print";
    }
    describe = `${lastName(operand) ?? "logger"}.${name}`;
  }
  if (!kind) return undefined;
  const { values, keyed } = valuesOf(kind, logged);
  const sink: Sink = { kind, describe, values, keyed };
  fieldConstructors(logged, sink);
  chainFields(operand, sink);
  return sink;
}

export default createRule<[], "secretLogged">({
  name: "no-secret-logging",
  // Sound: every report is a log sink call, and every sink name (LOG_FUNCTIONS, LOG_METHODS, fmt.Fprint*, a custom
  // logger's Debug/Info/Warn/Error/Fatal/Panic/Trace/Print/Log) starts with one of these words.
  prefilter: /\b(?:Print|Fatal|Panic|Debug|Info|Warn|Error|Trace|DPanic|Log|Msg|Send|Fprint)/u,
  meta: {
    type: "problem",
    docs: {
      description: "Credentials (Authorization and Cookie headers, tokens, JWTs, passwords, secrets, DSNs) must not reach log sinks",
      recommended: "error",
      security: {
        cwe: [532],
        securitySeverity: 6.5,
        precision: "high",
        frameworks: ["log", "log/slog", "fmt", "zap", "zerolog", "logrus", "fiber log", "fiber", "gin", "echo", "net/http"],
        tags: ["secrets", "logging", "privacy"],
      },
    },
    messages: {
      secretLogged:
        "{{source}} ({{where}}) is written to the log by `{{sink}}`: everyone and everything that can read the logs can replay it. Log a masked form, a hash or nothing instead.",
    },
    schema: [],
  },
  create(context) {
    return {
      call_expression(call) {
        const sink = sinkOf(call);
        if (!sink) return;
        let found: SecretSource | undefined;
        for (const v of sink.values) {
          found = secretIn(v);
          if (found) break;
        }
        if (!found) {
          for (const { key, value } of sink.keyed) {
            const cv = constValue(value);
            if (isSecretName(key) && cv === undefined && !isSanitized(value)) {
              found = { describe: `the value logged as "${key}"`, at: value };
              break;
            }
          }
        }
        if (!found) return;
        const line = found.at.loc.start.line;
        context.report({
          node: call,
          messageId: "secretLogged",
          data: {
            source: capitalise(found.describe),
            where: line === call.loc.start.line ? "read here" : `read on line ${line}`,
            sink: sink.describe,
          },
        });
      },
    };
  },
});

function capitalise(s: string): string {
  return s.startsWith("`") ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

/** `len(x)`, `mask(x)`, a boolean or number: a keyed value that cannot hold the secret itself. */
function isSanitized(value: GoNode): boolean {
  const v = unparen(value);
  if (!v || isSanitizedCall(v)) return true;
  if (v.type === "binary_expression" && ["==", "!=", "<", ">", "&&", "||"].includes(field(v, "operator")?.text ?? "")) return true;
  const t = typeOf(v);
  return !!t && /^builtin\.(?:bool|u?int\d*|float\d+)$/u.test(t);
}
