/**
 * no-fatal-outside-main (CWE-705): `log.Fatal`, `os.Exit` and the Fatal methods of the common
 * loggers end the process on the spot. In a library package (a handler, a repository, a config
 * loader) that takes the decision away from main: deferred calls do not run, in-flight requests
 * are cut, logs are not flushed, and callers (and tests) cannot handle the failure.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, isFunctionLike, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { EXIT_FUNCTIONS, EXIT_METHODS, type ExitKind } from "../src/semantic/library.js";
import { importedModel, ownerOf, packageNameOf, packageOf, type FuncFact } from "../src/semantic/package.js";
import { importedPackage, resolveLocal, typeOf } from "../src/semantic/types.js";

type Options = [{ allowPackages?: string[]; allowInit?: boolean }];

/** What the call does, when it ends the process: the kind and how it is written. */
const EXIT_METHOD_NAMES = new Set(Object.values(EXIT_METHODS).flatMap((m) => Object.keys(m)));

export function exitCall(call: GoNode, text: string): { kind: ExitKind; callee: string } | undefined {
  const fn = unparen(field(call, "function"));
  if (fn?.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const name = field(fn, "field")?.text;
  if (!operand || !name) return undefined;
  const imports = importsOf(rootOf(call));
  if (importedPackage(operand, imports)) {
    const lib = imports.library(operand.text ?? "");
    const kind = lib ? EXIT_FUNCTIONS[lib]?.[name] : undefined;
    return kind ? { kind, callee: `${operand.text}.${name}` } : undefined; // a package name is a leaf
  }
  // The method name first: typing the operand is the costly part, and few names can end the process.
  if (!EXIT_METHOD_NAMES.has(name)) return undefined;
  const t = typeOf(operand);
  const kind = t ? EXIT_METHODS[t]?.[name] : undefined;
  const written = text.slice(operand.range[0], operand.range[1]);
  return kind ? { kind, callee: `${written.length <= 40 && !written.includes("\n") ? written : t}.${name}` } : undefined;
}

/** A wrapper's name: `Fatal`, `Fatalf`, `Panicln`, `Exit`, `ExitWithError` (a lowercase `fatal` helper is still reported inside). */
const WRAPPER_NAME = /^(?:Fatal|Panic|Exit)/u;

/** The function or method of the module a call goes to (same package, imported package, method of a module type). */
function moduleCallee(call: GoNode): FuncFact | undefined {
  const fn = unparen(field(call, "function"));
  const root = rootOf(call);
  if (fn?.type === "identifier") return resolveLocal(fn) ? undefined : packageOf(root).funcs.get(fn.text ?? "");
  if (fn?.type !== "selector_expression") return undefined;
  const operand = field(fn, "operand");
  const name = field(fn, "field")?.text ?? "";
  const pkg = importedPackage(operand, importsOf(root));
  if (pkg) return importedModel(root, pkg)?.funcs.get(name);
  const t = typeOf(operand);
  const owner = t ? ownerOf(root, t) : undefined;
  return owner?.model.method(owner.local, name);
}

const wrapperKinds = new WeakMap<GoNode, ExitKind | null>();

/**
 * A call of the module's own process-ending wrapper (`logging.Fatal(err)` where
 * `func Fatal(v ...any) { logger.Fatalln(v) }`): what the wrapper ends the process with. The
 * wrapper itself is not reported (its name says it ends the process); its callers are.
 */
export function wrapperExit(call: GoNode, depth = 0): ExitKind | undefined {
  const fn = unparen(field(call, "function"));
  const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : fn?.text;
  if (!name || !WRAPPER_NAME.test(name) || depth > 3) return undefined;
  const callee = moduleCallee(call);
  if (!callee) return undefined;
  const body = field(callee.node, "body");
  if (!body) return undefined;
  const cached = wrapperKinds.get(body);
  if (cached !== undefined) return cached ?? undefined;
  wrapperKinds.set(body, null);
  let kind: ExitKind | undefined;
  walk(body, (n) => {
    if (kind) return false;
    if (n.type === "call_expression") kind = exitCall(n, "")?.kind ?? wrapperExit(n, depth + 1);
    return !kind;
  });
  wrapperKinds.set(body, kind ?? null);
  return kind;
}

function snippet(text: string): string {
  const one = text.replace(/\s+/gu, " ");
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

/** The top-level function declaration that contains `node` (through closures). */
function outermostFunction(node: GoNode): GoNode | undefined {
  let fn: GoNode | undefined;
  for (let p = node.parent; p; p = p.parent) if (isFunctionLike(p)) fn = p;
  return fn;
}

export default createRule<Options, "exit" | "fatal" | "panic">({
  name: "no-fatal-outside-main",
  // Sound: every report is a selector call named Exit, Fatal* or Panic* (EXIT_FUNCTIONS / EXIT_METHODS).
  prefilter: /\b(?:Exit|Fatal|Panic)/u,
  meta: {
    type: "problem",
    docs: {
      description: "Only package main may end the process (log.Fatal, os.Exit, logger Fatal methods, log.Panic)",
      recommended: "warn",
      security: {
        cwe: [705],
        securitySeverity: 3.7,
        precision: "very-high",
        frameworks: ["log", "os", "zap", "zerolog", "logrus", "fiber log"],
        tags: ["error-handling", "availability"],
      },
    },
    messages: {
      exit:
        "`{{callee}}` in package `{{pkg}}` ends the process here: deferred calls do not run (transactions, file flushes, graceful shutdown), in-flight requests are cut and the caller cannot handle the failure. Return an error and let main decide.",
      fatal:
        "`{{callee}}` in package `{{pkg}}` logs and then calls os.Exit(1): deferred calls do not run (transactions, file flushes, graceful shutdown), in-flight requests are cut and the caller cannot handle the failure. Return an error and let main decide.",
      panic:
        "`{{callee}}` in package `{{pkg}}` logs and panics: unless every caller recovers, one bad input or failed dependency crashes the whole server. Return an error instead.",
    },
    schema: [
      {
        type: "object",
        properties: {
          allowPackages: { type: "array", items: { type: "string" }, description: "Package names where ending the process is accepted besides main (default: cmd, the cobra convention)." },
          allowInit: { type: "boolean", description: "Accept these calls inside init() functions." },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ allowPackages: ["cmd"], allowInit: false }],
  create(context) {
    const opts = { allowPackages: ["cmd"], allowInit: false, ...(context.options[0] ?? {}) };
    const filename = context.physicalFilename ?? context.filename;
    // Tests may stop on failure; `go test` binaries are their own main.
    if (/_test\.go$/u.test(filename)) return {};
    let pkg: string | undefined;
    return {
      source_file(root) {
        pkg = packageNameOf(root);
      },
      call_expression(call) {
        if (!pkg || pkg === "main" || opts.allowPackages.includes(pkg)) return;
        let exit = exitCall(call, context.sourceCode.text);
        if (!exit) {
          const kind = wrapperExit(call);
          const fn = unparen(field(call, "function"));
          if (kind && fn) exit = { kind, callee: snippet(context.sourceCode.getText(fn)) };
        }
        if (!exit) return;
        const top = outermostFunction(call);
        const topName = top && top.type === "function_declaration" ? field(top, "name")?.text : undefined;
        if (topName === "TestMain") return;
        // A logging package's own Fatal/Panic/Exit implementation: ending the process is its
        // documented job, and its callers are reported instead.
        const ownName = top && (top.type === "function_declaration" || top.type === "method_declaration") ? field(top, "name")?.text : undefined;
        if (ownName && WRAPPER_NAME.test(ownName)) return;
        if (opts.allowInit && topName === "init" && enclosingFunction(call)) return;
        context.report({ node: call, messageId: exit.kind, data: { callee: exit.callee, pkg } });
      },
    };
  },
});
