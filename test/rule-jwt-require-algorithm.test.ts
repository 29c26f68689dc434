/** Focused cases for jwt-require-algorithm through ESLint's RuleTester, the WithValidMethods suggestion included. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });
const rule = plugin.rules["jwt-require-algorithm"] as never;

const file = (body: string, jwtPath = "github.com/golang-jwt/jwt/v5") => `package auth

import "${jwtPath}"

var secret = []byte("x")

func mint(sub string) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": sub}).SignedString(secret)
}

${body}
`;

const loose = "func key(t *jwt.Token) (interface{}, error) { return secret, nil }\n\n";

tester.run("jwt-require-algorithm", rule, {
  valid: [
    { name: "WithValidMethods", code: file(`${loose}func p(raw string) (*jwt.Token, error) { return jwt.Parse(raw, key, jwt.WithValidMethods([]string{"HS256"})) }`) },
    {
      name: "method asserted in the keyfunc",
      code: file(`func p(raw string) (*jwt.Token, error) {
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		if _, ok := t.Method.(*jwt.SigningMethodHMAC); !ok {
			return nil, jwt.ErrSignatureInvalid
		}
		return secret, nil
	})
}`),
    },
    { name: "keyfunc parameter is not guessed", code: file("func p(raw string, kf jwt.Keyfunc) (*jwt.Token, error) { return jwt.Parse(raw, kf) }") },
    { name: "test files are skipped", filename: "/project/auth_test.go", code: file(`${loose}func p(raw string) (*jwt.Token, error) { return jwt.Parse(raw, key) }`) },
  ],
  invalid: [
    {
      name: "suggests the algorithm the package signs with",
      code: file(`${loose}func p(raw string) (*jwt.Token, error) { return jwt.Parse(raw, key) }`),
      errors: [
        {
          messageId: "keyfunc",
          line: 13,
          suggestions: [
            {
              messageId: "addValidMethods",
              data: { pkg: "jwt", alg: "HS256" },
              output: file(`${loose}func p(raw string) (*jwt.Token, error) { return jwt.Parse(raw, key, jwt.WithValidMethods([]string{"HS256"})) }`),
            },
          ],
        },
      ],
    },
    {
      name: "multi-line call with a trailing comma",
      code: file(`${loose}func p(raw string) (*jwt.Token, error) {
	return jwt.Parse(
		raw,
		key,
	)
}`),
      errors: [
        {
          messageId: "keyfunc",
          suggestions: [
            {
              messageId: "addValidMethods",
              data: { pkg: "jwt", alg: "HS256" },
              output: file(`${loose}func p(raw string) (*jwt.Token, error) {
	return jwt.Parse(
		raw,
		key, jwt.WithValidMethods([]string{"HS256"}),
	)
}`),
            },
          ],
        },
      ],
    },
    {
      name: "dgrijalva/jwt-go has no WithValidMethods: no suggestion",
      code: file(`${loose}func p(raw string) (*jwt.Token, error) { return jwt.Parse(raw, key) }`, "github.com/dgrijalva/jwt-go"),
      errors: [{ messageId: "keyfunc", suggestions: [] }],
    },
  ],
});
