/** no-weak-random: the crypto/rand suggestion, crypto/rand under the same local name, and the names option. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const readOnly = (path: string) => `package auth

import (
	"encoding/hex"
	"${path}"
)

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}
`;

const seededToo = `package auth

import (
	"encoding/hex"
	"math/rand"
	"time"
)

func init() { rand.Seed(time.Now().UnixNano()) }

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}
`;

const voucher = `package shop

import "math/rand"

func issue() int {
	voucherCode := rand.Intn(1000000)
	return voucherCode
}
`;

tester.run("no-weak-random", plugin.rules["no-weak-random"] as never, {
  valid: [
    { name: "crypto/rand is the same local name and is fine", code: readOnly("crypto/rand") },
    { name: "a voucher is not a known secret word", code: voucher },
  ],
  invalid: [
    {
      name: "math/rand used only for Read: importing crypto/rand is suggested",
      code: readOnly("math/rand"),
      errors: [{ messageId: "weak", line: 10, suggestions: [{ messageId: "useCryptoRead", output: readOnly("crypto/rand") }] }],
    },
    {
      name: "math/rand also seeded: no import swap",
      code: seededToo,
      errors: [{ messageId: "weak", line: 13, suggestions: [] }],
    },
    {
      name: "the names option adds a word",
      code: voucher,
      options: [{ names: ["voucher"] }],
      errors: [{ messageId: "weak", line: 6 }],
    },
  ],
});
