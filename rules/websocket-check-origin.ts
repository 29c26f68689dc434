/**
 * websocket-check-origin (CWE-1385): a WebSocket endpoint that accepts any Origin can be opened
 * by any website the user visits, with the user's cookies: cross-site WebSocket hijacking.
 * Browsers do not apply the same-origin policy or CORS to WebSocket handshakes; the server's
 * Origin check is the only defence.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { field, rootOf, unparen } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { FIBER_WEBSOCKET_NEW, WEBSOCKET_ORIGIN_CONFIGS, type WebSocketOriginShape } from "../src/semantic/library.js";
import { importedPackage, typeOf } from "../src/semantic/types.js";
import { alwaysReturnsTrue, constValue, definitionOf, keyedElement, keyedValue, sliceElements } from "../src/semantic/values.js";
import { keyedElementRemoval } from "./cookie-flags.js";

type Options = [{ checkFiberDefault?: boolean }];
type MessageIds = "alwaysTrue" | "wildcard" | "skipVerify" | "fiberDefault" | "removeField";

/** Every field name that decides origins, for a cheap first check of assignments. */
const CONFIG_FIELDS: ReadonlySet<string> = new Set(
  Object.values(WEBSOCKET_ORIGIN_CONFIGS).flatMap((s) => [s.check, s.origins?.field, s.skipVerify].filter((f): f is string => !!f)),
);

/** nhooyr/coder OriginPatterns are path.Match patterns on the host (or scheme://host): `*`, `https://*`, `*:*`. */
function matchesAnyHost(pattern: unknown): boolean {
  return typeof pattern === "string" && /^(?:[a-z*]+:\/\/)?\*+(?::\*)?$/iu.test(pattern.trim());
}

/** The origins value allows every origin, per the library's matching. */
function allowsAnyOrigin(value: GoNode | undefined, match: "first" | "pattern"): boolean {
  const elements = sliceElements(value);
  if (!elements || elements.length === 0) return false;
  if (match === "first") return constValue(elements[0]) === "*";
  return elements.some((e) => matchesAnyHost(constValue(e)));
}

export default createRule<Options, MessageIds>({
  name: "websocket-check-origin",
  // Sound: findings need a CheckOrigin / Origins / OriginPatterns / InsecureSkipVerify key or field, or (fiber default)
  // the fiber websocket import, whose paths contain `websocket` (unless spelt with escapes).
  prefilter: /\b(?:CheckOrigin|Origins|OriginPatterns|InsecureSkipVerify)\b|websocket|\\[xuU0-7]/u,
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "WebSocket upgrades must check the Origin header against trusted origins (no CheckOrigin that returns true, no \"*\" origins)",
      recommended: "error",
      security: {
        cwe: [1385, 346],
        securitySeverity: 7.5,
        precision: "high",
        frameworks: ["gorilla/websocket", "fasthttp/websocket", "fiber websocket (gofiber/contrib)", "nhooyr.io/websocket", "coder/websocket", "net/http", "gin", "echo", "fiber"],
        tags: ["websocket", "csrf", "cswsh"],
      },
    },
    messages: {
      alwaysTrue:
        "{{library}} `{{field}}` returns true for every origin: any website a logged-in user visits can open this WebSocket with the user's cookies and read and send messages as them (cross-site WebSocket hijacking). Compare the Origin header with a list of trusted origins, or leave CheckOrigin nil for the same-origin check.",
      wildcard:
        "{{library}} `{{field}}` allows every origin ({{what}}): any website a logged-in user visits can open this WebSocket with the user's cookies and act as them (cross-site WebSocket hijacking). List the trusted origins instead.",
      skipVerify:
        "{{library}} `InsecureSkipVerify: true` turns the Origin check off: any website a logged-in user visits can open this WebSocket with the user's cookies and act as them (cross-site WebSocket hijacking). Remove it and list the trusted hosts in `OriginPatterns`.",
      fiberDefault:
        "fiber's websocket middleware allows every origin when `Origins` is not set: any website a logged-in user visits can open this WebSocket with the user's cookies (cross-site WebSocket hijacking). Pass `websocket.Config{Origins: []string{\"https://app.example.com\"}}`.",
      removeField: "Remove `{{field}}` (the library then checks the origin)",
    },
    schema: [
      {
        type: "object",
        properties: {
          checkFiberDefault: {
            type: "boolean",
            description: "Also report fiber websocket.New without Origins (the middleware then allows every origin).",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ checkFiberDefault: false }],
  },
  create(context) {
    const checkFiberDefault = !!context.options[0]?.checkFiberDefault;
    const text = context.sourceCode.text;
    const reported = new Set<GoNode>();

    const report = (node: GoNode, messageId: MessageIds, data: Record<string, string>, removable?: GoNode) => {
      if (reported.has(node)) return;
      reported.add(node);
      context.report({
        node,
        messageId,
        data,
        ...(removable
          ? { suggest: [{ messageId: "removeField" as const, data: { field: data.field }, fix: (fixer) => fixer.removeRange(keyedElementRemoval(text, removable)) }] }
          : {}),
      });
    };

    /** Checks one field value of a config of `shape`; `at` is where to report, `el` the keyed element (for the suggestion). */
    const check = (shape: WebSocketOriginShape, name: string, value: GoNode, at: GoNode, el?: GoNode) => {
      if (name === shape.check && alwaysReturnsTrue(value)) {
        report(at, "alwaysTrue", { library: shape.library, field: name }, el);
      } else if (name === shape.origins?.field && allowsAnyOrigin(value, shape.origins.match)) {
        report(at, "wildcard", { library: shape.library, field: name, what: shape.origins.match === "first" ? '"*"' : "a `*` host pattern" });
      } else if (name === shape.skipVerify && constValue(value) === true) {
        report(at, "skipVerify", { library: shape.library, field: name }, el);
      }
    };

    return {
      composite_literal(lit) {
        const shape = WEBSOCKET_ORIGIN_CONFIGS[typeOf(lit) ?? ""];
        if (!shape) return;
        for (const name of [shape.check, shape.origins?.field, shape.skipVerify]) {
          if (!name) continue;
          const value = keyedValue(lit, name);
          const el = keyedElement(lit, name);
          if (value && el) check(shape, name, value, el, el);
        }
      },
      // `upgrader.CheckOrigin = func(r *http.Request) bool { return true }`, in any function.
      assignment_statement(stmt) {
        const left = field(stmt, "left")?.children ?? [];
        const right = field(stmt, "right")?.children ?? [];
        left.forEach((target, i) => {
          if (target.type !== "selector_expression" || !right[i]) return;
          const name = field(target, "field")?.text;
          // Cheap name check first: typing the operand may load other packages.
          if (!name || !CONFIG_FIELDS.has(name)) return;
          const shape = WEBSOCKET_ORIGIN_CONFIGS[typeOf(field(target, "operand")) ?? ""];
          if (shape) check(shape, name, right[i], stmt);
        });
      },
      call_expression(call) {
        if (!checkFiberDefault) return;
        const fn = unparen(field(call, "function"));
        if (fn?.type !== "selector_expression" || field(fn, "field")?.text !== FIBER_WEBSOCKET_NEW.func) return;
        const operand = field(fn, "operand");
        const root = rootOf(call);
        if (!importedPackage(operand, importsOf(root)) || importsOf(root).library(operand!.text!) !== FIBER_WEBSOCKET_NEW.library) return;
        const config = field(call, "arguments")?.children[FIBER_WEBSOCKET_NEW.config];
        if (config) {
          const lit = unparen(config)?.type === "composite_literal" ? unparen(config) : definitionOf(config);
          // A config goward cannot see, or one that sets Origins (checked above), is not the default.
          if (lit?.type !== "composite_literal" || keyedValue(lit, "Origins")) return;
        }
        report(call, "fiberDefault", {});
      },
    };
  },
});
