/** Focused cases for no-unchecked-assertion through ESLint's RuleTester, suggestions included. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });
const rule = plugin.rules["no-unchecked-assertion"] as never;

const fiber = (body: string, extraImports = "") =>
  `package api\n\nimport (\n\t"github.com/gofiber/fiber/v2"${extraImports}\n)\n\nfunc Profile(c *fiber.Ctx) error {\n${body}\n}\n`;

tester.run("no-unchecked-assertion", rule, {
  valid: [
    { name: "comma-ok on Locals", code: fiber('\tid, ok := c.Locals("userID").(uint)\n\tif !ok {\n\t\treturn fiber.ErrUnauthorized\n\t}\n\treturn c.JSON(id)') },
    { name: "type switch on Locals", code: fiber('\tswitch v := c.Locals("userID").(type) {\n\tcase uint:\n\t\treturn c.JSON(v)\n\t}\n\treturn nil') },
    { name: "Locals setter is not a read", code: fiber('\tc.Locals("userID", uint(1))\n\treturn nil') },
    {
      name: "assertion on an error is not request-scoped",
      code: fiber('\terr := c.Next()\n\tif fe := err.(*fiber.Error); fe != nil {\n\t\treturn fe\n\t}\n\treturn nil'),
    },
    {
      name: "a project type with a Locals method is not fiber",
      code: 'package api\n\ntype store struct{}\n\nfunc (store) Locals(k string) any { return nil }\n\nfunc f(s store) int {\n\treturn s.Locals("n").(int)\n}\n',
    },
    {
      name: "unknown receiver type is not guessed",
      code: 'package api\n\nfunc f(c interface{ Locals(string) any }) int {\n\treturn c.Locals("n").(int)\n}\n',
    },
    {
      name: "var declaration in comma-ok form",
      code: fiber('\tvar id, ok = c.Locals("userID").(uint)\n\tif !ok {\n\t\treturn fiber.ErrUnauthorized\n\t}\n\treturn c.JSON(id)'),
    },
  ],
  invalid: [
    {
      name: "fiber v2 Locals with an aliased import; the suggestion returns ErrUnauthorized",
      code: 'package api\n\nimport fib "github.com/gofiber/fiber/v2"\n\nfunc Profile(c *fib.Ctx) error {\n\tid := c.Locals("userID").(uint)\n\treturn c.JSON(id)\n}\n',
      errors: [
        {
          messageId: "unchecked",
          line: 6,
          column: 8,
          suggestions: [
            {
              messageId: "suggestCommaOk",
              data: { reject: "return fib.ErrUnauthorized" },
              output:
                'package api\n\nimport fib "github.com/gofiber/fiber/v2"\n\nfunc Profile(c *fib.Ctx) error {\n\tid, ok := c.Locals("userID").(uint)\n\tif !ok {\n\t\treturn fib.ErrUnauthorized\n\t}\n\treturn c.JSON(id)\n}\n',
            },
          ],
        },
      ],
    },
    {
      name: "gin MustGet in a handler without results; the suggestion aborts with 401",
      code: 'package api\n\nimport (\n\t"net/http"\n\n\t"github.com/gin-gonic/gin"\n)\n\nfunc Me(c *gin.Context) {\n\tuser := c.MustGet("user").(*User)\n\tc.JSON(http.StatusOK, user)\n}\n',
      errors: [
        {
          messageId: "unchecked",
          line: 10,
          suggestions: [
            {
              messageId: "suggestCommaOk",
              data: { reject: "abort with 401" },
              output:
                'package api\n\nimport (\n\t"net/http"\n\n\t"github.com/gin-gonic/gin"\n)\n\nfunc Me(c *gin.Context) {\n\tuser, ok := c.MustGet("user").(*User)\n\tif !ok {\n\t\tc.AbortWithStatus(http.StatusUnauthorized)\n\t\treturn\n\t}\n\tc.JSON(http.StatusOK, user)\n}\n',
            },
          ],
        },
      ],
    },
    {
      name: "value used inside an expression: no mechanical suggestion",
      code: fiber('\treturn c.JSON(c.Locals("userID").(uint) + 1)'),
      errors: [{ messageId: "unchecked", line: 8, suggestions: [] }],
    },
    {
      name: "ok already taken: no suggestion",
      code: fiber('\tok := true\n\tid := c.Locals("userID").(uint)\n\treturn c.JSON(fiber.Map{"id": id, "ok": ok})'),
      errors: [{ messageId: "unchecked", line: 9, suggestions: [] }],
    },
    {
      name: "value from a local that holds Locals",
      code: fiber('\traw := c.Locals("userID")\n\tid := raw.(uint)\n\treturn c.JSON(id)'),
      errors: [
        {
          messageId: "unchecked",
          line: 9,
          suggestions: [
            {
              messageId: "suggestCommaOk",
              output: fiber('\traw := c.Locals("userID")\n\tid, ok := raw.(uint)\n\tif !ok {\n\t\treturn fiber.ErrUnauthorized\n\t}\n\treturn c.JSON(id)'),
            },
          ],
        },
      ],
    },
    {
      name: "r.Context().Value in net/http; the suggestion writes 401",
      code: 'package api\n\nimport "net/http"\n\nfunc Me(w http.ResponseWriter, r *http.Request) {\n\tuid := r.Context().Value(userKey).(string)\n\tw.Write([]byte(uid))\n}\n',
      errors: [
        {
          messageId: "unchecked",
          line: 6,
          suggestions: [
            {
              messageId: "suggestCommaOk",
              output:
                'package api\n\nimport "net/http"\n\nfunc Me(w http.ResponseWriter, r *http.Request) {\n\tuid, ok := r.Context().Value(userKey).(string)\n\tif !ok {\n\t\thttp.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)\n\t\treturn\n\t}\n\tw.Write([]byte(uid))\n}\n',
            },
          ],
        },
      ],
    },
    {
      name: "JWT claims and a claim value",
      code: 'package api\n\nimport "github.com/golang-jwt/jwt/v5"\n\nfunc sub(t *jwt.Token) string {\n\tclaims := t.Claims.(jwt.MapClaims)\n\treturn claims["sub"].(string)\n}\n',
      errors: [
        { messageId: "unchecked", line: 6, suggestions: [] },
        { messageId: "unchecked", line: 7, suggestions: [] },
      ],
    },
  ],
});
