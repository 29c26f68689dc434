/** Focused cases for require-http-timeout through ESLint's RuleTester: suggestions and the framework option. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });
const rule = plugin.rules["require-http-timeout"] as never;

const file = (body: string, imports = '\t"net/http"\n\t"time"\n') => `package main\n\nimport (\n${imports})\n\n${body}\n`;
const fw = { checkFrameworkServers: true };

tester.run("require-http-timeout", rule, {
  valid: [
    { name: "ReadHeaderTimeout set", code: file("var s = &http.Server{Addr: \":80\", ReadHeaderTimeout: 5 * time.Second}") },
    { name: "client Timeout set", code: file("var c = &http.Client{Timeout: time.Minute}") },
    { name: "loopback server", code: file('func main() { _ = http.ListenAndServe("127.0.0.1:6060", nil); _ = time.Now() }') },
    { name: "gin Run is off by default", code: 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() { r := gin.New(); _ = r.Run() }\n' },
    {
      name: "echo v4 with e.Server.ReadHeaderTimeout set before Start",
      code: 'package main\n\nimport (\n\t"time"\n\n\t"github.com/labstack/echo/v4"\n)\n\nfunc main() {\n\te := echo.New()\n\te.Server.ReadHeaderTimeout = 5 * time.Second\n\t_ = e.Start(":1323")\n}\n',
      options: [fw],
    },
    {
      name: "fiber with ReadTimeout",
      code: 'package main\n\nimport (\n\t"time"\n\n\t"github.com/gofiber/fiber/v2"\n)\n\nfunc main() {\n\tapp := fiber.New(fiber.Config{ReadTimeout: 10 * time.Second})\n\t_ = app.Listen(":3000")\n}\n',
      options: [fw],
    },
    {
      name: "a client handed to a call together with a context",
      code: file("func f(ctx context.Context) { send(ctx, &http.Client{}) }\n\nfunc send(ctx context.Context, c *http.Client) {}", '\t"context"\n\t"net/http"\n'),
    },
  ],
  invalid: [
    {
      name: "multi-line server literal: suggestion adds ReadHeaderTimeout as the last field",
      code: file('var s = &http.Server{\n\tAddr:    ":80",\n\tHandler: nil,\n}\nvar _ = time.Second'),
      errors: [
        {
          messageId: "server",
          line: 8,
          suggestions: [{ messageId: "addReadHeaderTimeout", output: file('var s = &http.Server{\n\tAddr:    ":80",\n\tHandler: nil,\n\tReadHeaderTimeout: 10 * time.Second,\n}\nvar _ = time.Second') }],
        },
      ],
    },
    {
      name: "empty client literal: suggestion adds Timeout",
      code: file("var c = &http.Client{}\nvar _ = time.Second"),
      errors: [{ messageId: "client", suggestions: [{ messageId: "addClientTimeout", output: file("var c = &http.Client{Timeout: 30 * time.Second}\nvar _ = time.Second") }] }],
    },
    {
      name: "single-line literal, time imported under an alias",
      code: file("var s = http.Server{Addr: \":80\"}\nvar _ = t.Second", '\t"net/http"\n\tt "time"\n'),
      errors: [{ messageId: "server", suggestions: [{ messageId: "addReadHeaderTimeout", output: file('var s = http.Server{Addr: ":80", ReadHeaderTimeout: 10 * t.Second}\nvar _ = t.Second', '\t"net/http"\n\tt "time"\n') }] }],
    },
    { name: "no suggestion without the time import", code: file("var c = &http.Client{}", '\t"net/http"\n'), errors: [{ messageId: "client", suggestions: [] }] },
    { name: "http.Get", code: file('func f() { _, _ = http.Get("https://x"); _ = time.Now() }'), errors: [{ messageId: "defaultClient" }] },
    { name: "gin Run with the option", code: 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.New()\n\t_ = r.Run()\n}\n', options: [fw], errors: [{ messageId: "frameworkServer", line: 7 }] },
    { name: "echo Start with the option", code: 'package main\n\nimport "github.com/labstack/echo/v4"\n\nfunc main() {\n\te := echo.New()\n\t_ = e.Start(":1323")\n}\n', options: [fw], errors: [{ messageId: "frameworkServer", line: 7 }] },
    { name: "fiber Listen with the option", code: 'package main\n\nimport "github.com/gofiber/fiber/v2"\n\nfunc main() {\n\tapp := fiber.New()\n\t_ = app.Listen(":3000")\n}\n', options: [fw], errors: [{ messageId: "frameworkServer", line: 7 }] },
  ],
});
