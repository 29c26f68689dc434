/** Focused cases for require-body-limit through ESLint's RuleTester: options and the suggestion. */
import { RuleTester } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { bodyLimitMiddlewareIn, formatBytes } from "../rules/require-body-limit.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });
const rule = plugin.rules["require-body-limit"] as never;

const nethttp = (body: string) =>
  `package api\n\nimport (\n\t"encoding/json"\n\t"net/http"\n)\n\nfunc Create(w http.ResponseWriter, r *http.Request) {\n${body}\n}\n`;
const gin = (body: string) => `package api\n\nimport "github.com/gin-gonic/gin"\n\nfunc Create(c *gin.Context) {\n${body}\n}\n`;
const echo = (body: string) => `package api\n\nimport "github.com/labstack/echo/v4"\n\nfunc Create(c echo.Context) error {\n${body}\n\treturn nil\n}\n`;
const fiber = (cfg: string) => `package main\n\nimport "github.com/gofiber/fiber/v2"\n\nvar app = fiber.New(fiber.Config{${cfg}})\n`;

tester.run("require-body-limit", rule, {
  valid: [
    { name: "limited first", code: nethttp("\tr.Body = http.MaxBytesReader(w, r.Body, 1<<20)\n\tvar v any\n\t_ = json.NewDecoder(r.Body).Decode(&v)") },
    { name: "binders are off by default", code: gin("\tvar v struct{}\n\t_ = c.ShouldBindJSON(&v)") },
    { name: "gin query binding never reads the body", code: gin("\tvar v struct{}\n\t_ = c.ShouldBindWith(&v, binding.Query)"), options: [{ checkBinders: true }] },
    { name: "fiber BodyLimit -1 is fiber's 4 MiB default", code: fiber("BodyLimit: -1") },
    { name: "fiber 100 MiB under a raised threshold", code: fiber("BodyLimit: 100 << 20"), options: [{ maxBodyLimit: 128 * 1024 * 1024 }] },
    {
      name: "a same-file middleware that wraps the body and passes on",
      code: `package api\n\nimport (\n\t"io"\n\t"net/http"\n)\n\nfunc limit(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\tr.Body = http.MaxBytesReader(w, r.Body, 1<<20)\n\t\tnext.ServeHTTP(w, r)\n\t})\n}\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\t_, _ = io.ReadAll(r.Body)\n}\n`,
    },
  ],
  invalid: [
    {
      name: "net/http decoder; the suggestion wraps the body in MaxBytesReader",
      code: nethttp("\tvar v any\n\t_ = json.NewDecoder(r.Body).Decode(&v)"),
      errors: [
        {
          messageId: "rawRead",
          line: 10,
          suggestions: [{ messageId: "suggestLimit", output: nethttp("\tvar v any\n\t_ = json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&v)") }],
        },
      ],
    },
    { name: "gin GetRawData", code: gin("\t_, _ = c.GetRawData()"), errors: [{ messageId: "rawRead", line: 6 }] },
    { name: "checkBinders: gin ShouldBindJSON", code: gin("\tvar v struct{}\n\t_ = c.ShouldBindJSON(&v)"), options: [{ checkBinders: true }], errors: [{ messageId: "binder", line: 7 }] },
    { name: "checkBinders: echo Bind", code: echo("\tvar v struct{}\n\t_ = c.Bind(&v)"), options: [{ checkBinders: true }], errors: [{ messageId: "binder", line: 7 }] },
    { name: "fiber 1 GiB", code: fiber("BodyLimit: 1 << 30"), errors: [{ messageId: "fiberLimit", line: 5 }] },
    { name: "maxBodyLimit lowers the threshold", code: fiber("BodyLimit: 16 * 1024 * 1024"), options: [{ maxBodyLimit: 8 * 1024 * 1024 }], errors: [{ messageId: "fiberLimit" }] },
  ],
});

describe("require-body-limit helpers", () => {
  it("formats sizes", () => {
    expect(formatBytes(512 * 1024 * 1024)).toBe("512 MiB");
    expect(formatBytes(2 ** 63)).toBe("effectively unlimited");
  });
  it("sees library and hand-written body-limit middleware, not look-alikes", () => {
    expect(bodyLimitMiddlewareIn('import "github.com/labstack/echo/v4/middleware"\nfunc main() { e.Use(middleware.BodyLimit("2M")) }')).toBe(true);
    expect(bodyLimitMiddlewareIn('import limits "github.com/gin-contrib/size"\nfunc main() { r.Use(limits.RequestSizeLimiter(10)) }')).toBe(true);
    // traefik's capture.RequestSize() is not chi's middleware.RequestSize.
    expect(bodyLimitMiddlewareIn("func f() { n := capt.RequestSize() }")).toBe(false);
    // A handler that limits its own body is not a middleware for the others.
    expect(bodyLimitMiddlewareIn("func h(w http.ResponseWriter, r *http.Request) {\n\tr.Body = http.MaxBytesReader(w, r.Body, 10)\n}\n")).toBe(false);
  });
});
