import { describe, expect, it } from "vitest";
import { parseGo } from "../src/language/parser.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { defaultPackageName, importsOf } from "../src/semantic/imports.js";
import { typeOf, requestValue, resolveLocal } from "../src/semantic/types.js";

function nodes(root: GoNode, pred: (n: GoNode) => boolean): GoNode[] {
  const out: GoNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (pred(n)) out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}
const lastIdent = (root: GoNode, name: string) => nodes(root, (n) => n.type === "identifier" && n.text === name).at(-1)!;

describe("imports", () => {
  it("maps aliases, default names, dot and blank imports", () => {
    const { ast } = parseGo(
      'package p\nimport (\n\tgormv2 "gorm.io/gorm"\n\t"github.com/gofiber/fiber/v3"\n\t. "context"\n\t_ "github.com/lib/pq"\n\t"github.com/dgrijalva/jwt-go"\n)\n',
    );
    const t = importsOf(ast);
    expect(t.byLocalName("gormv2")?.path).toBe("gorm.io/gorm");
    expect(t.library("fiber")).toBe("fiber");
    expect(t.library("jwt")).toBe("jwt");
    expect(t.dotImports().map((e) => e.path)).toEqual(["context"]);
    expect(t.byLocalName("_")).toBeUndefined();
    expect(t.byLocalName("gorm")).toBeUndefined();
  });

  it("derives default package names the way Go projects name them", () => {
    expect(defaultPackageName("github.com/gofiber/fiber/v2")).toBe("fiber");
    expect(defaultPackageName("github.com/labstack/echo/v4")).toBe("echo");
    expect(defaultPackageName("gopkg.in/yaml.v3")).toBe("yaml");
    expect(defaultPackageName("github.com/dgrijalva/jwt-go")).toBe("jwt");
    expect(defaultPackageName("github.com/redis/go-redis/v9")).toBe("redis");
    expect(defaultPackageName("net/http")).toBe("http");
  });
});

describe("local types", () => {
  const src = `package p
import (
	f "github.com/gofiber/fiber/v2"
	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
)
type H struct{}
func (h *H) Get(c *f.Ctx) error {
	ctx := c.UserContext()
	tok, err := jwt.Parse("", nil)
	claims, ok := tok.Claims.(jwt.MapClaims)
	if v, ok2 := ctx.Value("k").(string); ok2 { _ = v }
	_ = ctx; _ = err; _ = claims; _ = ok
	return nil
}
func G(g *gin.Context) {
	req := g.Request
	c := req.Context()
	_ = c
	f := 1
	_ = f
}
`;
  const { ast } = parseGo(src);

  it("resolves parameters, receivers and := declarations", () => {
    expect(resolveLocal(lastIdent(ast, "ctx"))?.kind).toBe("short");
    expect(resolveLocal(lastIdent(ast, "v"))?.kind).toBe("short");
    const h = nodes(ast, (n) => n.type === "identifier" && n.text === "c")[0];
    expect(resolveLocal(h)?.kind).toBe("param");
  });

  it("infers known types through calls, fields and assertions", () => {
    expect(typeOf(lastIdent(ast, "ctx"))).toBe("context.Context");
    expect(typeOf(lastIdent(ast, "tok"))).toBe("jwt.Token");
    expect(typeOf(lastIdent(ast, "err"))).toBeUndefined();
    expect(typeOf(lastIdent(ast, "claims"))).toBe("jwt.MapClaims");
    expect(typeOf(lastIdent(ast, "ok"))).toBeUndefined();
    expect(typeOf(lastIdent(ast, "req"))).toBe("http.Request");
    expect(typeOf(lastIdent(ast, "c"))).toBe("context.Context");
  });

  it("a local that shadows an import name is not the package", () => {
    // `f := 1` in G shadows nothing imported there... but `f` is the fiber alias in this file.
    expect(typeOf(lastIdent(ast, "f"))).toBeUndefined();
  });

  it("finds request-scoped values", () => {
    const calls = nodes(ast, (n) => n.type === "call_expression" && /\.Value\(/u.test(src.slice(n.range[0], n.range[1])));
    expect(requestValue(calls[0])?.describe).toBe("context value");
  });
});
