/** The strict option and the suggestions of cookie-flags, through ESLint's RuleTester. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const httpFile = (body: string) => `package auth

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

${body}
`;

const requestTls = httpFile(`func Login(w http.ResponseWriter, r *http.Request, sid string) {
	http.SetCookie(w, &http.Cookie{Name: "session", Value: sid, Secure: r.TLS != nil, HttpOnly: true})
}`);

tester.run("cookie-flags", plugin.rules["cookie-flags"] as never, {
  valid: [
    { name: "Secure from the request is accepted by default", code: requestTls },
    { name: "both flags", code: httpFile('func A(w http.ResponseWriter, sid string) {\n\thttp.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Secure: true, HttpOnly: true})\n}') },
  ],
  invalid: [
    {
      name: "strict reports Secure derived from r.TLS",
      code: requestTls,
      options: [{ strict: true }],
      errors: [
        {
          messageId: "requestTls",
          line: 10,
          suggestions: [{ messageId: "setFlags", output: requestTls.replace("Secure: r.TLS != nil", "Secure: true") }],
        },
      ],
    },
    {
      name: "missing flags are added to a one-line literal",
      code: httpFile('func B(w http.ResponseWriter, token string) {\n\thttp.SetCookie(w, &http.Cookie{Name: "token", Value: token})\n}'),
      errors: [
        {
          messageId: "missingFlags",
          suggestions: [
            {
              messageId: "setFlags",
              output: httpFile('func B(w http.ResponseWriter, token string) {\n\thttp.SetCookie(w, &http.Cookie{Name: "token", Value: token, Secure: true, HttpOnly: true})\n}'),
            },
          ],
        },
      ],
    },
    {
      name: "an explicit false is replaced, a missing flag added on its own line",
      code: httpFile('func C(w http.ResponseWriter, jwt string) {\n\thttp.SetCookie(w, &http.Cookie{\n\t\tName:   "jwt",\n\t\tValue:  jwt,\n\t\tSecure: false,\n\t})\n}'),
      errors: [
        {
          messageId: "missingFlags",
          suggestions: [
            {
              messageId: "setFlags",
              output: httpFile('func C(w http.ResponseWriter, jwt string) {\n\thttp.SetCookie(w, &http.Cookie{\n\t\tName:   "jwt",\n\t\tValue:  jwt,\n\t\tSecure: true,\n\t\tHttpOnly: true,\n\t})\n}'),
            },
          ],
        },
      ],
    },
    {
      name: "gin SetCookie: the false arguments become true",
      code: httpFile('func D(c *gin.Context, tok string) {\n\tc.SetCookie("token", tok, 3600, "/", "", false, false)\n}'),
      errors: [
        {
          messageId: "missingFlags",
          suggestions: [{ messageId: "setFlags", output: httpFile('func D(c *gin.Context, tok string) {\n\tc.SetCookie("token", tok, 3600, "/", "", true, true)\n}') }],
        },
      ],
    },
  ],
});
