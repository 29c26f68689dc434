/**
 * no-fatal-outside-main (CWE-705): `log.Fatal`, `os.Exit` and the Fatal methods of the common
 * loggers end the process on the spot. In a library package (a handler, a repository, a config
 * loader) that takes the decision away from main: deferred calls do not run, in-flight requests
 * are cut, logs are not flushed, and callers (and tests) cannot handle the failure.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, isFunctionLike, rootOf, unparen } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { EXIT_FUNCTIONS, EXIT_METHODS, type ExitKind } from "../src/semantic/library.js";
import { packageNameOf } from "../src/semantic/package.js";
import { importedPackage, typeOf } from "../src/semantic/types.js";

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
        const exit = exitCall(call, context.sourceCode.text);
        if (!exit) return;
        const top = outermostFunction(call);
        const topName = top && top.type === "function_declaration" ? field(top, "name")?.text : undefined;
        if (topName === "TestMain") return;
        if (opts.allowInit && topName === "init" && enclosingFunction(call)) return;
        context.report({ node: call, messageId: exit.kind, data: { callee: exit.callee, pkg } });
      },
    };
  },
});
