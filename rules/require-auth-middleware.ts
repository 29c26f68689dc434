/**
 * require-auth-middleware (CWE-306/CWE-862): a route whose handler reads the authenticated
 * identity but whose middleware chain has no authentication (the handler panics on the missing
 * value or acts as nobody), and sensitive endpoints (metrics, pprof, admin, API docs) reachable
 * without authentication. Built on the route model (src/semantic/routes.ts): group prefixes,
 * Use order, per-route middleware and handlers across the packages of the module.
 */
import path from "node:path";
import { createRule } from "../src/create-rule.js";
import { discover } from "../src/cli/files.js";
import { fileOfRoot, packageCache } from "../src/semantic/package.js";
import { escapeRegExp, mayRegisterRoutes, RouteAnalysis, type Route } from "../src/semantic/routes.js";
import { recordRelated } from "../src/related.js";

type Options = [{ authMiddleware?: string[]; sensitivePaths?: string[] }];

const DEFAULT_SENSITIVE = ["/metrics", "/debug/pprof", "/debug/vars", "/admin", "/swagger", "/actuator"];

/** The routes of the module that `file` belongs to (computed once per module and options). */
export function moduleRoutes(file: string, authMiddleware: string[]): Route[] {
  const dir = path.dirname(file);
  const mod = packageCache.moduleOf(dir);
  const root = mod?.root ?? dir;
  const key = `routes:${root}:${authMiddleware.join(",")}`;
  const hit = packageCache.derived.get(key) as Route[] | undefined;
  if (hit) return hit;
  let dirs = [dir];
  if (mod) {
    const { files } = discover([root], { cwd: root, tests: false, ignorePatterns: [] });
    dirs = [...new Set(files.map((f) => path.dirname(f)))].sort();
  }
  const routes = new RouteAnalysis(packageCache, { authMiddleware }).run(dirs);
  packageCache.derived.set(key, routes);
  return routes;
}

/** The configured sensitive prefix the path contains at a segment boundary (`/api/v1/admin/users` ∋ `/admin`). */
export function sensitivePrefix(p: string, prefixes: string[]): string | undefined {
  const lower = p.toLowerCase();
  return prefixes.find((s) => {
    const seg = escapeRegExp(s.replace(/^\/+|\/+$/gu, ""));
    return seg !== "" && new RegExp(`(?:^|/)${seg}(?:$|/|\\*)`, "u").test(lower);
  });
}

export default createRule<Options, "identityWithoutAuth" | "sensitiveWithoutAuth">({
  name: "require-auth-middleware",
  // Sound: findings sit on route registrations in this file, and a registration is a call named by ROUTE_METHODS or
  // DEFAULT_MUX_FUNCTIONS (Get, GET, Handle, HandleFunc, Add, Any, Match, Method, ...). No import is required: a file
  // may register routes on a router built in another package without importing any framework (`r := router.New()`).
  prefilter: /\b(?:get|post|put|delete|patch|head|options|connect|trace|all|add|any|handle|handlefunc|match|method|methodfunc)\b/iu,
  meta: {
    type: "problem",
    docs: {
      description: "Routes whose handlers read the authenticated user, and sensitive endpoints, must run behind authentication middleware",
      recommended: "error",
      security: {
        cwe: [306, 862],
        securitySeverity: 8.2,
        precision: "high",
        frameworks: ["fiber", "gin", "echo", "chi", "net/http", "gorilla/mux"],
        tags: ["authentication", "authorization", "routing"],
      },
    },
    messages: {
      identityWithoutAuth:
        "{{method}} {{path}} → {{handler}} reads the authenticated user ({{reads}}) but no authentication middleware runs before it ({{chain}}): anonymous requests reach it and it panics or acts as nobody. Register it on a group that uses the auth middleware, or add the middleware to this route.",
      sensitiveWithoutAuth:
        "{{method}} {{path}} is reachable without authentication ({{chain}}): {{what}} exposed to anyone who can reach the server. Put it behind the auth middleware, serve it on an internal port, or register it only outside production.",
    },
    schema: [
      {
        type: "object",
        properties: {
          authMiddleware: { type: "array", items: { type: "string" }, description: "Names of the project's auth middleware functions (when goward cannot tell from what they do)." },
          sensitivePaths: { type: "array", items: { type: "string" }, description: "Path prefixes that must never be public." },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ authMiddleware: [], sensitivePaths: DEFAULT_SENSITIVE }],
  create(context) {
    const opts = context.options[0] ?? {};
    const authMiddleware = opts.authMiddleware ?? [];
    const sensitive = (opts.sensitivePaths ?? DEFAULT_SENSITIVE).map((s) => s.toLowerCase());
    return {
      source_file(root) {
        // Every route the inventory attributes to this file, also where the file imports no
        // framework (the router was built in another package).
        if (!mayRegisterRoutes(root, context.sourceCode.text)) return;
        const file = fileOfRoot(root)?.path ?? context.physicalFilename ?? context.filename;
        for (const r of moduleRoutes(file, authMiddleware)) {
          if (r.at.file !== file || r.partial) continue;
          if (r.middleware.some((m) => m.kind === "auth" || m.kind === "unknown")) continue;
          const chain = r.middleware.length ? `chain: ${r.middleware.map((m) => m.name).join(" → ")}` : "no middleware";
          const where = { loc: { start: { line: r.at.line, column: r.at.column - 1 }, end: { line: r.at.line, column: r.at.column } } };
          const data = { method: r.method, path: r.path, handler: r.handler.name, chain };
          const handlerAt = r.handler.at ? [{ ...r.handler.at, message: `handler ${r.handler.name}` }] : [];
          // A handler that rejects a missing identity itself (401/403) is its own authentication.
          if (r.facts.selfAuth) continue;
          if (r.facts.identity.length) {
            context.report({ ...where, messageId: "identityWithoutAuth", data: { ...data, reads: r.facts.identity.slice(0, 3).join(", ") } });
            recordRelated("goward/require-auth-middleware", file, r.at.line, r.at.column, [
              ...handlerAt,
              ...r.facts.identityAt.slice(0, 3).map((at, i) => ({ ...at, message: `reads ${r.facts.identity[i]}` })),
            ]);
            continue;
          }
          const s = sensitivePrefix(r.path, sensitive) ?? (/swagger/iu.test(r.handler.name) ? "/swagger" : undefined);
          // A sensitive endpoint whose handler rejects unauthenticated callers itself (reads a credential, 401/403).
          // ... or one served only on a loopback listener (`http.ListenAndServe("127.0.0.1:6060", opsMux)`).
          if (s && !r.conditional && !r.facts.rejectsUnauthenticated && !r.loopbackOnly) {
            const what = s.includes("pprof") ? "the profiler (heap dumps, goroutine stacks, CPU profiles) is" : s.includes("metrics") || s.includes("vars") ? "internal metrics are" : s.includes("swagger") ? "the full API description is" : "administrative functions are";
            context.report({ ...where, messageId: "sensitiveWithoutAuth", data: { ...data, what } });
            recordRelated("goward/require-auth-middleware", file, r.at.line, r.at.column, handlerAt);
          }
        }
      },
    };
  },
});
