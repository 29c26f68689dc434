/**
 * The route model: every HTTP and WebSocket route of a Go module, with its full path (group
 * prefixes resolved), the middleware chain that applies to it (in order, with each framework's
 * registration-order semantics), its handler (resolved across files and packages of the module)
 * and facts about that handler (reads the authenticated identity, reads the body, upgrades to
 * WebSocket). It is built by interpreting the router-building code abstractly, statement by
 * statement, from `main` (and from every other function that builds or receives a router),
 * following calls into functions of the module that receive or return routers.
 *
 * Frameworks: fiber v2/v3, gin, echo, chi, net/http ServeMux (Go 1.22 patterns), gorilla/mux.
 * What it cannot see is listed in docs/routes.md.
 */
import path from "node:path";
import type { GoNode, SourceFileNode } from "../language/node-types.generated.js";
import { field, fieldAll, isFunctionLike, rootOf, unparen, walk } from "./ast.js";
import { importsOf } from "./imports.js";
import {
  DEFAULT_MUX_FUNCTIONS, HANDLER_ADAPTERS, LIBRARY_PATHS, MIDDLEWARE_FUNCTIONS, MIDDLEWARE_METHODS, ROUTER_CONSTRUCTORS, ROUTER_TYPES, ROUTE_METHODS,
  type MiddlewareKind, type RouterFramework,
} from "./library.js";
import { fileOfRoot, packageCache, packageOf, type FuncFact, type PackageCache, type PackageModel } from "./package.js";
import { importedPackage, resolveLocal, typeOf, typeOfTypeNode } from "./types.js";
import { constValue } from "./values.js";

export interface Location {
  file: string;
  line: number;
  column: number;
}

export interface MiddlewareInfo {
  /** How it is written at the registration (`middleware.Protected()`, `jwtware.New(...)`). */
  name: string;
  kind: MiddlewareKind | "unknown";
  /** How goward knows: a known library, what the function does, its name, or the config. */
  how: "library" | "behaviour" | "name" | "config" | "unresolved";
  /** Where it applies from: engine/group Use, group creation, the route itself, a wrapper. */
  scope: "use" | "group" | "route" | "wrapper";
}

export interface HandlerInfo {
  name: string;
  at?: Location;
  /** The function's node (declaration or literal), when resolved. */
  node?: GoNode;
}

export interface HandlerFacts {
  /** What the handler reads of the authenticated identity (`Locals("userID")`, `MustGet("claims")`). */
  identity: string[];
  readsBody: boolean;
  websocket: boolean;
  /** Context keys the handler (or its helpers) stores itself (`c.Set("user", u)` after a login). */
  sets: string[];
  /** Where each identity read happens (same order as `identity`). */
  identityAt: Location[];
  /**
   * Every identity read is checked by the handler itself, which rejects with 401/403 when the
   * value is missing (`uid, ok := s.Get("uid").(string); if !ok { return c.SendStatus(401) }`):
   * the handler is its own authentication.
   */
  selfAuth: boolean;
  /**
   * The handler rejects with 401/403 and reads a credential: what makes the project's own
   * middleware count as authentication "by behaviour", done by the handler itself.
   */
  rejectsUnauthenticated: boolean;
}

const noFacts = (): HandlerFacts => ({ identity: [], readsBody: false, websocket: false, sets: [], identityAt: [], selfAuth: false, rejectsUnauthenticated: false });

export interface Route {
  method: string;
  path: string;
  framework: RouterFramework;
  /** Where the route is registered (the call). */
  at: Location;
  registration: GoNode;
  middleware: MiddlewareInfo[];
  handler: HandlerInfo;
  facts: HandlerFacts;
  pathParams: string[];
  /** The router came from a caller goward did not see: prefix and outer middleware are unknown. */
  partial: boolean;
  /** Registered under an `if` (feature flag, environment check). */
  conditional: boolean;
  /**
   * The router is a net/http handler served only by `http.ListenAndServe` / `http.Server{Addr}`
   * on a constant loopback address (`"127.0.0.1:6060"`, `"localhost:9090"`, `"[::1]:8081"`).
   */
  loopbackOnly: boolean;
}

export interface RouteOptions {
  /** Names of project middleware that authenticate (function or method names). */
  authMiddleware?: string[];
}

// ---------------------------------------------------------------------------------------------
// Abstract routers

interface Use {
  seq: number;
  mw: MiddlewareInfo[];
  /** fiber `app.Use("/api", mw)`: only under this prefix (relative to the node). */
  prefix?: string;
}

class RouterNode {
  static #next = 0;
  readonly id = RouterNode.#next++;
  readonly uses: Use[] = [];
  /** Middleware wrapped around the whole router (`http.ListenAndServe(addr, logging(auth(mux)))`). */
  readonly wrappers: MiddlewareInfo[] = [];
  /** Served by net/http listeners seen: on a constant loopback address, and on any other (or unknown) address. */
  servedLoopback = false;
  servedElsewhere = false;
  constructor(
    readonly framework: RouterFramework,
    public parent: RouterNode | undefined,
    public prefix: string,
    public createdSeq: number,
    readonly creationMw: MiddlewareInfo[],
    readonly partial: boolean,
    /** echo's root (`*echo.Echo`): Use applies to every route, whenever registered. */
    readonly isRoot: boolean,
  ) {}

  fullPrefix(): string {
    return this.parent ? joinPath(this.parent.fullPrefix(), this.prefix) : this.prefix;
  }

  root(): RouterNode {
    return this.parent ? this.parent.root() : this;
  }

  isPartial(): boolean {
    return this.partial || !!this.parent?.isPartial();
  }
}

interface RawRoute {
  node: RouterNode;
  seq: number;
  method: string;
  path: string;
  routeMw: MiddlewareInfo[];
  handlerExpr: GoNode | undefined;
  registration: GoNode;
  wrappers: MiddlewareInfo[];
  handler: HandlerInfo;
  facts: HandlerFacts;
}

export function joinPath(a: string, b: string): string {
  if (!a) return b || "";
  if (!b) return a;
  return `${a.replace(/\/+$/u, "")}/${b.replace(/^\/+/u, "")}`;
}

const loc = (n: GoNode, file: string): Location => ({ file, line: n.loc.start.line, column: n.loc.start.column + 1 });

// ---------------------------------------------------------------------------------------------
// The interpreter

interface Frame {
  env: Map<string, RouterNode>;
  file: string;
  depth: number;
  /** The router each router-producing call evaluated to (a call is one router per frame). */
  memo: Map<GoNode, RouterNode | null>;
  returned?: RouterNode;
}

const IDENTITY_KEY = /user|uid|account|claims|identity|principal|subject|^sub$|member|auth|session|token|jwt|role|tenant|owner|customer|admin|current/iu;
const AUTH_NAME = /auth|jwt|protect|login|session|token|permission|rbac|casbin|acl|guard|verify|bearer|apikey|api_key|keyauth|signed|require_?user|private/iu;
const REJECTS = /StatusUnauthorized|StatusForbidden|ErrUnauthorized|ErrForbidden|\b40[13]\b/u;
const CREDENTIAL_READ = /Authorization|Bearer|[Tt]oken|Cookie|[Ss]ession|[Cc]laims|ParseWithClaims|jwt\.Parse|APIKey|ApiKey|X-API-Key/u;
const SETS_IDENTITY = /\.Locals\(\s*[^,()]+,|\.Set\(\s*[^,()]+,|context\.WithValue\(|WithContext\(/u;
/**
 * Words of a context/session key that make it a step of a login flow or a form/CSRF artefact,
 * not the authenticated identity: the OAuth `state`, a provider's `oauth-token` kept by the
 * callback, a PKCE verifier, a nonce, a CSRF token, a flash message, a post-login redirect.
 * These are stored and read by the (public) login flow itself; their absence is the normal
 * anonymous case, not a missing middleware.
 */
const FLOW_KEY_WORD = /^(?:oauth2?|oidc|openid|csrf|xsrf|state|nonce|verifier|pkce|challenge|redirect|flash)$/u;
/** The words of a key: `oauth-state` → oauth, state; `csrfToken` → csrf, token; `ctxKeyUser` → ctx, key, user. */
const keyWords = (k: string) => k.replace(/([a-z0-9])([A-Z])/gu, "$1 $2").toLowerCase().split(/[^a-z0-9]+/u).filter(Boolean);
/** Whether a key names the authenticated identity (`userID`, `user`, `claims`, `uid`, `currentUser`, `jwt`), not a login-flow value. */
export function isIdentityKey(k: string): boolean {
  return IDENTITY_KEY.test(k) && !keyWords(k).some((w) => FLOW_KEY_WORD.test(w));
}
/** Request data a middleware may copy into the context (path parameters, query, form, body). */
const REQUEST_DATA = /\b(?:Params|ParamsInt|AllParams|Param|PathValue|URLParam|Vars|Query|QueryParam|QueryInt|DefaultQuery|GetQuery|FormValue|PostFormValue|BodyParser|Bind|BindJSON|ShouldBind\w*)\b/u;

const ROUTER_LIBRARIES = new Set(["fiber", "gin", "echo", "chi", "gorillamux"]);
/** `s` as a literal inside a RegExp. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/gu, "\\$&");
const importOf = (ids: (id: string) => boolean) =>
  new RegExp(`"(?:${Object.entries(LIBRARY_PATHS).filter(([, id]) => ids(id)).map(([p]) => escapeRegExp(p)).join("|")})"`, "u");
const ROUTER_IMPORT = importOf((id) => ROUTER_LIBRARIES.has(id));
const NET_HTTP_IMPORT = importOf((id) => id === "net/http");
/** ServeMux routes need a mux (a value or a parameter type) or the default mux's Handle/HandleFunc. */
const NET_HTTP_ROUTING = /ServeMux|\bHandle(?:Func)?\(/u;
/**
 * A file of a package that can build or receive a router: `package main`, an import of a router
 * library, or net/http with routing words (most packages that import net/http route nothing).
 */
function routerPackageText(text: string): boolean {
  return /^package\s+main\b/mu.test(text) || ROUTER_IMPORT.test(text) || (NET_HTTP_IMPORT.test(text) && NET_HTTP_ROUTING.test(text));
}

export class RouteAnalysis {
  readonly #cache: PackageCache;
  readonly #opts: RouteOptions;
  readonly #models = new Map<string, PackageModel | undefined>();
  readonly #raw: RawRoute[] = [];
  /** Functions already interpreted, by file and offset (a package may be parsed more than once). */
  readonly #interpreted = new Set<string>();
  readonly #fieldRouters = new Map<string, RouterNode>();
  readonly #globalRouters = new Map<string, RouterNode>();
  readonly #defaultMux: RouterNode;
  readonly #mwCache = new Map<GoNode, { kind: MiddlewareKind | "unknown"; how: MiddlewareInfo["how"] }>();
  readonly #factsCache = new Map<GoNode, HandlerFacts>();
  readonly #callMemo = new Map<string, RouterNode | undefined>();
  #seq = 0;
  #texts = new Map<SourceFileNode, string>();

  constructor(cache: PackageCache, opts: RouteOptions = {}) {
    this.#cache = cache;
    this.#opts = opts;
    this.#defaultMux = new RouterNode("net/http", undefined, "", 0, [], false, true);
  }

  model(dir: string): PackageModel | undefined {
    if (!this.#models.has(dir)) this.#models.set(dir, this.#cache.packageInDir(dir));
    return this.#models.get(dir);
  }

  #text(n: GoNode): string {
    const root = rootOf(n);
    let t = this.#texts.get(root);
    if (t === undefined) {
      const file = fileOfRoot(root)?.path;
      t = file ? this.#cache.sourceText(file) : "";
      this.#texts.set(root, t);
    }
    return t.slice(n.range[0], n.range[1]);
  }

  #fileOf(root: SourceFileNode): string | undefined {
    return fileOfRoot(root)?.path;
  }

  /** Runs the analysis over the packages in `dirs` (all of one module). */
  run(dirs: string[]): Route[] {
    // Routers are built in package main or in packages that import a router library (a router
    // handed in as a parameter has a router type, so its package imports the library too).
    // Other packages (handlers) are loaded on demand, when a route leads to them.
    const models = dirs
      .filter((d) => this.#cache.dirTextMatches(d, routerPackageText))
      .map((d) => this.model(d))
      .filter((m): m is PackageModel => !!m);
    // Roots first: main functions, then everything else that builds or receives a router.
    const mains = models.filter((m) => m.packageName === "main").flatMap((m) => [m.funcs.get("main"), m.funcs.get("init")].filter((f): f is FuncFact => !!f));
    for (const f of mains) this.#interpretFunc(f, new Map(), 0);
    for (const m of models) {
      for (const f of m.funcs.values()) {
        if (this.#interpreted.has(funcKey(f))) continue;
        const bindings = new Map<string, RouterNode>();
        for (const p of f.params) {
          const t = typeOfTypeNode(p.typeNode);
          const fw = t ? ROUTER_TYPES[t] : undefined;
          if (fw && p.name) bindings.set(p.name, new RouterNode(fw, undefined, "", 0, [], true, false));
        }
        if (bindings.size || this.#buildsRouter(f.node)) this.#interpretFunc(f, bindings, 0);
      }
    }
    return this.#finish();
  }

  #buildsRouter(fn: GoNode): boolean {
    const imports = importsOf(rootOf(fn));
    let found = false;
    walk(fn, (n) => {
      if (found) return false;
      if (n.type === "call_expression") {
        const f = unparen(field(n, "function"));
        if (f?.type === "selector_expression") {
          const lib = imports.library(field(f, "operand")?.text ?? "");
          const name = field(f, "field")?.text ?? "";
          if (lib && (ROUTER_CONSTRUCTORS[lib]?.[name] || (lib === "net/http" && DEFAULT_MUX_FUNCTIONS.has(name)))) found = true;
        }
      }
      return true;
    });
    return found;
  }

  #interpretFunc(f: FuncFact, bindings: Map<string, RouterNode>, depth: number): RouterNode | undefined {
    this.#interpreted.add(funcKey(f));
    const frame: Frame = { env: new Map(bindings), file: f.file.path, depth, memo: new Map() };
    const receiver = field(f.node, "receiver");
    void receiver;
    const body = field(f.node, "body");
    if (body) this.#block(body, frame, false);
    return frame.returned;
  }

  /** Interprets the statements under `n` in source order. */
  #block(n: GoNode, frame: Frame, conditional: boolean): void {
    walk(n, (c) => this.#visit(c, frame, conditional));
  }

  /**
   * Interprets an expression including its own node: a right-hand side or an argument that is
   * itself a call (`router.Group("/").Use(auth)`, `log.Fatal(http.ListenAndServe(addr, h))`),
   * which `#block` (children only) would skip.
   */
  #expr(n: GoNode, frame: Frame, conditional: boolean): void {
    if (this.#visit(n, frame, conditional)) this.#block(n, frame, conditional);
  }

  /** One node of a walk: interprets it; true to descend into its children. */
  #visit(c: GoNode, frame: Frame, conditional: boolean): boolean {
    {
      switch (c.type) {
        case "func_literal":
          // Closures run with the enclosing bindings (handlers built inline, goroutines).
          this.#block(field(c, "body") ?? c, frame, conditional);
          return false;
        case "if_statement": {
          const init = field(c, "initializer");
          if (init) this.#block(init, frame, conditional);
          const cons = field(c, "consequence");
          const alt = field(c, "alternative");
          if (cons) this.#block(cons, frame, true);
          if (alt) this.#block(alt, frame, true);
          return false;
        }
        case "short_var_declaration":
        case "assignment_statement": {
          const left = field(c, "left");
          const right = field(c, "right");
          const ls = left?.type === "expression_list" ? left.children : left ? [left] : [];
          const rs = right?.type === "expression_list" ? right.children : right ? [right] : [];
          // Evaluate right-hand calls (with their side effects) first.
          for (const r of rs) this.#expr(r, frame, conditional);
          rs.forEach((r, i) => {
            if (ls.length !== rs.length) return;
            const node = this.#evalRouter(r, frame);
            if (node) this.#bind(ls[i], node, frame);
          });
          return false;
        }
        case "var_spec": {
          const values = field(c, "value")?.children ?? [];
          for (const v of values) this.#expr(v, frame, conditional);
          fieldAll(c, "name").forEach((id, i) => {
            const node = values[i] ? this.#evalRouter(values[i], frame) : undefined;
            if (node) this.#bind(id, node, frame);
          });
          return false;
        }
        case "return_statement": {
          const first = c.children[0]?.type === "expression_list" ? c.children[0].children[0] : c.children[0];
          if (first) {
            this.#block(c, frame, conditional);
            const node = this.#evalRouter(first, frame);
            if (node) frame.returned = node;
          }
          return false;
        }
        case "composite_literal": {
          // &http.Server{Handler: logging(mux)} and &Server{router: fiber.New()}
          for (const el of field(c, "body")?.children ?? []) {
            if (el.type !== "keyed_element") continue;
            const key = el.children[0]?.children[0]?.text ?? el.children[0]?.text;
            const value = el.children[1]?.children[0] ?? el.children[1];
            this.#expr(value, frame, conditional);
            if (key === "Handler" && typeOf(c) === "http.Server") {
              const addr = (field(c, "body")?.children ?? []).find((x) => x.type === "keyed_element" && (x.children[0]?.children[0]?.text ?? x.children[0]?.text) === "Addr");
              const addrValue = addr ? (addr.children[1]?.children[0] ?? addr.children[1]) : undefined;
              this.#wrapServe(value, frame, addrValue);
            }
            const node = this.#evalRouter(value, frame);
            const t = typeOf(c);
            if (node && t && key) this.#fieldRouters.set(`${t}.${key}`, node);
          }
          return false;
        }
        case "call_expression":
          // Arguments first (nested calls), then the call itself.
          for (const a of field(c, "arguments")?.children ?? []) if (a.type !== "func_literal") this.#expr(a, frame, conditional);
          {
            const fn = unparen(field(c, "function"));
            if (fn?.type === "selector_expression") this.#block(fn, frame, conditional);
            // An immediately called literal (`go func() { log.Fatal(http.ListenAndServe(addr, mux)) }()`).
            if (fn?.type === "func_literal") this.#block(field(fn, "body") ?? fn, frame, conditional);
          }
          this.#call(c, frame, conditional);
          return false;
        default:
          return true;
      }
    }
  }

  #bind(target: GoNode, node: RouterNode, frame: Frame): void {
    const t = unparen(target);
    if (t?.type === "identifier" && t.text && t.text !== "_") {
      frame.env.set(t.text, node);
      // A package-level variable assigned in a function (`App = fiber.New()`).
      if (!resolveLocal(t)) this.#globalRouters.set(`${packageOf(rootOf(t)).dir}:${t.text}`, node);
    } else if (t?.type === "selector_expression") {
      const owner = typeOf(field(t, "operand"));
      const name = field(t, "field")?.text;
      if (owner && name) this.#fieldRouters.set(`${owner}.${name}`, node);
    }
  }

  /** The router an expression denotes, creating nodes for constructors and groups. */
  #evalRouter(expr: GoNode | undefined, frame: Frame, depth = 0): RouterNode | undefined {
    const e = unparen(expr);
    if (!e || depth > 8) return undefined;
    if (e.type === "unary_expression") return this.#evalRouter(field(e, "operand"), frame, depth + 1);
    if (e.type === "identifier") {
      const hit = frame.env.get(e.text ?? "");
      if (hit) return hit;
      const model = packageOf(rootOf(e));
      const g = this.#globalRouters.get(`${model.dir}:${e.text}`);
      if (g) return g;
      const v = !resolveLocal(e) ? model.values.get(e.text ?? "") : undefined;
      if (v?.init) {
        const node = this.#evalRouter(v.init, { ...frame, env: new Map(), memo: frame.memo }, depth + 1);
        if (node) this.#globalRouters.set(`${model.dir}:${e.text}`, node);
        return node;
      }
      return undefined;
    }
    if (e.type === "selector_expression") {
      const operand = field(e, "operand");
      const name = field(e, "field")?.text ?? "";
      const imports = importsOf(rootOf(e));
      const pkg = importedPackage(operand, imports);
      if (pkg) {
        if (imports.library(operand!.text ?? "") === "net/http" && name === "DefaultServeMux") return this.#defaultMux;
        const other = this.#cache.modelForImport(frame.file, pkg);
        if (other) {
          const key = `${other.dir}:${name}`;
          const g = this.#globalRouters.get(key);
          if (g) return g;
        }
        return undefined;
      }
      const owner = typeOf(operand);
      return owner ? this.#fieldRouters.get(`${owner}.${name}`) : undefined;
    }
    if (e.type !== "call_expression") return undefined;
    if (frame.memo.has(e)) return frame.memo.get(e) ?? undefined;
    frame.memo.set(e, null);
    const node = this.#evalCall(e, frame, depth);
    frame.memo.set(e, node ?? null);
    return node;
  }

  #evalCall(call: GoNode, frame: Frame, depth: number): RouterNode | undefined {
    const fn = unparen(field(call, "function"));
    const args = field(call, "arguments")?.children ?? [];
    const imports = importsOf(rootOf(call));
    if (fn?.type === "selector_expression") {
      const operand = field(fn, "operand");
      const name = field(fn, "field")?.text ?? "";
      const pkg = importedPackage(operand, imports);
      if (pkg) {
        const lib = imports.library(operand!.text ?? "");
        const fw = lib ? ROUTER_CONSTRUCTORS[lib]?.[name] : undefined;
        if (fw) return new RouterNode(fw, undefined, "", this.#seq++, [], false, true);
        if (!lib) return this.#callModuleFunc(call, frame);
        return undefined;
      }
      const recv = this.#evalRouter(operand, frame, depth + 1);
      if (recv) {
        const fw = recv.framework;
        if (name === "Group" && (fw === "fiber" || fw === "gin" || fw === "echo") && args.length >= 1) {
          const prefix = pathText(args[0]);
          const mw = args.slice(1).map((a) => this.#middleware(a, "group", frame));
          return new RouterNode(fw, recv, prefix, this.#seq++, mw, false, false);
        }
        if (name === "With" && fw === "chi") {
          return new RouterNode(fw, recv, "", this.#seq++, args.map((a) => this.#middleware(a, "route", frame)), false, false);
        }
        if (name === "Subrouter" && fw === "gorilla/mux") return recv;
        // gin's and fiber's Use return the group itself (`r.Group("/").Use(auth)`, `g.Use(a).Use(b)`),
        // with the middleware added; the registration happens in #call (the call is interpreted as
        // an expression before it is bound).
        if (name === "Use" && (fw === "gin" || fw === "fiber" || fw === "chi")) return recv;
        if (name === "PathPrefix" && fw === "gorilla/mux" && args.length === 1) {
          return new RouterNode(fw, recv, String(constValue(args[0]) ?? "{?}"), this.#seq++, [], false, false);
        }
        return undefined;
      }
      // A method of a project type returning a router (`s.routes()`).
      return this.#callModuleFunc(call, frame);
    }
    if (fn?.type === "identifier") return this.#callModuleFunc(call, frame);
    return undefined;
  }

  /** Resolves a call to a function or method of the module. */
  #calleeOf(call: GoNode, frame: Frame): FuncFact | undefined {
    const fn = unparen(field(call, "function"));
    const root = rootOf(call);
    const model = packageOf(root);
    if (fn?.type === "identifier") {
      if (resolveLocal(fn)) return undefined;
      const own = this.model(model.dir) ?? model;
      return own.funcs.get(fn.text ?? "") ?? model.funcs.get(fn.text ?? "");
    }
    if (fn?.type !== "selector_expression") return undefined;
    const operand = field(fn, "operand");
    const name = field(fn, "field")?.text ?? "";
    const pkg = importedPackage(operand, importsOf(root));
    if (pkg) return this.#cache.modelForImport(frame.file, pkg)?.funcs.get(name);
    const t = typeOf(operand);
    return t ? this.#methodOf(t, name, model, frame.file, 0) : undefined;
  }

  /** A method of a module type, also promoted from embedded module types (`type RouterGroup struct{ ApiRouter }`). */
  #methodOf(t: string, name: string, from: PackageModel, fromFile: string, depth: number): FuncFact | undefined {
    if (depth > 4) return undefined;
    let model: PackageModel | undefined = from;
    let local = t;
    if (!t.startsWith("pkg.")) {
      const dot = t.lastIndexOf(".");
      if (dot <= 0 || !t.includes("/")) return undefined;
      model = this.#cache.modelForImport(fromFile, t.slice(0, dot));
      local = `pkg.${t.slice(dot + 1)}`;
    }
    if (!model) return undefined;
    const direct = model.method(local, name);
    if (direct) return direct;
    const fact = model.types.get(local.slice(4));
    for (const f of fact?.fields ?? []) {
      if (!f.embedded) continue;
      const ref = model.typeRefOf(f.typeNode, fact!.file.imports);
      const qualified = ref?.startsWith("pkg.") && model.importPath ? `${model.importPath}.${ref.slice(4)}` : ref;
      const inner = qualified ? this.#methodOf(ref!.startsWith("pkg.") ? ref! : qualified, name, model, fact!.file.path, depth + 1) : undefined;
      if (inner) return inner;
    }
    return undefined;
  }

  #callModuleFunc(call: GoNode, frame: Frame): RouterNode | undefined {
    if (frame.depth > 8) return undefined;
    const callee = this.#calleeOf(call, frame);
    if (!callee) return undefined;
    const args = field(call, "arguments")?.children ?? [];
    const bindings = new Map<string, RouterNode>();
    callee.params.forEach((p, i) => {
      const node = args[i] ? this.#evalRouter(args[i], frame) : undefined;
      if (node && p.name) bindings.set(p.name, node);
    });
    // Receiver bound to its fields' routers happens through #fieldRouters.
    const key = `${callee.file.path}:${callee.node.range[0]}:${[...bindings.entries()].map(([k, v]) => `${k}=${v.id}`).join(",")}`;
    if (this.#callMemo.has(key)) return this.#callMemo.get(key);
    this.#callMemo.set(key, undefined);
    const result = this.#interpretFunc(callee, bindings, frame.depth + 1);
    this.#callMemo.set(key, result);
    return result;
  }

  /** A call statement: registrations, Use, Route/Group/Mount, serving, and calls into the module. */
  #call(call: GoNode, frame: Frame, conditional: boolean): void {
    const fn = unparen(field(call, "function"));
    const args = field(call, "arguments")?.children ?? [];
    const imports = importsOf(rootOf(call));
    if (fn?.type === "selector_expression") {
      const operand = field(fn, "operand");
      const name = field(fn, "field")?.text ?? "";
      const pkg = importedPackage(operand, imports);
      if (pkg) {
        const lib = imports.library(operand!.text ?? "");
        if (lib === "net/http" && DEFAULT_MUX_FUNCTIONS.has(name)) {
          this.#register(this.#defaultMux, "*", args[0], [], args[1], call, frame, conditional);
          return;
        }
        if (lib === "net/http" && (name === "ListenAndServe" || name === "ListenAndServeTLS" || name === "Serve" || name === "ServeTLS")) {
          const h = name === "ListenAndServeTLS" ? args[3] : args[1];
          if (h) this.#wrapServe(h, frame, name.startsWith("ListenAndServe") ? args[0] : undefined);
          return;
        }
        if (!lib) this.#callModuleFunc(call, frame);
        return;
      }
      const recv = this.#evalRouter(operand, frame);
      if (!recv) {
        if (field(fn, "field")?.text === "Methods") return; // gorilla: handled with its HandleFunc
        this.#callModuleFunc(call, frame);
        return;
      }
      const fw = recv.framework;
      const verb = ROUTE_METHODS[fw][name];
      if (verb) {
        this.#registerCall(recv, verb, name, args, call, frame, conditional);
        return;
      }
      if (name === "Use" || (name === "Pre" && fw === "echo")) {
        let rest = args;
        let prefix: string | undefined;
        if (fw === "fiber" && args.length && typeof constValue(args[0]) === "string") {
          prefix = String(constValue(args[0]));
          rest = args.slice(1);
        }
        // fiber `app.Use("/api", subApp)` mounts a router; anything else is middleware.
        const mounted = rest.length === 1 ? this.#evalRouter(rest[0], frame) : undefined;
        if (mounted && mounted !== recv) {
          mounted.parent = recv;
          mounted.prefix = prefix ?? "";
          mounted.createdSeq = this.#seq++;
          return;
        }
        recv.uses.push({ seq: this.#seq++, mw: rest.map((a) => this.#middleware(a, "use", frame)), prefix });
        return;
      }
      if ((name === "Route" && (fw === "chi" || fw === "fiber")) || (name === "Group" && fw === "chi" && args.length === 1)) {
        const prefix = name === "Route" ? String(constValue(args[0]) ?? "{?}") : "";
        const fnArg = name === "Route" ? args[1] : args[0];
        const child = new RouterNode(fw, recv, prefix, this.#seq++, [], false, false);
        this.#withRouterArg(fnArg, child, frame);
        return;
      }
      if (name === "Mount" && args.length >= 2) {
        const sub = this.#evalRouter(args[1], frame);
        if (sub && sub !== recv) {
          sub.parent = recv;
          sub.prefix = String(constValue(args[0]) ?? "{?}");
          sub.createdSeq = this.#seq++;
        }
        return;
      }
      return;
    }
    if (fn?.type === "identifier") this.#callModuleFunc(call, frame);
  }

  /** Interprets a `func(r chi.Router) {...}` (literal or named) with its parameter bound to `node`. */
  #withRouterArg(fnArg: GoNode | undefined, node: RouterNode, frame: Frame): void {
    const f = unparen(fnArg);
    if (f?.type === "func_literal") {
      const params = field(f, "parameters")?.children.filter((c) => c.type === "parameter_declaration") ?? [];
      const name = fieldAll(params[0], "name")[0]?.text;
      const env = new Map(frame.env);
      if (name) env.set(name, node);
      this.#block(field(f, "body") ?? f, { ...frame, env }, false);
      return;
    }
    if (f?.type === "identifier" || f?.type === "selector_expression") {
      const fake = { type: "call_expression", fields: { function: f }, children: [f], parent: f.parent } as unknown as GoNode;
      const callee = this.#calleeOf(fake, frame);
      const p = callee?.params[0]?.name;
      if (callee && p) this.#interpretFunc(callee, new Map([[p, node]]), frame.depth + 1);
    }
  }

  #registerCall(recv: RouterNode, verb: string, name: string, args: GoNode[], call: GoNode, frame: Frame, conditional: boolean): void {
    const fw = recv.framework;
    let methods: string[];
    let pathArg: GoNode | undefined;
    let rest: GoNode[];
    if (verb === "(arg)") {
      methods = [String(constValue(args[0]) ?? "{?}")];
      pathArg = args[1];
      rest = args.slice(2);
    } else if (verb === "(args)") {
      methods = (field(args[0], "body")?.children ?? []).map((e) => String(constValue(e.children[0] ?? e) ?? "{?}"));
      pathArg = args[1];
      rest = args.slice(2);
    } else {
      methods = [verb];
      pathArg = args[0];
      rest = args.slice(1);
    }
    // gorilla: r.HandleFunc("/x", h).Methods("GET", "POST")
    if (fw === "gorilla/mux") {
      const sel = call.parent;
      const outer = sel?.type === "selector_expression" && field(sel, "field")?.text === "Methods" ? sel.parent : undefined;
      if (outer?.type === "call_expression") methods = (field(outer, "arguments")?.children ?? []).map((a) => String(constValue(a) ?? "{?}"));
    }
    if (rest.length === 0) return;
    // Handler position: last for fiber/gin/chi/net/http; first for echo (middleware come after).
    let handlerArg: GoNode;
    let mwArgs: GoNode[];
    if (fw === "echo") {
      handlerArg = rest[0];
      mwArgs = rest.slice(1);
    } else {
      handlerArg = rest[rest.length - 1];
      mwArgs = rest.slice(0, -1);
    }
    const mw = mwArgs.map((a) => this.#middleware(a, "route", frame));
    void name;
    for (const m of methods) this.#register(recv, m, pathArg, mw, handlerArg, call, frame, conditional);
  }

  #register(node: RouterNode, method: string, pathArg: GoNode | undefined, mw: MiddlewareInfo[], handlerArg: GoNode | undefined, call: GoNode, frame: Frame, conditional: boolean): void {
    let p = pathArg ? pathText(pathArg) : "{?}";
    // Go 1.22 ServeMux patterns: "GET /users/{id}", "example.com/x".
    if (node.framework === "net/http") {
      const m = /^([A-Z]+)\s+(.*)$/u.exec(p);
      if (m) {
        method = m[1];
        p = m[2];
      }
      if (!p.startsWith("/") && p.includes("/")) p = p.slice(p.indexOf("/"));
    }
    if (method === "*") method = "ANY";
    const wrappers: MiddlewareInfo[] = [];
    const handler = this.#resolveHandler(handlerArg, frame, wrappers);
    const facts = handler.node ? this.#facts(handler.node) : noFacts();
    this.#raw.push({
      node, seq: this.#seq++, method, path: p, routeMw: mw, handlerExpr: handlerArg, registration: call, wrappers, handler, facts,
    });
    if (conditional) this.#conditional.add(call);
  }

  readonly #conditional = new Set<GoNode>();

  /** `http.ListenAndServe(addr, logging(auth(mux)))`: wrappers around a whole router. */
  #wrapServe(h: GoNode, frame: Frame, addr?: GoNode): void {
    const wrappers: MiddlewareInfo[] = [];
    let e = unparen(h);
    // Only a constant host part counts: `":6060"`, a variable or a listener built elsewhere may face the network.
    const a = addr ? constValue(addr) : undefined;
    const loopback = typeof a === "string" && /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]):\d*$/u.test(a);
    for (let i = 0; i < 8 && e; i++) {
      const node = this.#evalRouter(e, frame);
      if (node) {
        node.wrappers.push(...wrappers);
        if (loopback) node.servedLoopback = true;
        else node.servedElsewhere = true;
        return;
      }
      if (e.type !== "call_expression") return;
      const args = field(e, "arguments")?.children ?? [];
      const inner = args.find((a) => this.#evalRouter(a, frame) || unparen(a)?.type === "call_expression");
      if (!inner) return;
      wrappers.push(this.#middleware(field(e, "function")!, "wrapper", frame));
      e = unparen(inner);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Handlers

  #resolveHandler(expr: GoNode | undefined, frame: Frame, wrappers: MiddlewareInfo[], depth = 0): HandlerInfo {
    const e = unparen(expr);
    if (!e || depth > 6) return { name: "?" };
    const short = displayName(this.#text(e));
    if (e.type === "func_literal") return { name: "func literal", node: e, at: loc(e, frame.file) };
    if (e.type === "call_expression") {
      const fn = unparen(field(e, "function"));
      const args = field(e, "arguments")?.children ?? [];
      const imports = importsOf(rootOf(e));
      if (fn?.type === "selector_expression") {
        const lib = importedPackage(field(fn, "operand"), imports) ? imports.library(field(fn, "operand")?.text ?? "") : undefined;
        const name = field(fn, "field")?.text ?? "";
        if (lib && HANDLER_ADAPTERS[lib]?.has(name)) return this.#resolveHandler(args[0], frame, wrappers, depth + 1);
        if (lib && MIDDLEWARE_FUNCTIONS[lib]?.[name]) {
          wrappers.push(this.#middleware(e, "wrapper", frame));
          return this.#resolveHandler(args[0], frame, wrappers, depth + 1);
        }
        if (lib === "fiberws" && name === "New") {
          return { name: short, node: e, at: loc(e, frame.file) };
        }
      }
      // A wrapper: one argument is itself a handler (`auth(http.HandlerFunc(h))`).
      const inner = args.find((a) => {
        const u = unparen(a);
        return u && (u.type === "func_literal" || u.type === "call_expression" || this.#funcOf(u, frame));
      });
      const callee = this.#calleeOf(e, frame);
      if (inner && callee && this.#returnsFunc(callee.node)) {
        const innerHandler = this.#resolveHandler(inner, frame, wrappers, depth + 1);
        if (innerHandler.node) {
          wrappers.push(this.#middleware(fn!, "wrapper", frame));
          return innerHandler;
        }
      }
      // A handler factory: `handlers.GetUser(db)` returns the handler.
      if (callee) return { name: `${this.#text(fn!)}(…)`, node: callee.node, at: loc(callee.node, callee.file.path) };
      return { name: short };
    }
    const f = this.#funcOf(e, frame);
    if (f) return { name: short, node: f.node, at: loc(f.node, f.file.path) };
    if (e.type === "identifier") {
      const b = resolveLocal(e);
      if (b?.value && b.values === b.names) return this.#resolveHandler(b.value, frame, wrappers, depth + 1);
    }
    return { name: short };
  }

  /** A function or method value: `getUser`, `handlers.GetUser`, `h.GetUser`, `handlers.New(db).Get`. */
  #funcOf(e: GoNode, frame: Frame): FuncFact | undefined {
    if (e.type !== "identifier" && e.type !== "selector_expression") return undefined;
    const fake = { type: "call_expression", fields: { function: e }, children: [e], parent: e.parent } as unknown as GoNode;
    return this.#calleeOf(fake, frame);
  }

  #returnsFunc(fn: GoNode): boolean {
    const results = field(fn, "result");
    if (!results) return false;
    const t = this.#text(results);
    return /func\s*\(|Handler|HandlerFunc|Middleware|gin\.HandlerFunc|fiber\.Handler|echo\.HandlerFunc/u.test(t);
  }

  #facts(fn: GoNode, depth = 0, seen = new Set<GoNode>()): HandlerFacts {
    const cached = this.#factsCache.get(fn);
    if (cached) return cached;
    const facts = noFacts();
    if (depth > 2 || seen.has(fn)) return facts;
    /** Per identity read (same order as `identity`): the handler rejects when it is missing. */
    const guarded: boolean[] = [];
    seen.add(fn);
    const root = rootOf(fn);
    const imports = importsOf(root);
    const setKeys = new Set<string>();
    walk(fn, (n) => {
      if (n.type !== "call_expression") return true;
      const f = unparen(field(n, "function"));
      const args = field(n, "arguments")?.children ?? [];
      if (f?.type === "selector_expression") {
        const name = field(f, "field")?.text ?? "";
        const operand = field(f, "operand");
        const lib = importedPackage(operand, imports) ? imports.library(operand?.text ?? "") : undefined;
        if (!lib && ((name === "Locals" && args.length === 2) || (name === "Set" && args.length === 2))) {
          const kv = constValue(args[0]);
          setKeys.add(typeof kv === "string" ? JSON.stringify(kv) : this.#text(args[0]));
        }
        const identityGetter = (name === "Locals" && args.length === 1) || ((name === "MustGet" || name === "Get" || name === "Value") && args.length === 1);
        if (identityGetter && !lib) {
          const k = args[0];
          const kv = constValue(k);
          const keyName = typeof kv === "string" ? kv : this.#text(k);
          if (isIdentityKey(keyName) && !/header|query|param|form/iu.test(this.#text(operand!))) {
            facts.identity.push(`${name}(${typeof kv === "string" ? JSON.stringify(kv) : keyName})`);
            facts.identityAt.push(loc(n, this.#fileOf(root) ?? ""));
            guarded.push(this.#guarded(n, fn));
          }
        }
        if (lib === "jwtauth" && name === "FromContext") {
          facts.identity.push("jwtauth.FromContext");
          facts.identityAt.push(loc(n, this.#fileOf(root) ?? ""));
          guarded.push(this.#guarded(n, fn));
        }
        if (/^(?:BodyParser|Bind|BindJSON|ShouldBind\w*|GetRawData|BodyRaw|ParseForm|ParseMultipartForm|FormFile|MultipartForm)$/u.test(name) && !lib) facts.readsBody = true;
        if ((lib === "io" || lib === "ioutil") && name === "ReadAll" && /\.Body\b/u.test(this.#text(args[0] ?? n))) facts.readsBody = true;
        if (lib === "json" && name === "NewDecoder" && /\.Body\b/u.test(this.#text(args[0] ?? n))) facts.readsBody = true;
        if (name === "Body" && args.length === 0 && !lib) facts.readsBody = true;
        if ((name === "Upgrade" && args.length >= 2 && !lib) || (lib === "nhooyrws" && name === "Accept") || (lib === "fiberws" && name === "New")) facts.websocket = true;
      }
      // One level into helpers of the module that get the request (`utils.GetUserID(c)`).
      if (depth < 2) {
        const frame: Frame = { env: new Map(), file: this.#fileOf(root) ?? "", depth: 0, memo: new Map() };
        const callee = this.#calleeOf(n, frame);
        if (callee && callee.node !== fn) {
          const sub = this.#facts(callee.node, depth + 1, seen);
          facts.identity.push(...sub.identity.map((s) => `${this.#text(f!)}() → ${s}`));
          facts.identityAt.push(...sub.identityAt);
          // A helper that rejects itself on a missing identity, or a call whose result the handler checks.
          const g = sub.selfAuth || this.#guarded(n, fn);
          guarded.push(...sub.identity.map(() => g));
          facts.readsBody ||= sub.readsBody;
          for (const k of sub.sets) setKeys.add(k);
        }
      }
      return true;
    });
    // A value the handler stores itself (login and registration put the new user in the context
    // for a serializer) is not one that a middleware must have provided.
    const keep = facts.identity.map((i, idx) => facts.identity.indexOf(i) === idx && ![...setKeys].some((k) => i.endsWith(`(${k})`)));
    facts.identityAt = facts.identityAt.filter((_, idx) => keep[idx]);
    facts.identity = facts.identity.filter((_, idx) => keep[idx]);
    const kept = guarded.filter((_, idx) => keep[idx]);
    facts.selfAuth = kept.length > 0 && kept.every(Boolean);
    const text = this.#text(fn);
    facts.rejectsUnauthenticated = REJECTS.test(text) && CREDENTIAL_READ.test(text);
    facts.sets = [...setKeys];
    if (depth === 0) this.#factsCache.set(fn, facts);
    return facts;
  }

  /**
   * Whether the value read at `site` (a call in `fn`) is checked by `fn`, which rejects with
   * 401/403 when it is missing: the read is an `if` condition whose branch rejects
   * (`if c.Locals("user") == nil { return fiber.ErrUnauthorized }`), or it is assigned and a later
   * `if` on one of the assigned names rejects (`uid, ok := s.Get("uid").(string); if !ok {...}`,
   * `id, err := currentUser(c); if err != nil { return c.SendStatus(401) }`). A single-value type
   * assertion (`c.Locals("uid").(string)`) panics before any check, so it is never guarded.
   */
  #guarded(site: GoNode, fn: GoNode): boolean {
    let s: GoNode | undefined = site;
    let asserted = false;
    while (s && s !== fn && s.parent) {
      if (s.type === "type_assertion_expression") asserted = true;
      const p: GoNode = s.parent;
      if (p.type === "if_statement" && field(p, "condition") === s) return this.#rejectsIn(field(p, "consequence"));
      if (p.type === "short_var_declaration" || p.type === "assignment_statement" || p.type === "var_spec") {
        const left = p.type === "var_spec" ? fieldAll(p, "name") : (() => {
          const l = field(p, "left");
          return l?.type === "expression_list" ? l.children : l ? [l] : [];
        })();
        const names = left.map((x) => x.text ?? "").filter((x) => /^[A-Za-z_]\w*$/u.test(x) && x !== "_");
        if (asserted && left.length === 1) return false;
        if (!names.length) return false;
        const used = new RegExp(`\\b(?:${names.join("|")})\\b`, "u");
        const stmt = p.type === "var_spec" ? p.parent ?? p : p;
        // `if uid, ok := ...; !ok { ... }`
        const owner = stmt.parent;
        if (owner?.type === "if_statement" && field(owner, "initializer") === stmt) {
          const cond = field(owner, "condition");
          return !!cond && used.test(this.#text(cond)) && this.#rejectsIn(field(owner, "consequence"));
        }
        let found = false;
        walk(fn, (n) => {
          if (found) return false;
          if (n.type === "if_statement" && n.range[0] > stmt.range[0]) {
            const cond = field(n, "condition");
            if (cond && used.test(this.#text(cond)) && this.#rejectsIn(field(n, "consequence"))) found = true;
          }
          return true;
        });
        return found;
      }
      if (/statement$|^block$/u.test(p.type)) return false;
      s = p;
    }
    return false;
  }

  #rejectsIn(n: GoNode | undefined): boolean {
    return !!n && REJECTS.test(this.#text(n));
  }

  /**
   * Context keys a middleware of the project copies from the request (path parameters, query,
   * form, body) without rejecting unauthenticated callers (`c.Locals("userID", fiber.Params[int](c,
   * "userID"))` after checking that the user exists): a handler behind it that reads the key reads
   * that value, not an identity.
   */
  #requestSets(expr: GoNode, frame: Frame): string[] {
    const e = unparen(expr);
    if (!e) return [];
    const fn = e.type === "func_literal" ? undefined : e.type === "call_expression" ? this.#calleeOf(e, frame) : this.#funcOf(e, frame);
    const body = e.type === "func_literal" ? e : fn?.node;
    if (!body) return [];
    const text = this.#text(body);
    if (REJECTS.test(text)) return [];
    const imports = importsOf(rootOf(body));
    const out: string[] = [];
    walk(body, (n) => {
      if (n.type !== "call_expression") return true;
      const f = unparen(field(n, "function"));
      const args = field(n, "arguments")?.children ?? [];
      if (f?.type !== "selector_expression") return true;
      const name = field(f, "field")?.text ?? "";
      const operand = field(f, "operand");
      const lib = importedPackage(operand, imports) ? imports.library(operand?.text ?? "") : undefined;
      let key: GoNode | undefined;
      let value: GoNode | undefined;
      if (!lib && (name === "Locals" || name === "Set") && args.length === 2) [key, value] = args;
      else if (lib === "context" && name === "WithValue" && args.length === 3) [, key, value] = args;
      if (!key || !value) return true;
      if (!this.#fromRequest(value, body)) return true;
      const kv = constValue(key);
      out.push(typeof kv === "string" ? JSON.stringify(kv) : this.#text(key));
      return true;
    });
    return out;
  }

  /** A value that is request data: read directly, or a variable assigned from it in `body`. */
  #fromRequest(value: GoNode, body: GoNode): boolean {
    const v = unparen(value);
    if (!v) return false;
    const t = this.#text(v);
    if (REQUEST_DATA.test(t)) return true;
    if (v.type !== "identifier" && !(v.type === "call_expression" && (field(v, "arguments")?.children.length ?? 0) === 1)) return false;
    // `uint(id)` converts the variable; `id` is the variable itself.
    const id = v.type === "identifier" ? v : unparen(field(v, "arguments")?.children[0]);
    if (id?.type !== "identifier") return false;
    let found = false;
    walk(body, (n) => {
      if (found) return false;
      if ((n.type === "short_var_declaration" || n.type === "assignment_statement") && n.range[0] < v.range[0]) {
        const l = field(n, "left");
        const ls = l?.type === "expression_list" ? l.children : l ? [l] : [];
        const r = field(n, "right");
        if (ls.some((x) => x.text === id.text) && r && REQUEST_DATA.test(this.#text(r))) found = true;
      }
      return true;
    });
    return found;
  }

  // -------------------------------------------------------------------------------------------
  // Middleware

  #middleware(expr: GoNode, scope: MiddlewareInfo["scope"], frame: Frame): MiddlewareInfo {
    const name = displayName(this.#text(expr));
    const { kind, how } = this.#classify(expr, frame);
    const info: MiddlewareInfo = { name, kind, how, scope };
    if (kind !== "auth" && kind !== "unknown") {
      const keys = this.#requestSets(expr, frame);
      if (keys.length) this.#setsFromRequest.set(info, keys);
    }
    return info;
  }

  readonly #setsFromRequest = new WeakMap<MiddlewareInfo, string[]>();

  #classify(expr: GoNode, frame: Frame, depth = 0): { kind: MiddlewareKind | "unknown"; how: MiddlewareInfo["how"] } {
    const e = unparen(expr);
    if (!e || depth > 4) return { kind: "unknown", how: "unresolved" };
    const cached = this.#mwCache.get(e);
    if (cached) return cached;
    const out = this.#classifyUncached(e, frame, depth);
    this.#mwCache.set(e, out);
    return out;
  }

  #classifyUncached(e: GoNode, frame: Frame, depth: number): { kind: MiddlewareKind | "unknown"; how: MiddlewareInfo["how"] } {
    const root = rootOf(e);
    const imports = importsOf(root);
    const configured = new Set(this.#opts.authMiddleware ?? []);
    const callee = e.type === "call_expression" ? unparen(field(e, "function")) : e;
    const lastName = callee?.type === "selector_expression" ? field(callee, "field")?.text : callee?.text;
    if (lastName && configured.has(lastName)) return { kind: "auth", how: "config" };
    if (callee?.type === "selector_expression") {
      const operand = field(callee, "operand");
      const name = field(callee, "field")?.text ?? "";
      if (importedPackage(operand, imports)) {
        const lib = imports.library(operand!.text ?? "");
        const k = lib ? MIDDLEWARE_FUNCTIONS[lib]?.[name] : undefined;
        if (k) return { kind: k, how: "library" };
        if (lib) return { kind: "other", how: "library" };
        // A library goward has no table for: its import path and function name are all there is.
        const importPath = imports.byLocalName(operand!.text ?? "")?.path ?? "";
        if (!this.#cache.modelForImport(frame.file, importPath)) {
          const words = `${importPath} ${name}`;
          if (/limit|throttl/iu.test(words)) return { kind: "ratelimit", how: "name" };
          if (AUTH_NAME.test(words)) return { kind: "auth", how: "name" };
          if (/cors/iu.test(words)) return { kind: "cors", how: "name" };
          return { kind: "other", how: "name" };
        }
      } else {
        const t = typeOf(operand);
        const k = t ? MIDDLEWARE_METHODS[t]?.[name] : undefined;
        if (k) return { kind: k, how: "library" };
      }
    }
    // The project's own middleware: judge by what it does, then by name.
    const fn = e.type === "func_literal" ? undefined : e.type === "call_expression" ? this.#calleeOf(e, frame) : this.#funcOf(e, frame);
    const body = e.type === "func_literal" ? e : fn?.node;
    if (body) {
      const text = this.#text(body);
      // A factory returning a library middleware (`return jwtware.New(...)`).
      let inner: { kind: MiddlewareKind | "unknown"; how: MiddlewareInfo["how"] } | undefined;
      walk(body, (n) => {
        if (inner) return false;
        if (n.type === "return_statement") {
          const r = n.children[0]?.type === "expression_list" ? n.children[0].children[0] : n.children[0];
          const u = unparen(r);
          if (u?.type === "call_expression") {
            const c = this.#classify(u, { ...frame, file: fn?.file.path ?? frame.file }, depth + 1);
            if (c.kind !== "unknown" && c.kind !== "other") inner = c;
          }
        }
        return true;
      });
      if (inner) return inner;
      if (REJECTS.test(text) && (CREDENTIAL_READ.test(text) || SETS_IDENTITY.test(text))) return { kind: "auth", how: "behaviour" };
      if (/MaxBytesReader|MaxBytesHandler|LimitReader/u.test(text)) return { kind: "bodylimit", how: "behaviour" };
      if (lastName && /limit|throttl/iu.test(lastName)) return { kind: "ratelimit", how: "name" };
      if (lastName && AUTH_NAME.test(lastName)) return { kind: "auth", how: "name" };
      if (lastName && /cors/iu.test(lastName)) return { kind: "cors", how: "name" };
      return { kind: "other", how: "behaviour" };
    }
    if (lastName && AUTH_NAME.test(lastName)) return { kind: "auth", how: "name" };
    if (lastName && /limit|throttl/iu.test(lastName)) return { kind: "ratelimit", how: "name" };
    return { kind: "unknown", how: "unresolved" };
  }

  // -------------------------------------------------------------------------------------------
  // Effective chains

  #chain(r: RawRoute): MiddlewareInfo[] {
    const node = r.node;
    const fw = node.framework;
    const out: MiddlewareInfo[] = [];
    const rootNode = node.root();
    out.push(...rootNode.wrappers);
    const lineage: RouterNode[] = [];
    for (let n: RouterNode | undefined = node; n; n = n.parent) lineage.unshift(n);
    if (fw === "fiber") {
      // fiber's stack is flat: every Use registered earlier whose prefix matches the path runs first.
      const full = joinPath(node.fullPrefix(), r.path);
      const uses: Array<{ seq: number; mw: MiddlewareInfo[] }> = [];
      const visit = (n: RouterNode, all: RouterNode[]) => {
        all.push(n);
      };
      const nodes: RouterNode[] = [];
      visit(rootNode, nodes);
      for (const raw of this.#raw) if (raw.node.root() === rootNode && !nodes.includes(raw.node)) nodes.push(raw.node);
      for (const n of this.#allNodes()) if (n.root() === rootNode && !nodes.includes(n)) nodes.push(n);
      for (const n of nodes) {
        if (n.creationMw.length && n.createdSeq < r.seq && pathUnder(full, n.fullPrefix())) uses.push({ seq: n.createdSeq, mw: n.creationMw });
        for (const u of n.uses) if (u.seq < r.seq && pathUnder(full, joinPath(n.fullPrefix(), u.prefix ?? ""))) uses.push(u);
      }
      uses.sort((a, b) => a.seq - b.seq);
      for (const u of uses) out.push(...u.mw);
    } else if (fw === "chi" || fw === "gorilla/mux") {
      for (const n of lineage) {
        out.push(...n.creationMw);
        for (const u of n.uses) out.push(...u.mw);
      }
    } else {
      // gin, echo (and net/http, which has no Use): groups copy their parent's chain when created.
      lineage.forEach((n, i) => {
        const until = i + 1 < lineage.length ? lineage[i + 1].createdSeq : r.seq;
        out.push(...n.creationMw);
        for (const u of n.uses) if ((fw === "echo" && n.isRoot) || u.seq < until) out.push(...u.mw);
      });
    }
    out.push(...r.routeMw, ...r.wrappers);
    return out;
  }

  #nodes = new Set<RouterNode>();
  #allNodes(): RouterNode[] {
    if (!this.#nodes.size) for (const r of this.#raw) for (let n: RouterNode | undefined = r.node; n; n = n.parent) this.#nodes.add(n);
    return [...this.#nodes];
  }

  #finish(): Route[] {
    const seen = new Set<string>();
    const routes: Route[] = [];
    for (const r of this.#raw) {
      const full = joinPath(r.node.fullPrefix(), r.path) || "/";
      const file = this.#fileOf(rootOf(r.registration)) ?? "";
      const key = `${r.method} ${full} ${file}:${r.registration.range[0]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const middleware = this.#chain(r);
      // A key that a middleware of the chain copied from the request is that value, not an identity.
      const copied = middleware.flatMap((m) => this.#setsFromRequest.get(m) ?? []);
      let facts = r.facts;
      if (copied.length && facts.identity.some((i) => copied.some((k) => i.endsWith(`(${k})`)))) {
        const keep = facts.identity.map((i) => !copied.some((k) => i.endsWith(`(${k})`)));
        facts = { ...facts, identity: facts.identity.filter((_, i) => keep[i]), identityAt: facts.identityAt.filter((_, i) => keep[i]) };
        if (!facts.identity.length) facts.selfAuth = false;
      }
      routes.push({
        method: r.method,
        path: full.startsWith("/") || full.startsWith("{") ? full : `/${full}`,
        framework: r.node.framework,
        at: loc(r.registration, file),
        registration: r.registration,
        middleware,
        handler: r.handler,
        facts,
        pathParams: pathParams(full),
        partial: r.node.isPartial(),
        conditional: this.#conditional.has(r.registration),
        loopbackOnly: r.node.framework === "net/http" && r.node.root().servedLoopback && !r.node.root().servedElsewhere,
      });
    }
    return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method) || a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line);
  }
}

/** A path argument: its constant value, or the constant parts with `{Name}` for the rest (`RouterPrefix + "/swagger"`). */
export function pathText(e: GoNode | undefined, depth = 0): string {
  const u = unparen(e);
  if (!u || depth > 6) return "{?}";
  const v = constValue(u);
  if (v !== undefined) return String(v);
  if (u.type === "binary_expression" && field(u, "operator")?.text === "+") return pathText(field(u, "left"), depth + 1) + pathText(field(u, "right"), depth + 1);
  if (u.type === "selector_expression") return `{${field(u, "field")?.text ?? "?"}}`;
  if (u.type === "identifier") return `{${u.text}}`;
  return "{?}";
}

/** How an expression is shown: on one line (multi-line config literals collapse), at most 60 characters. */
function displayName(text: string): string {
  const flat = text.replace(/\s+/gu, " ").replace(/([({[]) /gu, "$1").replace(/ ([)}\]])/gu, "$1");
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

const funcKey = (f: FuncFact) => `${f.file.path}:${f.node.range[0]}`;

function pathUnder(full: string, prefix: string): boolean {
  const p = prefix.replace(/\/+$/u, "");
  if (!p || p === "/") return true;
  return full === p || full.startsWith(`${p}/`);
}

export function pathParams(p: string): string[] {
  const out: string[] = [];
  for (const m of p.matchAll(/[:*]([A-Za-z_]\w*)\??|\{([A-Za-z_]\w*)(?:\.\.\.)?(?::[^}]*)?\}/gu)) out.push(m[1] ?? m[2]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Module inventory, cached per module for the rule

/** Every package directory of the module that `filePath` belongs to (or just its directory). */
export function moduleDirs(dirOrFile: string, cache: PackageCache, listDirs: (root: string) => string[]): { root: string; dirs: string[] } {
  const dir = dirOrFile.endsWith(".go") ? path.dirname(dirOrFile) : dirOrFile;
  const mod = cache.moduleOf(dir);
  if (!mod) return { root: dir, dirs: [dir] };
  return { root: mod.root, dirs: listDirs(mod.root) };
}

export function isRouterFile(root: SourceFileNode): boolean {
  return importsOf(root).entries.some((e) => e.library === "fiber" || e.library === "gin" || e.library === "echo" || e.library === "chi" || e.library === "gorillamux" || e.library === "net/http");
}

/** A call named like a route registration of some framework (`.GET(`, `.Get(`, `.HandleFunc(`, `.Add(`). */
const REGISTRATION_CALL = new RegExp(
  `\\.(?:${[...new Set([...Object.values(ROUTE_METHODS).flatMap((m) => Object.keys(m)), ...DEFAULT_MUX_FUNCTIONS])].sort().join("|")})\\s*\\(`,
  "u",
);

/**
 * Whether a file can hold route registrations: it imports a router library, or it calls a
 * registration method on a router built elsewhere (`r := router.New(); r.GET("/swagger/*", h)` in
 * a main.go that imports no framework). The route model decides which routes are really there.
 */
export function mayRegisterRoutes(root: SourceFileNode, text: string): boolean {
  return isRouterFile(root) || REGISTRATION_CALL.test(text);
}

export { isFunctionLike, packageCache };
