/** The checkFiberDefault option and the suggestion of websocket-check-origin, through ESLint's RuleTester. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const fiberWs = (body: string) => `package realtime

import (
	"net/http"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	gorilla "github.com/gorilla/websocket"
)

${body}
`;

const fiberDefault = fiberWs("func Routes(app *fiber.App) {\n\tapp.Get(\"/ws\", websocket.New(func(c *websocket.Conn) {}))\n}");
const gorillaAll = fiberWs("var up = gorilla.Upgrader{\n\tReadBufferSize: 1024,\n\tCheckOrigin: func(r *http.Request) bool { return true },\n}");

tester.run("websocket-check-origin", plugin.rules["websocket-check-origin"] as never, {
  valid: [
    { name: "fiber's default is not reported by default", code: fiberDefault },
    {
      name: "an explicit allow-list with checkFiberDefault",
      code: fiberWs('func Routes(app *fiber.App) {\n\tapp.Get("/ws", websocket.New(func(c *websocket.Conn) {}, websocket.Config{Origins: []string{"https://a.example.com"}}))\n}'),
      options: [{ checkFiberDefault: true }],
    },
  ],
  invalid: [
    { name: "checkFiberDefault reports websocket.New without Origins", code: fiberDefault, options: [{ checkFiberDefault: true }], errors: [{ messageId: "fiberDefault", line: 12 }] },
    {
      name: "removing CheckOrigin restores the same-origin check",
      code: gorillaAll,
      errors: [{ messageId: "alwaysTrue", line: 13, suggestions: [{ messageId: "removeField", output: fiberWs("var up = gorilla.Upgrader{\n\tReadBufferSize: 1024,\n}") }] }],
    },
  ],
});
