/**
 * no-unchecked-assertion (CWE-248): a single-value type assertion on a request-scoped value
 * (fiber Locals, gin/echo context values, ctx.Value, JWT claims) panics the handler when the
 * value is missing or of another type.
 */
import { createRule, GAP } from "../src/create-rule.js";
import type { GoNode, TypeAssertionExpressionNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, fieldAll, isFunctionLike, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { packageOf } from "../src/semantic/package.js";
import { parametersOf, requestValue, resolveLocal, type Binding, type RequestValue } from "../src/semantic/types.js";

const MAX_SNIPPET = 60;

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/gu, " ");
  return oneLine.length > MAX_SNIPPET ? `${oneLine.slice(0, MAX_SNIPPET - 1)}…` : oneLine;
}

/** `v, ok := x.(T)`, `v, ok = x.(T)`, `var v, ok = x.(T)`: the comma-ok form never panics. */
function isCommaOk(node: GoNode): boolean {
  let p = node.parent;
  while (p && p.type === "parenthesized_expression") p = p.parent;
  if (!p || p.type !== "expression_list" || p.children.length !== 1) return false;
  const stmt = p.parent;
  if (!stmt) return false;
  if (stmt.type === "short_var_declaration" || stmt.type === "assignment_statement") {
    const left = field(stmt, "left");
    return field(stmt, "right") === p && !!left && left.children.length === 2;
  }
  if (stmt.type === "var_spec") return field(stmt, "value") === p && fieldAll(stmt, "name").length === 2;
  return false;
}

export default createRule<[], "unchecked" | "suggestCommaOk">({
  name: "no-unchecked-assertion",
  // Sound: every report is a type assertion `x.(T)` (whitespace and comments may sit between `.` and `(`).
  prefilter: new RegExp(String.raw`\.${GAP}\(`, "u"),
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Type assertions on request-scoped values (Locals, context values, JWT claims) must use the comma-ok form",
      recommended: "error",
      security: {
        cwe: [248],
        securitySeverity: 7.5,
        precision: "high",
        frameworks: ["fiber", "gin", "echo", "net/http", "golang-jwt"],
        tags: ["denial-of-service", "panic"],
      },
    },
    messages: {
      unchecked:
        "{{what}} `{{expr}}` is asserted to `{{type}}` without a check: the handler panics when the value is missing or has another type, and any client can trigger that. Use `v, ok := {{expr}}.({{type}})` and reject the request when !ok.",
      suggestCommaOk: "Use the comma-ok form and {{reject}} when the value is missing or of another type.",
    },
    schema: [],
  },
  create(context) {
    const sourceCode = context.sourceCode;
    return {
      type_assertion_expression(node) {
        const operand = field(node, "operand");
        const typeNode = field(node, "type");
        if (!operand || !typeNode || isCommaOk(node)) return;
        const rv = requestValue(operand);
        if (!rv || provenByGuard(node, sourceCode.text) || presenceChecked(node, rv)) return;
        const expr = snippet(sourceCode.getText(operand));
        const type = snippet(sourceCode.getText(typeNode));
        const fix = commaOkRewrite(node, sourceCode.text);
        context.report({
          node,
          messageId: "unchecked",
          data: { what: capitalise(rv.describe), expr, type },
          suggest: fix
            ? [{ messageId: "suggestCommaOk", data: { reject: fix.reject }, fix: (fixer) => fixer.replaceTextRange(fix.range, fix.text) }]
            : [],
        });
      },
    };
  },
});

/**
 * `v.(T)` is safe where an earlier check on the same variable proved the type: inside
 * `case T:` of `switch v.(type)`, inside `if _, ok := v.(T); ok {`, or after
 * `if _, ok := v.(T); !ok { return ... }` in the same block.
 */
function provenByGuard(node: TypeAssertionExpressionNode, text: string): boolean {
  const operand = unparen(field(node, "operand"));
  const typeNode = field(node, "type");
  if (operand?.type !== "identifier" || !typeNode) return false;
  const name = operand.text;
  const typeText = norm(text.slice(typeNode.range[0], typeNode.range[1]));
  const sameVar = (n: GoNode | undefined) => unparen(n)?.type === "identifier" && unparen(n)?.text === name;
  /** The `ok` name of a comma-ok `x, ok := v.(T)` statement, or undefined. */
  const okOf = (stmt: GoNode | undefined): string | undefined => {
    if (stmt?.type !== "short_var_declaration" && stmt?.type !== "assignment_statement") return undefined;
    const left = field(stmt, "left")?.children ?? [];
    const right = field(stmt, "right")?.children ?? [];
    const ta = unparen(right[0]);
    if (left.length !== 2 || right.length !== 1 || ta?.type !== "type_assertion_expression") return undefined;
    const t = field(ta, "type");
    if (!sameVar(field(ta, "operand")) || !t || norm(text.slice(t.range[0], t.range[1])) !== typeText) return undefined;
    return left[1].text;
  };
  for (let child: GoNode = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.type === "type_case") {
      const sw = p.parent;
      const types = fieldAll(p, "type");
      if (sw?.type === "type_switch_statement" && sameVar(field(sw, "value")) && types.length === 1 && norm(text.slice(types[0].range[0], types[0].range[1])) === typeText) {
        return true;
      }
    }
    if (p.type === "if_statement" && field(p, "consequence") === child) {
      const ok = okOf(field(p, "initializer"));
      const cond = unparen(field(p, "condition"));
      if (ok && cond?.type === "identifier" && cond.text === ok) return true;
    }
    if (p.type === "block" || p.type === "statement_list") {
      // `if _, ok := v.(T); !ok { return }` earlier in the same block.
      for (const stmt of p.children) {
        if (stmt.range[0] >= child.range[0]) break;
        if (stmt.type !== "if_statement") continue;
        const ok = okOf(field(stmt, "initializer"));
        const cond = unparen(field(stmt, "condition"));
        if (!ok || cond?.type !== "unary_expression" || field(cond, "operator")?.text !== "!" || unparen(field(cond, "operand"))?.text !== ok) continue;
        const body = field(stmt, "consequence");
        let exits = false;
        if (body) walk(body, (n) => {
          if (n.type === "return_statement" || n.type === "continue_statement" || n.type === "break_statement") exits = true;
          return !exits;
        });
        if (exits) return true;
      }
    }
    if (isFunctionLike(p)) break;
  }
  return false;
}

/** Stores only server code can write: gin/echo context keys, fiber Locals. */
const SERVER_ONLY_STORES = new Set(["gin.Context", "echo.Context", "fiber.Ctx"]);

/**
 * `v.(T)` where `v` is the result of a lookup whose presence was checked first: the comma-ok of
 * the same lookup (`v, exists := c.Get("claims"); if !exists { return }`), or `v != nil`. The
 * value is then one that server code stored (a client cannot write gin/echo keys, fiber Locals,
 * or a context key of an unexported type of the package), so a failing assertion is a program
 * bug, not something any client can trigger. `c.MustGet(k).(T)`, `c.Locals(k).(T)` and a lookup
 * whose `exists` is ignored stay reported.
 */
function presenceChecked(node: TypeAssertionExpressionNode, rv: RequestValue): boolean {
  const operand = unparen(field(node, "operand"));
  if (operand?.type !== "identifier" || rv.kind !== "context-value" || !rv.source) return false;
  const b = resolveLocal(operand);
  if (!b || b.index !== 0 || b.values !== 1 || unparen(b.value) !== rv.origin) return false;
  let present: (cond: GoNode) => boolean;
  if (b.names === 2) {
    // `v, exists := c.Get(k)`: the second name says whether the key was set.
    if (!SERVER_ONLY_STORES.has(rv.source.type)) return false;
    present = (cond) => cond.type === "identifier" && sameDeclaration(cond, b, 1);
  } else if (b.names === 1) {
    if (!SERVER_ONLY_STORES.has(rv.source.type) && !(rv.source.type === "context.Context" && privateKey(field(rv.origin, "arguments")?.children[0]))) return false;
    present = (cond) => nilComparison(cond, b) === "!=";
  } else {
    return false;
  }
  const absent = (cond: GoNode): boolean => {
    const c = unparen(cond);
    if (!c) return false;
    if (c.type === "unary_expression" && field(c, "operator")?.text === "!") return present(unparen(field(c, "operand"))!);
    if (c.type === "binary_expression" && field(c, "operator")?.text === "==" && b.names === 1) return nilComparison(c, b) === "==";
    // `!exists || other`: when the whole is false, every side is.
    if (c.type === "binary_expression" && field(c, "operator")?.text === "||") return absent(field(c, "left")!) || absent(field(c, "right")!);
    return false;
  };
  const holds = (cond: GoNode | undefined): boolean => {
    const c = unparen(cond);
    if (!c) return false;
    if (present(c)) return true;
    // `exists && other`: when the whole is true, every side is.
    if (c.type === "binary_expression" && field(c, "operator")?.text === "&&") return holds(field(c, "left")) || holds(field(c, "right"));
    return false;
  };
  for (let child: GoNode = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.type === "if_statement") {
      const cond = field(p, "condition");
      if (field(p, "consequence") === child && holds(cond)) return true;
      if (field(p, "alternative") === child && cond && absent(cond)) return true;
    }
    if (p.type === "block" || p.type === "statement_list") {
      // `if !exists { return ... }` earlier in an enclosing block.
      for (const stmt of p.children) {
        if (stmt.range[0] >= child.range[0]) break;
        const cond = stmt.type === "if_statement" ? field(stmt, "condition") : undefined;
        if (cond && !field(stmt, "alternative") && absent(cond) && exits(field(stmt, "consequence"))) return true;
      }
    }
    if (isFunctionLike(p)) break;
  }
  return false;
}

/** The identifier names the declaration's name at `index` (`exists` of `v, exists := ...`). */
function sameDeclaration(id: GoNode, b: Binding, index: number): boolean {
  const other = resolveLocal(id);
  return !!other && other.declaration === b.declaration && other.index === index;
}

/** `v != nil` / `nil != v` (and `==`) on the lookup's variable: the operator, or undefined. */
function nilComparison(cond: GoNode, b: Binding): "==" | "!=" | undefined {
  const c = unparen(cond);
  if (c?.type !== "binary_expression") return undefined;
  const op = field(c, "operator")?.text;
  if (op !== "==" && op !== "!=") return undefined;
  const l = unparen(field(c, "left"));
  const r = unparen(field(c, "right"));
  const v = l?.type === "nil" || l?.text === "nil" ? r : r?.type === "nil" || r?.text === "nil" ? l : undefined;
  return v?.type === "identifier" && sameDeclaration(v, b, 0) ? op : undefined;
}

/** A block whose last statement leaves it: return, break, continue, goto, panic(...). */
function exits(block: GoNode | undefined): boolean {
  const stmts = block ? block.children.flatMap((c) => (c.type === "statement_list" ? c.children : [c])).filter((c) => c.type !== "comment") : [];
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  if (last.type === "return_statement" || last.type === "break_statement" || last.type === "continue_statement" || last.type === "goto_statement") return true;
  const call = last.type === "expression_statement" ? unparen(last.children[0]) : undefined;
  return call?.type === "call_expression" && unparen(field(call, "function"))?.text === "panic";
}

/**
 * A context key only this package can use: a package-level constant or variable declared with an
 * unexported named type of the package (`accountKey contextKey = "account"`), or a literal of
 * such a type (`ctxKey{}`). Nobody else can store a value under it.
 */
function privateKey(key: GoNode | undefined): boolean {
  const k = unparen(key);
  if (!k) return false;
  const model = packageOf(rootOf(k));
  const unexportedType = (t: GoNode | undefined) => t?.type === "type_identifier" && /^[a-z_]/u.test(t.text ?? "") && model.types.has(t.text ?? "");
  if (k.type === "composite_literal") return unexportedType(field(k, "type"));
  if (k.type !== "identifier" || resolveLocal(k)) return false;
  const v = model.values.get(k.text ?? "");
  return !!v && unexportedType(v.typeNode);
}

function norm(s: string): string {
  return s.replace(/\s+/gu, "");
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

interface Rewrite {
  range: [number, number];
  text: string;
  reject: string;
}

/**
 * For `x := <value>.(T)` as a statement of its own, rewrites to the comma-ok form followed by
 * a rejection that fits the framework: fiber/echo handlers return ErrUnauthorized, gin handlers
 * abort with 401, net/http handlers write 401. Anything else gets no suggestion.
 */
function commaOkRewrite(node: TypeAssertionExpressionNode, text: string): Rewrite | undefined {
  const list = node.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || stmt?.type !== "short_var_declaration" || list.children.length !== 1) return undefined;
  const left = field(stmt, "left");
  if (!left || left.children.length !== 1 || left.children[0].type !== "identifier") return undefined;
  const fn = enclosingFunction(stmt);
  const body = fn && field(fn, "body");
  if (!fn || !body) return undefined;
  // `ok` must be free in the function for the rewrite to be mechanical.
  let okUsed = false;
  walk(body, (n) => {
    if (n.type === "identifier" && n.text === "ok") okUsed = true;
    return !okUsed;
  });
  if (okUsed) return undefined;

  const root = rootOf(stmt);
  const imports = importsOf(root);
  const params = parametersOf(fn);
  const results = field(fn, "result");
  const resultText = results ? text.slice(results.range[0], results.range[1]).replace(/[()\s]/gu, "") : "";
  const lineStart = text.lastIndexOf("\n", stmt.range[0] - 1) + 1;
  const indent = /^[ \t]*/u.exec(text.slice(lineStart))![0];
  const inner = `${indent}\t`;

  let reject: string | undefined;
  let body2: string | undefined;
  const ctxParam = (t: string) => params.find((p) => p.type === t)?.name;
  const fiberName = imports.localNameOf("fiber");
  const echoName = imports.localNameOf("echo");
  const httpName = imports.localNameOf("net/http");
  if (resultText === "error" && ctxParam("fiber.Ctx") && fiberName) {
    body2 = `return ${fiberName}.ErrUnauthorized`;
    reject = `return ${fiberName}.ErrUnauthorized`;
  } else if (resultText === "error" && ctxParam("echo.Context") && echoName) {
    body2 = `return ${echoName}.ErrUnauthorized`;
    reject = `return ${echoName}.ErrUnauthorized`;
  } else if (resultText === "" && ctxParam("gin.Context")) {
    const c = ctxParam("gin.Context")!;
    const status = httpName ? `${httpName}.StatusUnauthorized` : "401";
    body2 = `${c}.AbortWithStatus(${status})\n${inner}return`;
    reject = "abort with 401";
  } else if (resultText === "" && ctxParam("http.ResponseWriter") && httpName) {
    const w = ctxParam("http.ResponseWriter")!;
    body2 = `${httpName}.Error(${w}, ${httpName}.StatusText(${httpName}.StatusUnauthorized), ${httpName}.StatusUnauthorized)\n${inner}return`;
    reject = "respond 401";
  }
  if (!body2 || !reject) return undefined;
  const name = left.children[0].text!;
  const assertion = text.slice(node.range[0], node.range[1]);
  return {
    range: stmt.range,
    text: `${name}, ok := ${assertion}\n${indent}if !ok {\n${inner}${body2}\n${indent}}`,
    reject,
  };

}

