/**
 * The route model on the multi-package fixture application (fixtures/require-auth-middleware):
 * every route with its full path, whether auth / rate-limit middleware applies, and whether the
 * handler reads the user. The expected table was written by reading the fixture's routers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { formatMarkdown, inventory, toRows, type RouteRow } from "../src/cli/routes.js";
import { isIdentityKey, joinPath, pathParams } from "../src/semantic/routes.js";
import { sensitivePrefix } from "../rules/require-auth-middleware.js";
import { BIN, ROOT } from "./helpers.js";

const APP = path.join(ROOT, "fixtures", "require-auth-middleware");

// method, path, auth, rate limit, reads identity, registered at
const EXPECTED: Array<[string, string, boolean, boolean, boolean, string]> = [
  ["GET", "/admin/audit", false, false, false, "internal/routes/selfcheck.go:68"],
  ["GET", "/admin/export", false, false, false, "internal/routes/selfcheck.go:75"],
  ["GET", "/admin/stats", false, false, false, "internal/routes/routes.go:58"],
  ["GET", "/api/health", false, false, false, "cmd/conduit/main.go:19"],
  ["GET", "/api/me", true, false, true, "internal/chiapi/router.go:43"],
  ["GET", "/api/me2", false, false, true, "internal/chiapi/router.go:45"],
  ["GET", "/api/user", true, false, true, "cmd/conduit/main.go:17"],
  ["GET", "/api/v1/account/profile", true, false, true, "internal/routes/routes.go:29"],
  ["PUT", "/api/v1/account/profile", true, false, true, "internal/routes/routes.go:30"],
  ["GET", "/api/v1/admin/users", true, false, true, "internal/routes/routes.go:35"],
  ["GET", "/api/v1/cart", false, false, true, "internal/routes/routes.go:22"],
  ["GET", "/api/v1/health", false, false, false, "internal/routes/routes.go:17"],
  ["POST", "/api/v1/login", false, true, false, "internal/routes/routes.go:19"],
  ["GET", "/api/v1/orders", true, false, true, "internal/routes/routes.go:25"],
  ["GET", "/api/v1/products", false, false, false, "internal/routes/routes.go:18"],
  ["GET", "/api/v1/reports/daily", false, false, true, "internal/routes/routes.go:48"],
  ["GET", "/api/v1/reports/monthly", true, false, true, "internal/routes/routes.go:51"],
  ["GET", "/api/v1/todo/list", true, false, true, "internal/routes/routes.go:39"],
  ["GET", "/api/whoami", false, false, true, "cmd/conduit/main.go:22"],
  ["GET", "/bank/accounts", true, false, true, "internal/ginapi/bank.go:17"],
  ["GET", "/bank/config/limits", true, false, true, "internal/ginapi/bank.go:22"],
  ["GET", "/bank/health", false, false, false, "internal/ginapi/bank.go:28"],
  ["GET", "/bank/statements/latest", false, false, true, "internal/ginapi/bank.go:26"],
  ["POST", "/bank/transfers", true, false, true, "internal/ginapi/bank.go:18"],
  ["POST", "/bank/users/login", false, false, false, "internal/ginapi/bank.go:13"],
  ["ANY", "/debug/pprof/", false, false, false, "cmd/ops/main.go:14"],
  ["ANY", "/debug/pprof/", false, false, false, "cmd/ops/main.go:31"],
  ["ANY", "/debug/pprof/", false, false, false, "internal/chiapi/router.go:47"],
  ["GET", "/debug/pprof/heap", false, false, false, "cmd/shop/main.go:24"],
  ["GET", "/internal/me", false, false, true, "internal/chiapi/router.go:25"],
  ["POST", "/login", true, false, false, "internal/ginapi/engine.go:19"],
  ["GET", "/me", false, false, true, "cmd/shop/main.go:19"],
  ["GET", "/me", true, false, true, "internal/chiapi/router.go:21"],
  ["ANY", "/metrics", false, false, false, "cmd/ops/main.go:19"],
  ["ANY", "/metrics", false, false, false, "cmd/ops/main.go:26"],
  ["GET", "/metrics", false, false, false, "internal/routes/routes.go:56"],
  ["GET", "/oauth/me", false, false, true, "internal/routes/selfcheck.go:97"],
  ["GET", "/oauth/redirect", false, false, false, "internal/routes/selfcheck.go:83"],
  ["GET", "/ping", false, false, false, "internal/ginapi/engine.go:12"],
  ["GET", "/profile", true, false, true, "internal/ginapi/engine.go:17"],
  ["GET", "/public/faq", true, false, false, "internal/ginapi/engine.go:21"],
  ["GET", "/self/account", false, false, true, "internal/routes/selfcheck.go:24"],
  ["GET", "/self/notes", false, false, true, "internal/routes/selfcheck.go:59"],
  ["GET", "/self/orders", false, false, true, "internal/routes/selfcheck.go:51"],
  ["GET", "/self/profile", false, false, true, "internal/routes/selfcheck.go:36"],
  ["GET", "/self/settings", false, false, true, "internal/routes/selfcheck.go:43"],
  ["DELETE", "/self/users/:userID", false, false, true, "internal/routes/selfcheck.go:106"],
  ["PATCH", "/self/users/:userID", false, false, true, "internal/routes/selfcheck.go:108"],
  ["PUT", "/self/users/:userID", false, false, false, "internal/routes/selfcheck.go:104"],
  ["GET", "/settings", true, false, true, "internal/chiapi/router.go:28"],
  ["GET", "/status", false, false, false, "internal/chiapi/router.go:16"],
  ["GET", "/swagger/*", false, false, false, "cmd/conduit/main.go:14"],
  ["GET", "/welcome", false, false, false, "internal/routes/selfcheck.go:92"],
  ["GET", "/whoami", false, false, true, "internal/ginapi/engine.go:14"],
];

describe("route model", () => {
  const rows = toRows(inventory([APP], APP).routes, APP);

  it("lists every route of the fixture app with its prefix, auth, rate limit and identity use", () => {
    expect(rows.map((r) => [r.method, r.path, r.auth, r.rateLimit, r.identity.length > 0, r.registeredAt])).toEqual(EXPECTED);
  });

  it("keeps the middleware order: engine Use, then group, then the route's own", () => {
    const orders = rows.find((r) => r.path === "/api/v1/orders")!;
    expect(orders.middleware.map((m) => [m.name, m.kind, m.scope])).toEqual([
      ["logger.New()", "other", "use"],
      ["middleware.RequireAuth()", "auth", "route"],
    ]);
    // The project's middleware is recognised by what it does (401 + Locals), not by a table.
    expect(orders.middleware[1].how).toBe("behaviour");
    const wrapped = rows.find((r) => r.path === "/api/me")!;
    expect(wrapped.middleware.map((m) => [m.name, m.scope])).toEqual([["requireUser", "wrapper"]]);
  });

  it("keeps a group's middleware attached with a chained Use (`Group(p).Use(mw)`, `.Use(a).Use(b)`)", () => {
    const limits = rows.find((r) => r.path === "/bank/config/limits")!;
    expect(limits.middleware.map((m) => [m.name, m.kind, m.scope])).toEqual([
      ["gin.Logger()", "other", "use"],
      ["JWTAuth()", "auth", "use"],
    ]);
    expect(rows.find((r) => r.path === "/bank/accounts")!.middleware.map((m) => m.name)).toEqual(["JWTAuth()"]);
    // The sibling group without the chained Use stays unprotected; fiber's Use chains the same way.
    expect(rows.find((r) => r.path === "/bank/statements/latest")!.auth).toBe(false);
    expect(rows.find((r) => r.path === "/api/v1/todo/list")!.middleware.map((m) => [m.name, m.kind])).toEqual([
      ["logger.New()", "other"],
      ["middleware.RequireAuth()", "auth"],
    ]);
  });

  it("attributes routes to a file that imports no framework (router built in another package)", () => {
    expect(rows.filter((r) => r.registeredAt.startsWith("cmd/conduit/")).map((r) => [r.method, r.path, r.auth])).toEqual([
      ["GET", "/api/health", false],
      ["GET", "/api/user", true],
      ["GET", "/api/whoami", false],
      ["GET", "/swagger/*", false],
    ]);
  });

  it("resolves handlers in another package, through helpers, with their location", () => {
    const cart = rows.find((r) => r.path === "/api/v1/cart")!;
    expect(cart.handlerAt).toBe("internal/handlers/handlers.go:36");
    expect(cart.identity).toEqual(['currentUser() → Locals("userID")']);
    expect(rows.find((r) => r.path === "/api/v1/login")!.readsBody).toBe(true);
    expect(rows.find((r) => r.path === "/debug/pprof/heap")!.conditional).toBe(true);
  });

  it("handler facts: a handler that rejects a missing identity itself, login-flow keys, keys copied from the request", () => {
    const routes = inventory([APP], APP).routes;
    const at = (p: string, m = "GET") => routes.find((r) => r.path === p && r.method === m)!;
    // Its own authentication: the read is checked and a miss rejected with 401/403.
    for (const p of ["/self/account", "/self/profile", "/self/settings", "/me"]) expect([p, at(p).facts.selfAuth]).toEqual([p, true]);
    // A panicking single-value assertion, or a 403 on something else, is not.
    for (const p of ["/self/orders", "/self/notes", "/api/v1/cart"]) expect([p, at(p).facts.selfAuth]).toEqual([p, false]);
    // Sensitive endpoints: a handler that reads a credential and rejects with 401.
    expect(at("/admin/audit").facts.rejectsUnauthenticated).toBe(true);
    expect(at("/admin/export").facts.rejectsUnauthenticated).toBe(false);
    // The OAuth state and a provider token are login-flow values, not the identity.
    expect(at("/oauth/redirect").facts.identity).toEqual([]);
    expect(at("/welcome").facts.identity).toEqual([]);
    expect(at("/oauth/me").facts.identity).toEqual(['Locals("claims")']);
    for (const k of ["userID", "user", "claims", "uid", "identity", "currentUser", "jwt", "token", "ctxKeyUser", "JWT_PAYLOAD"]) expect([k, isIdentityKey(k)]).toEqual([k, true]);
    for (const k of ["oauth-state", "oauth-token", "oauthToken", "csrfToken", "csrf_token", "state", "nonce", "code_verifier", "flash"]) expect([k, isIdentityKey(k)]).toEqual([k, false]);
    // A key the chain's middleware copied from the path parameter is that value (not from a header).
    expect(at("/self/users/:userID", "PUT").facts.identity).toEqual([]);
    expect(at("/self/users/:userID", "DELETE").facts.identity).toEqual(['Locals("userID")']);
    expect(at("/self/users/:userID", "PATCH").facts.identity).toEqual(['Locals("userID")']);
    // net/http muxes served only on a constant loopback address (ListenAndServe, http.Server{Addr}).
    expect(routes.filter((r) => r.at.file.endsWith(path.join("cmd", "ops", "main.go"))).map((r) => [r.path, r.at.line, r.loopbackOnly])).toEqual([
      ["/debug/pprof/", 14, true],
      ["/debug/pprof/", 31, false],
      ["/metrics", 19, true],
      ["/metrics", 26, false],
    ]);
  });

  it("path helpers: parameters in fiber, gin, chi and ServeMux syntax; joined prefixes", () => {
    expect(pathParams("/users/:id/posts/:postId?")).toEqual(["id", "postId"]);
    expect(pathParams("/files/{path...}")).toEqual(["path"]);
    expect(pathParams("/a/{id:[0-9]+}/*rest")).toEqual(["id", "rest"]);
    expect(joinPath("/api/", "/v1")).toBe("/api/v1");
    expect(sensitivePrefix("/api/v1/admin/users", ["/admin"])).toBe("/admin");
    expect(sensitivePrefix("/administrators", ["/admin"])).toBeUndefined();
    expect(sensitivePrefix("/debug/pprof/heap", ["/debug/pprof"])).toBe("/debug/pprof");
  });

  it("markdown cells stay on one line: multi-line middleware collapses, `|` and backticks are escaped", () => {
    const row: RouteRow = {
      method: "GET", path: "/a|b", framework: "echo", handler: "h.Articles", handlerAt: "handler/article.go:55", registeredAt: "router/router.go:20",
      middleware: [
        { name: "middleware.JWTWithConfig(\n\t\tmiddleware.JWTConfig{\n\t\t\tSkipper: a || b,", kind: "auth", how: "name", scope: "group" },
        { name: "limiter.New(limiter.Config{\r\n  Max: 100,", kind: "ratelimit", how: "library", scope: "use" },
        { name: "strip(`x|y`)", kind: "unknown", how: "unresolved", scope: "use" },
      ],
      auth: true, rateLimit: true, bodyLimit: false, pathParams: [], identity: ['Get("user")'], readsBody: false, websocket: false,
      partial: false, conditional: false, findings: [{ rule: "no-unchecked-assertion", line: 60, message: "a\nb | c" }],
    };
    const lines = formatMarkdown([row]).trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    const last = lines[6];
    expect(last).toContain("`middleware.JWTWithConfig( middleware.JWTConfig{ Skipper: a \\|\\| b,`");
    expect(last).toContain("`limiter.New(limiter.Config{ Max: 100,`");
    expect(last).toContain("`` strip(`x\\|y`) ``");
    expect(last).toContain("`/a\\|b`");
    // Every cell boundary is an unescaped pipe: 12 columns, 13 of them.
    expect(last.match(/(?<!\\)\|/gu)).toHaveLength(13);
  });

  it("goward routes prints the table, JSON and the markdown worksheet deterministically", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, "routes", ".", ...args], { cwd: APP, encoding: "utf8" });
    const table = run();
    expect(table.status).toBe(0);
    expect(table.stdout).toContain("54 routes, 38 without auth middleware");
    // --threads is accepted as by the lint command (and checked the same way).
    const json = JSON.parse(run("--format", "json", "--threads", "2").stdout);
    expect(json).toHaveLength(54);
    const md = run("--format", "markdown");
    expect(md.stdout).toContain("| GET | `/api/v1/cart` |");
    // Findings of all rules inside the handler land in the worksheet.
    // `me` asserts the context value unchecked: no-unchecked-assertion's finding is in its row.
    expect(md.stdout.split("\n").find((l) => l.startsWith("| GET | `/api/me2`"))).toContain("no-unchecked-assertion (line 36)");
    expect(run("--format", "markdown").stdout).toBe(md.stdout);
    expect(run("--format", "xml").status).toBe(2);
    const badThreads = run("-j", "0");
    expect(badThreads.status).toBe(2);
    expect(badThreads.stderr).toContain("--threads needs a whole number");
  });

  it("goward routes takes --config (ignore list, rules of the worksheet) and --no-config like the lint command", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, "routes", ".", ...args], { cwd: APP, encoding: "utf8" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-routes-config-"));
    const cfg = path.join(dir, "goward.yml");
    fs.writeFileSync(cfg, 'rules:\n  no-unchecked-assertion: "off"\nignore:\n  - "cmd/"\n');
    try {
      const table = run("--config", cfg);
      expect(table.status).toBe(0);
      // cmd/ holds 10 of the 54 registrations (every one of them without auth middleware but one).
      expect(table.stdout).toContain("44 routes, 29 without auth middleware");
      expect(table.stdout).not.toContain("cmd/");
      const me2 = run("--config", cfg, "--format", "markdown").stdout.split("\n").find((l) => l.startsWith("| GET | `/api/me2`"));
      expect(me2).toBeDefined();
      expect(me2).not.toContain("no-unchecked-assertion");
      expect(run("--no-config").stdout).toContain("54 routes, 38 without auth middleware");
      const both = run("--config", cfg, "--no-config");
      expect(both.status).toBe(2);
      expect(both.stderr).toContain("--config and --no-config cannot be used together");
      const missing = run("--config", path.join(dir, "missing.yml"));
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain("config file not found");
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
