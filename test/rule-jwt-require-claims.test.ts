/** The maxLeeway option and the suggestions of jwt-require-claims, through ESLint's RuleTester. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });
const rule = plugin.rules["jwt-require-claims"] as never;

const file = (body: string) => `package auth

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func key(t *jwt.Token) (interface{}, error) { return nil, nil }

${body}
`;

const leeway = (d: string) => file(`func p(raw string) (*jwt.Token, error) { return jwt.Parse(raw, key, jwt.WithLeeway(${d})) }`);

tester.run("jwt-require-claims", rule, {
  valid: [
    { name: "5 minutes is the default bound", code: leeway("5 * time.Minute") },
    { name: "a raised bound accepts 10 minutes", code: leeway("10 * time.Minute"), options: [{ maxLeeway: 600 }] },
    { name: "a leeway from configuration is not guessed", code: file("func p(raw string, d time.Duration) (*jwt.Token, error) { return jwt.Parse(raw, key, jwt.WithLeeway(d)) }") },
  ],
  invalid: [
    { name: "one hour by default", code: leeway("time.Hour"), errors: [{ messageId: "leeway", data: { value: "1h", max: "5m" } }] },
    { name: "a lowered bound", code: leeway("90 * time.Second"), options: [{ maxLeeway: 60 }], errors: [{ messageId: "leeway", data: { value: "90s", max: "1m" } }] },
    {
      name: "WithoutClaimsValidation: the suggestion removes the option",
      code: file("func p(raw string) (*jwt.Token, error) { return jwt.Parse(raw, key, jwt.WithoutClaimsValidation()) }"),
      errors: [
        {
          messageId: "withoutValidation",
          suggestions: [{ messageId: "removeOption", output: file("func p(raw string) (*jwt.Token, error) { return jwt.Parse(raw, key) }") }],
        },
      ],
    },
    {
      name: "first of several parser options",
      code: file("var p = jwt.NewParser(jwt.WithoutClaimsValidation(), jwt.WithIssuer(\"a\"))\n\nfunc f(raw string) (*jwt.Token, error) { return p.Parse(raw, key) }"),
      errors: [
        {
          messageId: "withoutValidation",
          suggestions: [{ messageId: "removeOption", output: file("var p = jwt.NewParser(jwt.WithIssuer(\"a\"))\n\nfunc f(raw string) (*jwt.Token, error) { return p.Parse(raw, key) }") }],
        },
      ],
    },
  ],
});
