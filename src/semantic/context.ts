/**
 * "Which request context is available here?": the context expression a fix can use at a given
 * point, found from the enclosing functions' parameters and earlier locals.
 */
import type { GoNode } from "../language/node-types.generated.js";
import { field, fieldAll, isFunctionLike, rootOf, walk } from "./ast.js";
import { importsOf } from "./imports.js";
import { parametersOf, typeOf } from "./types.js";

export interface ContextInScope {
  /** Go expression that yields the context, e.g. `ctx`, `c.UserContext()`, `r.Context()`. */
  expr: string;
  /** Where it comes from, for messages. */
  origin: "context parameter" | "local context" | "fiber" | "gin" | "echo" | "net/http";
}

/**
 * The request context available at `at`: a `context.Context` parameter or local (declared
 * before `at`), else one derived from a framework handler parameter. Searches enclosing
 * function literals outwards.
 */
export function contextInScope(at: GoNode): ContextInScope | undefined {
  for (let fn: GoNode | null = at.parent; fn; fn = fn.parent) {
    if (!isFunctionLike(fn)) continue;
    const found = contextInFunction(fn, at);
    if (found) return found;
  }
  return undefined;
}

function contextInFunction(fn: GoNode, at: GoNode): ContextInScope | undefined {
  const params = parametersOf(fn, true);
  const ctxParam = params.find((p) => p.type === "context.Context");
  if (ctxParam) return { expr: ctxParam.name, origin: "context parameter" };

  // A local `ctx := ...` of type context.Context declared before `at` in this function's body.
  const body = field(fn, "body");
  let local: string | undefined;
  if (body) {
    walk(body, (n) => {
      if (n.range[0] >= at.range[0]) return false;
      if (isFunctionLike(n)) return false;
      if (n.type === "short_var_declaration" || n.type === "var_spec") {
        const ids = n.type === "short_var_declaration" ? field(n, "left")?.children ?? [] : fieldAll(n, "name");
        for (const id of ids) {
          if (id.type === "identifier" && id.text && id.text !== "_" && typeOf(id) === "context.Context" && isAncestorScope(n, at)) local = id.text;
        }
      }
      return true;
    });
  }
  if (local) return { expr: local, origin: "local context" };

  const imports = importsOf(rootOf(fn));
  for (const p of params) {
    switch (p.type) {
      case "fiber.Ctx": {
        const v3 = imports.entries.some((e) => e.path === "github.com/gofiber/fiber/v3");
        return { expr: v3 ? `${p.name}.Context()` : `${p.name}.UserContext()`, origin: "fiber" };
      }
      case "gin.Context":
        return { expr: `${p.name}.Request.Context()`, origin: "gin" };
      case "echo.Context":
        return { expr: `${p.name}.Request().Context()`, origin: "echo" };
      case "http.Request":
        return { expr: `${p.name}.Context()`, origin: "net/http" };
      default:
        break;
    }
  }
  return undefined;
}

/** True when the declaration `decl` is in a block that encloses `at` (so its name is visible there). */
function isAncestorScope(decl: GoNode, at: GoNode): boolean {
  const block = decl.parent;
  if (!block) return false;
  for (let p: GoNode | null = at; p; p = p.parent) if (p === block) return true;
  return false;
}
