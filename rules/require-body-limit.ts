/**
 * require-body-limit (CWE-400/CWE-770): a handler that reads a whole request body (io.ReadAll,
 * json/xml.NewDecoder, gin's GetRawData) with no size limit lets one client send gigabytes and
 * exhaust the server's memory. net/http, chi, gorilla/mux, gin and echo set no limit by default;
 * fiber does (4 MiB), so fiber is only reported when its BodyLimit is raised beyond reason.
 */
import fs from "node:fs";
import path from "node:path";
import { createRule } from "../src/create-rule.js";
import { discover } from "../src/cli/files.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { field, isFunctionLike, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import {
  BODY_BINDERS, BODY_READ_FUNCTIONS, BODY_READ_METHODS, FIBER_BODY_LIMIT, GIN_BODY_BINDINGS, LIBRARY_PATHS, MIDDLEWARE_FUNCTIONS,
} from "../src/semantic/library.js";
import { fileOfRoot, packageCache, packageOf } from "../src/semantic/package.js";
import { importedPackage, parametersOf, resolveLocal, typeOf, type Binding } from "../src/semantic/types.js";
import { constValue, definitionOf, keyedElement, keyedValue } from "../src/semantic/values.js";

type Options = [{ maxBodyLimit?: number; checkBinders?: boolean }];
type MessageIds = "rawRead" | "binder" | "fiberLimit" | "suggestLimit";
type Framework = "net/http" | "gin" | "echo";

const MIB = 1024 * 1024;
export const DEFAULT_MAX_BODY_LIMIT = 64 * MIB;

const FIX: Record<Framework, string> = {
  "net/http":
    "Limit it first: `{{r}}.Body = http.MaxBytesReader({{w}}, {{r}}.Body, 1<<20)` in the handler or in a middleware (or wrap the mux in `http.MaxBytesHandler`).",
  gin: "Register a body-limit middleware (gin-contrib/size `limits.RequestSizeLimiter(1<<20)`, or one that sets `c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)`), or wrap the body where it is read.",
  echo: "Register `e.Use(middleware.BodyLimit(\"1M\"))`, or wrap the body where it is read: `http.MaxBytesReader(c.Response(), c.Request().Body, 1<<20)`.",
};

// ---------------------------------------------------------------------------------------------
// Numbers

const MATH_CONSTS: Record<string, number> = {
  MaxInt: 2 ** 63 - 1, MaxInt64: 2 ** 63 - 1, MaxInt32: 2 ** 31 - 1, MaxInt16: 2 ** 15 - 1, MaxInt8: 127,
  MaxUint: 2 ** 64 - 1, MaxUint64: 2 ** 64 - 1, MaxUint32: 2 ** 32 - 1, MaxUint16: 2 ** 16 - 1, MaxUint8: 255,
};
const CONVERSIONS = new Set(["int", "int32", "int64", "uint", "uint32", "uint64"]);

/** The integer value of a constant expression: literals, `<<`, `*`, `+`, `-`, `/`, consts, `math.MaxInt64`, conversions. */
export function evalNumber(node: GoNode | undefined, depth = 0): number | undefined {
  const e = unparen(node);
  if (!e || depth > 10) return undefined;
  switch (e.type) {
    case "int_literal": {
      const t = (e.text ?? "").replace(/_/gu, "");
      const n = /^0[0-7]+$/u.test(t) ? parseInt(t.slice(1), 8) : Number(t);
      return Number.isFinite(n) ? n : undefined;
    }
    case "float_literal": {
      const n = Number((e.text ?? "").replace(/_/gu, ""));
      return Number.isFinite(n) ? n : undefined;
    }
    case "unary_expression": {
      const op = field(e, "operator")?.text;
      const v = evalNumber(field(e, "operand"), depth + 1);
      return v === undefined ? undefined : op === "-" ? -v : op === "+" ? v : undefined;
    }
    case "binary_expression": {
      const l = evalNumber(field(e, "left"), depth + 1);
      const r = evalNumber(field(e, "right"), depth + 1);
      if (l === undefined || r === undefined) return undefined;
      switch (field(e, "operator")?.text) {
        case "+": return l + r;
        case "-": return l - r;
        case "*": return l * r;
        case "/": return r === 0 ? undefined : Math.trunc(l / r);
        case "<<": return l * 2 ** r;
        case ">>": return Math.floor(l / 2 ** r);
        default: return undefined;
      }
    }
    case "call_expression": {
      const fn = unparen(field(e, "function"));
      const args = field(e, "arguments")?.children ?? [];
      if (fn?.type === "identifier" && CONVERSIONS.has(fn.text ?? "") && !resolveLocal(fn) && args.length === 1) return evalNumber(args[0], depth + 1);
      return undefined;
    }
    case "selector_expression": {
      const operand = field(e, "operand");
      const name = field(e, "field")?.text ?? "";
      const pkg = importedPackage(operand, importsOf(rootOf(e)));
      if (pkg === "math") return MATH_CONSTS[name];
      break;
    }
    default:
      break;
  }
  const c = constValue(e);
  if (typeof c === "number") return c;
  const def = definitionOf(e);
  if (def && def !== e) return evalNumber(def, depth + 1);
  if (e.type === "identifier" && !resolveLocal(e)) {
    const v = packageOf(rootOf(e)).values.get(e.text ?? "");
    if (v?.kind === "const" && v.init) return evalNumber(v.init, depth + 1);
  }
  return undefined;
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 62) return "effectively unlimited";
  for (const [unit, size] of [["GiB", 1024 ** 3], ["MiB", MIB], ["KiB", 1024]] as const) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  }
  return `${n} bytes`;
}

// ---------------------------------------------------------------------------------------------
// The request behind a body read

interface Handler {
  framework: Framework;
  /** The handler function whose parameter carries the request (or the gin/echo context). */
  fn: GoNode;
  /** The parameter: `r`, or the gin/echo context `c`. */
  param: Binding;
  /** Expression of the response writer for a MaxBytesReader suggestion (`w`, `c.Writer`, `c.Response()`). */
  writer?: string;
}

function functionOfParam(b: Binding): GoNode | undefined {
  const list = b.declaration.parent;
  const fn = list?.parent;
  return fn && isFunctionLike(fn) ? fn : undefined;
}

/**
 * The handler parameter that `expr` (the operand of `.Body`, or a gin/echo context) comes from:
 * `r`, `c.Request` (gin), `c.Request()` (echo), or a local holding one of them.
 */
function handlerOf(expr: GoNode | undefined, depth = 0): Handler | undefined {
  const e = unparen(expr);
  if (!e || depth > 5) return undefined;
  if (e.type === "selector_expression" && field(e, "field")?.text === "Request") return handlerOf(field(e, "operand"), depth + 1);
  if (e.type === "call_expression") {
    const fn = unparen(field(e, "function"));
    if (fn?.type === "selector_expression" && field(fn, "field")?.text === "Request" && (field(e, "arguments")?.children.length ?? 0) === 0) {
      return handlerOf(field(fn, "operand"), depth + 1);
    }
    return undefined;
  }
  if (e.type !== "identifier") return undefined;
  const b = resolveLocal(e);
  if (!b) return undefined;
  if (b.kind === "short" || b.kind === "var") {
    // `req := c.Request()`, `r := c.Request`: one value per name.
    return b.values === b.names && b.value ? handlerOf(b.value, depth + 1) : undefined;
  }
  if (b.kind !== "param") return undefined;
  const fn = functionOfParam(b);
  if (!fn) return undefined;
  const t = typeOf(e);
  if (t === "gin.Context") return { framework: "gin", fn, param: b, writer: `${b.name}.Writer` };
  if (t === "echo.Context") return { framework: "echo", fn, param: b, writer: `${b.name}.Response()` };
  if (t === "http.Request") {
    // A net/http handler has the response writer too; a helper that only receives the request
    // may run client-side (signing, retries) or after the caller limited the body.
    const w = parametersOf(fn).find((p) => p.type === "http.ResponseWriter");
    return w ? { framework: "net/http", fn, param: b, writer: w.name } : undefined;
  }
  return undefined;
}

/** `X.Body` of an incoming request (or a local holding it): the operand X. */
function requestBodyOperand(arg: GoNode | undefined, depth = 0): GoNode | undefined {
  const e = unparen(arg);
  if (!e || depth > 3) return undefined;
  if (e.type === "identifier") {
    const b = resolveLocal(e);
    return b && (b.kind === "short" || b.kind === "var") && b.values === b.names && b.value ? requestBodyOperand(b.value, depth + 1) : undefined;
  }
  if (e.type !== "selector_expression" || field(e, "field")?.text !== "Body") return undefined;
  const operand = field(e, "operand");
  return typeOf(operand) === "http.Request" ? operand : undefined;
}

const LIMIT_CALL = /\b(?:MaxBytesReader|LimitReader)\s*\(/u;

/**
 * Is the body limited before `at` inside the handler: an assignment to `<request>.Body` (the
 * usual `r.Body = http.MaxBytesReader(w, r.Body, n)`; any reassignment counts, the body read
 * before it is reported on its own), or a call handing the request to a same-package helper
 * that wraps it.
 */
function limitedBefore(h: Handler, at: GoNode, text: string): boolean {
  const body = field(h.fn, "body");
  if (!body) return false;
  let limited = false;
  const model = packageOf(rootOf(at));
  walk(body, (n) => {
    if (limited || n.range[0] >= at.range[0]) return false;
    if (n.type === "assignment_statement") {
      for (const l of field(n, "left")?.children ?? []) {
        if (l.type === "selector_expression" && field(l, "field")?.text === "Body" && typeOf(field(l, "operand")) === "http.Request") limited = true;
      }
    } else if (n.type === "call_expression") {
      const args = field(n, "arguments")?.children ?? [];
      if (!args.some((a) => unparen(a)?.type === "identifier" && unparen(a)!.text === h.param.name)) return true;
      const fn = unparen(field(n, "function"));
      const name = fn?.type === "identifier" ? fn.text : fn?.type === "selector_expression" ? field(fn, "field")?.text : undefined;
      if (!name) return true;
      const candidates = fn?.type === "identifier" ? [model.funcs.get(name)] : [...model.funcs.values()].filter((f) => f.name === name && f.receiver);
      for (const f of candidates) {
        if (!f) continue;
        const src = f.file.ast === rootOf(at) ? text : packageCache.sourceText(f.file.path);
        if (LIMIT_CALL.test(src.slice(f.node.range[0], f.node.range[1]))) limited = true;
      }
    }
    return !limited;
  });
  return limited;
}

// ---------------------------------------------------------------------------------------------
// Module-wide body-limit middleware

/** Library body-limit middleware (kind "bodylimit" in the middleware table): its import paths and function name. */
const LIBRARY_LIMITS: Array<{ paths: string[]; call: RegExp }> = Object.entries(MIDDLEWARE_FUNCTIONS).flatMap(([lib, fns]) =>
  Object.entries(fns ?? {})
    .filter(([, kind]) => kind === "bodylimit")
    .map(([name]) => ({
      paths: Object.entries(LIBRARY_PATHS).filter(([, id]) => id === lib).map(([p]) => `"${p}"`),
      call: new RegExp(`\\.${name}\\s*\\(`, "u"),
    })),
);
const BODY_WRAP = /\.Body\s*=\s*[^\n]*?\b(?:MaxBytesReader|LimitReader)\s*\(/gu;
const PASSES_ON = /\.ServeHTTP\s*\(|\.Next\s*\(\s*\)|\bnext\s*\(/u;

/**
 * Where the text of one file registers body-limit middleware: a known library middleware
 * (echo BodyLimit, gin-contrib/size, chi RequestSize, http.MaxBytesHandler) or a middleware of
 * its own (a top-level function that wraps `.Body` and passes the request on).
 */
export function bodyLimitMiddlewareIn(text: string): boolean {
  if (LIBRARY_LIMITS.some((l) => l.call.test(text) && l.paths.some((p) => text.includes(p)))) return true;
  for (const m of text.matchAll(BODY_WRAP)) {
    const start = Math.max(0, text.lastIndexOf("\nfunc ", m.index));
    const next = text.indexOf("\nfunc ", m.index);
    if (PASSES_ON.test(text.slice(start, next < 0 ? text.length : next))) return true;
  }
  return false;
}

/** Does the module (or, without go.mod, the directory) of `file` register body-limit middleware anywhere? */
function moduleLimitsBodies(file: string | undefined, ownText: string): boolean {
  if (bodyLimitMiddlewareIn(ownText)) return true;
  if (!file || !path.isAbsolute(file)) return false;
  const dir = path.dirname(file);
  const mod = packageCache.moduleOf(dir);
  const key = `require-body-limit:${mod?.root ?? dir}`;
  const hit = packageCache.derived.get(key) as boolean | undefined;
  if (hit !== undefined) return hit;
  let files: string[] = [];
  try {
    files = mod
      ? discover([mod.root], { cwd: mod.root, tests: false, ignorePatterns: [] }).files
      : fs.readdirSync(dir).filter((f) => f.endsWith(".go") && !f.endsWith("_test.go")).map((f) => path.join(dir, f));
  } catch {
    files = [];
  }
  const found = files.some((f) => {
    const t = packageCache.sourceText(f);
    return /MaxBytes|LimitReader|BodyLimit|RequestSize/u.test(t) && bodyLimitMiddlewareIn(t);
  });
  packageCache.derived.set(key, found);
  return found;
}

const TEST_DIRS = /^(?:tests?|testdata|testutils?|testing|testhelpers?|fixtures|mocks?|fakes?|e2e)$/u;

/**
 * Test code: `_test.go` files, and files under test-only directories of their module (`tests/`,
 * `testutil/`, `fixtures/`, `mocks/`, `e2e/`, ...: fake servers and harnesses).
 */
export function isTestCode(filename: string, cwd?: string): boolean {
  if (/_test\.go$/u.test(filename)) return true;
  if (!path.isAbsolute(filename)) return false;
  const mod = packageCache.moduleOf(path.dirname(filename));
  let segments: string[];
  if (mod) {
    // The module's own directory counts too (etcd's tests/ is a module of its own).
    segments = [path.basename(mod.root), ...path.relative(mod.root, path.dirname(filename)).split(path.sep)];
  } else {
    const rel = cwd ? path.relative(cwd, path.dirname(filename)) : "";
    segments = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep) : [];
  }
  return segments.some((seg) => TEST_DIRS.test(seg));
}

// ---------------------------------------------------------------------------------------------

export default createRule<Options, MessageIds>({
  name: "require-body-limit",
  // Sound: fiber BodyLimit (key or assignment), io/ioutil ReadAll, json/xml NewDecoder, gin GetRawData, or a *Bind*
  // binder (checkBinders).
  prefilter: /BodyLimit|\b(?:ReadAll|NewDecoder|GetRawData)\b|Bind/u,
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Request bodies read whole (io.ReadAll, json.NewDecoder, gin GetRawData) must be size-limited (http.MaxBytesReader, a body-limit middleware); fiber's BodyLimit must stay reasonable",
      recommended: "error",
      security: {
        cwe: [400, 770],
        securitySeverity: 6.5,
        precision: "high",
        frameworks: ["net/http", "chi", "gorilla/mux", "gin", "gin-contrib/size", "echo", "fiber"],
        tags: ["denial-of-service", "memory-exhaustion"],
      },
    },
    messages: {
      rawRead:
        "`{{read}}` reads the whole request body into memory and nothing limits its size ({{framework}} sets no limit by default): one client can send gigabytes and exhaust the server's memory. {{fix}}",
      binder:
        "`{{read}}` decodes the whole request body and nothing limits its size ({{framework}} sets no limit by default): one client can send gigabytes and exhaust the server's memory. {{fix}}",
      fiberLimit:
        "fiber BodyLimit is {{size}} (more than {{max}}): fiber buffers each request body in memory before the handler runs, so a few concurrent requests of that size exhaust the server's memory. Keep the limit small (the default is 4 MiB) and raise it only for upload routes that stream (StreamRequestBody).",
      suggestLimit: "Wrap the body in http.MaxBytesReader with a 1 MiB limit (adjust it to the endpoint)",
    },
    schema: [
      {
        type: "object",
        properties: {
          maxBodyLimit: { type: "integer", minimum: 1, description: "Largest acceptable fiber BodyLimit, in bytes (default 64 MiB)." },
          checkBinders: { type: "boolean", description: "Also report gin/echo binders (c.ShouldBindJSON, c.Bind) that decode an unlimited body." },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ maxBodyLimit: DEFAULT_MAX_BODY_LIMIT, checkBinders: false }],
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    if (isTestCode(filename, context.cwd)) return {};
    const opts = context.options[0] ?? {};
    const maxBodyLimit = opts.maxBodyLimit ?? DEFAULT_MAX_BODY_LIMIT;
    const checkBinders = !!opts.checkBinders;
    const text = context.sourceCode.text;
    let moduleLimited: boolean | undefined;
    const limitedInModule = (root: GoNode) => {
      if (moduleLimited === undefined) {
        const file = fileOfRoot(rootOf(root))?.path ?? filename;
        moduleLimited = moduleLimitsBodies(file, text);
      }
      return moduleLimited;
    };
    const src = (n: GoNode) => text.slice(n.range[0], n.range[1]);

    function report(call: GoNode, messageId: "rawRead" | "binder", h: Handler, bodyArg?: GoNode): void {
      if (limitedBefore(h, call, text) || limitedInModule(call)) return;
      const readText = src(call).replace(/\s+/gu, " ");
      const read = readText.length > 60 ? `${readText.slice(0, 57)}...` : readText;
      const httpName = importsOf(rootOf(call)).localNameOf("net/http");
      const suggest =
        bodyArg && httpName && h.writer
          ? [
              {
                messageId: "suggestLimit" as const,
                fix: (fixer: { replaceTextRange(r: [number, number], t: string): unknown }) =>
                  fixer.replaceTextRange(bodyArg.range, `${httpName}.MaxBytesReader(${h.writer}, ${src(bodyArg)}, 1<<20)`),
              },
            ]
          : [];
      context.report({
        node: call,
        messageId,
        data: { read, framework: h.framework, fix: FIX[h.framework].replace(/\{\{r\}\}/gu, h.param.name).replace(/\{\{w\}\}/gu, h.writer ?? "w") },
        ...(suggest.length ? { suggest: suggest as never } : {}),
      });
    }

    function checkFiberConfig(lit: GoNode): void {
      const value = keyedValue(lit, FIBER_BODY_LIMIT.field);
      if (!value) return;
      const n = evalNumber(value);
      if (n === undefined || n <= maxBodyLimit) return;
      // A streaming configuration hands large bodies to the handler as a stream: deliberate.
      if (constValue(keyedValue(lit, FIBER_BODY_LIMIT.stream)) === true) return;
      context.report({
        node: keyedElement(lit, FIBER_BODY_LIMIT.field) ?? lit,
        messageId: "fiberLimit",
        data: { size: formatBytes(n), max: formatBytes(maxBodyLimit) },
      });
    }

    return {
      composite_literal(lit) {
        if (typeOf(lit) === "fiber.Config") checkFiberConfig(lit);
      },
      assignment_statement(stmt) {
        // `cfg.BodyLimit = 1 << 30` on a fiber.Config.
        const left = field(stmt, "left")?.children ?? [];
        const right = field(stmt, "right")?.children ?? [];
        left.forEach((l, i) => {
          if (l.type !== "selector_expression" || field(l, "field")?.text !== FIBER_BODY_LIMIT.field || !right[i]) return;
          if (typeOf(field(l, "operand")) !== "fiber.Config") return;
          const n = evalNumber(right[i]);
          if (n !== undefined && n > maxBodyLimit) context.report({ node: stmt, messageId: "fiberLimit", data: { size: formatBytes(n), max: formatBytes(maxBodyLimit) } });
        });
      },
      call_expression(call) {
        const fn = unparen(field(call, "function"));
        if (fn?.type !== "selector_expression") return;
        const operand = field(fn, "operand");
        const name = field(fn, "field")?.text;
        if (!operand || !name) return;
        const args = field(call, "arguments")?.children ?? [];
        const imports = importsOf(rootOf(call));
        if (importedPackage(operand, imports)) {
          // io.ReadAll(r.Body), json.NewDecoder(c.Request.Body), ...
          const lib = imports.library(operand.text ?? "");
          const at = lib ? BODY_READ_FUNCTIONS[lib]?.[name] : undefined;
          if (at === undefined) return;
          const bodyArg = args[at];
          const reqOperand = requestBodyOperand(bodyArg);
          if (!reqOperand) return;
          const h = handlerOf(reqOperand);
          if (!h) return;
          // Suggest wrapping only where the body is written out in place (not a local holding it).
          const direct = unparen(bodyArg)?.type === "selector_expression" ? unparen(bodyArg) : undefined;
          report(call, "rawRead", h, direct);
          return;
        }
        // gin GetRawData, and (with checkBinders) gin/echo binders.
        const isRead = Object.values(BODY_READ_METHODS).some((s) => s.has(name));
        const isBinder = checkBinders && Object.values(BODY_BINDERS).some((s) => s.has(name));
        if (!isRead && !isBinder) return;
        const t = typeOf(operand);
        if (!t) return;
        if (BODY_READ_METHODS[t]?.has(name)) {
          const h = handlerOf(operand);
          if (h) report(call, "rawRead", h);
          return;
        }
        if (isBinder && BODY_BINDERS[t]?.has(name)) {
          if (/With$/u.test(name) && !name.includes("Body")) {
            // ShouldBindWith(&v, binding.JSON): only the body bindings read the body.
            const b = unparen(args[1]);
            const bname = b?.type === "selector_expression" ? field(b, "field")?.text : undefined;
            if (!bname || !GIN_BODY_BINDINGS.has(bname)) return;
          }
          const h = handlerOf(operand);
          if (h) report(call, "binder", h);
        }
      },
    };
  },
});
